/**
 * Limited-memory BFGS for smooth unconstrained minimisation (used by the
 * sparse logistic regression). Two-loop recursion with m history pairs and a
 * backtracking line search on the Armijo condition (the curvature pair is
 * skipped when sᵀy ≤ 0, which keeps the inverse-Hessian estimate positive).
 */

/** Objective: writes the gradient into `g` and returns the value. */
export type LbfgsObjective = (x: Float64Array, g: Float64Array) => number;

/** Options for {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** History pairs. Default 10. */
  m?: number;
  /** Iteration cap. Default 500. */
  maxIter?: number;
  /** Stop when max |gradient| ≤ gtol. Default 1e-6. */
  gtol?: number;
  /** Stop when (f_old − f)/max(|f|, 1) ≤ ftol. Default 1e-10. */
  ftol?: number;
  /** Called after each iteration with (iteration, f). */
  onIter?: (iter: number, f: number) => void;
}

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
  /** Function evaluations. */
  evaluations: number;
}

/**
 * Minimise `fg` from `x0` (copied) with L-BFGS.
 * @example
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array(1));
 * r.x[0]; // ≈ 3
 */
export function minimizeLbfgs(fg: LbfgsObjective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.m ?? 10, maxIter = options.maxIter ?? 500, gtol = options.gtol ?? 1e-6, ftol = options.ftol ?? 1e-10;
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evals = 1;
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const d = new Float64Array(n), xNew = new Float64Array(n), gNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  const maxAbs = (v: Float64Array) => { let a = 0; for (let i = 0; i < n; i++) { const t = Math.abs(v[i]); if (t > a) a = t; } return a; };
  if (maxAbs(g) <= gtol) return { x, f, iterations: 0, converged: true, evaluations: evals };
  let iter = 0, converged = false;
  for (; iter < maxIter; iter++) {
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      let a = 0; const s = S[j];
      for (let i = 0; i < n; i++) a += s[i] * d[i];
      a *= rho[j]; alpha[j] = a;
      const y = Y[j];
      for (let i = 0; i < n; i++) d[i] -= a * y[i];
    }
    if (k > 0) {
      let sy = 0, yy = 0; const s = S[k - 1], y = Y[k - 1];
      for (let i = 0; i < n; i++) { sy += s[i] * y[i]; yy += y[i] * y[i]; }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      let b = 0; const y = Y[j];
      for (let i = 0; i < n; i++) b += y[i] * d[i];
      b *= rho[j];
      const s = S[j], a = alpha[j] - b;
      for (let i = 0; i < n; i++) d[i] += a * s[i];
    }
    let gd = 0;
    for (let i = 0; i < n; i++) gd += g[i] * d[i];
    if (gd >= 0) { // not a descent direction: reset to steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      gd = 0; for (let i = 0; i < n; i++) gd -= g[i] * g[i];
    }
    let step = k === 0 ? Math.min(1, 1 / Math.sqrt(-gd)) : 1;
    let fNew = 0, ok = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew); evals++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * gd) { ok = true; break; }
      step *= 0.5;
    }
    if (!ok) break;
    const sNew = new Float64Array(n), yNew = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) { sNew[i] = xNew[i] - x[i]; yNew[i] = gNew[i] - g[i]; sy += sNew[i] * yNew[i]; }
    if (sy > 1e-12) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(sNew); Y.push(yNew); rho.push(1 / sy);
    }
    const fOld = f;
    x.set(xNew); g.set(gNew); f = fNew;
    options.onIter?.(iter + 1, f);
    if (maxAbs(g) <= gtol || (fOld - f) / Math.max(Math.abs(f), 1) <= ftol) { converged = true; iter++; break; }
  }
  return { x, f, iterations: iter, converged, evaluations: evals };
}
