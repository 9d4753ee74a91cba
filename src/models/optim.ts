/**
 * Small dense optimisers used by the linear models: L-BFGS (smooth
 * objectives) and FISTA (smooth + L1, giving exact zeros).
 * @internal
 */

/** Objective: returns f(x) and writes ∇f(x) into `grad`. @internal */
export type ObjectiveFn = (x: Float64Array, grad: Float64Array) => number;

/** Result of an optimiser run. @internal */
export interface OptimResult {
  x: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > m) m = v; }
  return m;
}

/**
 * L-BFGS with a backtracking (Armijo) line search, memory `m`. Stops when
 * ‖∇f‖∞ ≤ gtol or the relative decrease of f falls below ftol.
 * @internal
 */
export function lbfgs(fn: ObjectiveFn, x0: Float64Array, opts: { maxIter?: number; gtol?: number; ftol?: number; m?: number } = {}): OptimResult {
  const maxIter = opts.maxIter ?? 1000, gtol = opts.gtol ?? 1e-8, ftol = opts.ftol ?? 1e-14, m = opts.m ?? 10;
  const d = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(d);
  let f = fn(x, g);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const dir = new Float64Array(d), xn = new Float64Array(d), gn = new Float64Array(d);
  const alpha = new Float64Array(m);
  let iter = 0, converged = maxAbs(g) <= gtol;
  while (!converged && iter < maxIter) {
    iter++;
    // two-loop recursion
    for (let i = 0; i < d; i++) dir[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], dir);
      const yj = Y[j];
      for (let i = 0; i < d; i++) dir[i] -= alpha[j] * yj[i];
    }
    if (S.length) {
      const last = S.length - 1, gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < d; i++) dir[i] *= gamma;
    } else {
      const s = 1 / Math.max(1, maxAbs(g));
      for (let i = 0; i < d; i++) dir[i] *= s;
    }
    for (let j = 0; j < S.length; j++) {
      const b = rho[j] * dot(Y[j], dir), sj = S[j];
      for (let i = 0; i < d; i++) dir[i] += sj[i] * (alpha[j] - b);
    }
    let gd = dot(g, dir);
    if (gd >= 0) { // not a descent direction: reset to steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < d; i++) dir[i] = -g[i];
      gd = dot(g, dir);
    }
    let step = 1, fn_ = Infinity, ok = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < d; i++) xn[i] = x[i] + step * dir[i];
      fn_ = fn(xn, gn);
      if (Number.isFinite(fn_) && fn_ <= f + 1e-4 * step * gd) { ok = true; break; }
      step *= 0.5;
    }
    if (!ok) break;
    const s = new Float64Array(d), y = new Float64Array(d);
    for (let i = 0; i < d; i++) { s[i] = xn[i] - x[i]; y[i] = gn[i] - g[i]; }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    const fOld = f;
    x.set(xn); g.set(gn); f = fn_;
    if (maxAbs(g) <= gtol) converged = true;
    else if (Math.abs(fOld - f) <= ftol * Math.max(1, Math.abs(f))) converged = true;
  }
  return { x, f, iterations: iter, converged };
}

/**
 * FISTA (accelerated proximal gradient) for f(x) + Σ λ_i |x_i| with a
 * backtracking step size. `l1` gives λ per coordinate (0 = unpenalised).
 * Soft-thresholding makes exact zeros.
 * @internal
 */
export function fista(fn: ObjectiveFn, x0: Float64Array, l1: Float64Array, opts: { maxIter?: number; tol?: number } = {}): OptimResult {
  const maxIter = opts.maxIter ?? 5000, tol = opts.tol ?? 1e-8;
  const d = x0.length;
  let x = Float64Array.from(x0), xPrev = Float64Array.from(x0);
  const yv = Float64Array.from(x0), gy = new Float64Array(d), xn = new Float64Array(d), gtmp = new Float64Array(d);
  let L = 1, t = 1, iter = 0, converged = false, fx = 0;
  while (iter < maxIter) {
    iter++;
    const fy = fn(yv, gy);
    // backtracking on L
    for (let ls = 0; ls < 60; ls++) {
      const step = 1 / L;
      for (let i = 0; i < d; i++) {
        const z = yv[i] - step * gy[i], th = step * l1[i];
        xn[i] = z > th ? z - th : z < -th ? z + th : 0;
      }
      fx = fn(xn, gtmp);
      let quad = fy;
      for (let i = 0; i < d; i++) { const dd = xn[i] - yv[i]; quad += gy[i] * dd + 0.5 * L * dd * dd; }
      if (fx <= quad + 1e-12 * Math.abs(quad)) break;
      L *= 2;
    }
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    let diff = 0, norm = 0;
    for (let i = 0; i < d; i++) {
      const dd = xn[i] - x[i];
      diff = Math.max(diff, Math.abs(dd)); norm = Math.max(norm, Math.abs(xn[i]));
      yv[i] = xn[i] + ((t - 1) / tn) * dd;
    }
    xPrev.set(x); x.set(xn); t = tn;
    L *= 0.9; // let the step grow again
    if (diff <= tol * Math.max(1, norm)) { converged = true; break; }
  }
  void xPrev;
  return { x, f: fx, iterations: iter, converged };
}
