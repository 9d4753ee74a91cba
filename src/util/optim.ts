/**
 * Dense first-order optimisers shared by the linear models (`src/models`,
 * dense logistic regression) and the sparse text classifier (`src/text`,
 * TF-IDF logistic regression):
 *
 * - {@link minimizeLbfgs}: limited-memory BFGS for smooth unconstrained
 *   objectives — two-loop recursion with `m` history pairs and a backtracking
 *   line search on the Armijo condition (a curvature pair is skipped when
 *   sᵀy ≤ 1e-12, which keeps the inverse-Hessian estimate positive definite).
 * - {@link minimizeFista}: FISTA (accelerated proximal gradient) for a smooth
 *   objective plus a per-coordinate L1 penalty, giving exact zeros.
 *
 * (`src/clv/optimize.ts` keeps its own derivative-free L-BFGS/Nelder–Mead for
 * the likelihood fits: numerical gradients, capped steps and stall
 * diagnostics are a different algorithm from these.)
 */

/** Objective: returns f(x) and writes ∇f(x) into `grad` (every entry). */
export type LbfgsObjective = (x: Float64Array, grad: Float64Array) => number;

/** Why {@link minimizeLbfgs} stopped. */
export type LbfgsStopReason = "gtol" | "ftol" | "maxIter" | "lineSearch";

/** Options for {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** History pairs. Default 10. */
  m?: number;
  /** Iteration cap. Default 500. */
  maxIter?: number;
  /** Stop when max |gradient| ≤ gtol. Default 1e-6. */
  gtol?: number;
  /** Stop when (f_old − f)/max(|f|, 1) ≤ ftol (0 = only when f stops changing). Default 1e-10. */
  ftol?: number;
  /**
   * Length of a step taken without curvature history (the first iteration, and
   * after the history was cleared): `"l2"` (default) starts the line search at
   * min(1, 1/‖g‖₂) along −g; `"inf"` scales the direction to −g / max(1, ‖g‖∞)
   * and starts at 1.
   */
  firstStep?: "l2" | "inf";
  /** Most halvings tried by the backtracking line search before giving up. Default 40. */
  maxLineSearch?: number;
  /** Called after each accepted step with (iteration, f). */
  onIter?: (iter: number, f: number) => void;
}

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** Best point (the last accepted one). */
  x: Float64Array;
  /** Objective at `x`. */
  f: number;
  /** Accepted steps (a final line search that failed is not counted). */
  iterations: number;
  /** True when the gtol or ftol test was met. */
  converged: boolean;
  /** Objective evaluations. */
  evaluations: number;
  /** Why it stopped. */
  stopReason: LbfgsStopReason;
}

function maxAbs(v: Float64Array): number {
  let a = 0;
  for (let i = 0; i < v.length; i++) { const t = Math.abs(v[i]); if (t > a) a = t; }
  return a;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Minimise a smooth function `fg` from `x0` (copied) with L-BFGS.
 *
 * @param fg - objective writing its gradient, see {@link LbfgsObjective}
 * @param x0 - start point (not modified)
 * @param options - see {@link LbfgsOptions}
 * @returns the point, value, iteration and evaluation counts and why it stopped
 * @example
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array(1));
 * r.x[0]; // ≈ 3
 */
export function minimizeLbfgs(fg: LbfgsObjective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.m ?? 10, maxIter = options.maxIter ?? 500, gtol = options.gtol ?? 1e-6, ftol = options.ftol ?? 1e-10;
  const scaleFirst = (options.firstStep ?? "l2") === "inf", maxLineSearch = options.maxLineSearch ?? 40;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  // history, oldest first; the vectors are reused (a rejected or evicted pair becomes the spare)
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [], sys: number[] = [], yys: number[] = [];
  let spareS: Float64Array | null = null, spareY: Float64Array | null = null;
  const d = new Float64Array(n);
  let xNew = new Float64Array(n), gNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  if (maxAbs(g) <= gtol) return { x, f, iterations: 0, converged: true, evaluations, stopReason: "gtol" };
  let iter = 0, stopReason: LbfgsStopReason = "maxIter";
  for (; iter < maxIter; iter++) {
    // two-loop recursion d = −H g; each sweep that updates d also takes the
    // next dot product with the new d (the same sums, in the same order, as
    // separate passes, in half the memory traffic)
    const k = S.length;
    let acc = 0;
    if (k > 0) { const sv = S[k - 1]; for (let i = 0; i < n; i++) { const v = -g[i]; d[i] = v; acc += sv[i] * v; } }
    else for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let j = k - 1; j >= 0; j--) {
      const a = rho[j] * acc, y = Y[j];
      alpha[j] = a;
      acc = 0;
      if (j > 0) { const sv = S[j - 1]; for (let i = 0; i < n; i++) { const v = d[i] - a * y[i]; d[i] = v; acc += sv[i] * v; } }
      else for (let i = 0; i < n; i++) d[i] -= a * y[i];
    }
    let gd: number;
    if (k > 0) {
      const gamma = sys[k - 1] / yys[k - 1], y0 = Y[0];
      acc = 0;
      for (let i = 0; i < n; i++) { const v = d[i] * gamma; d[i] = v; acc += y0[i] * v; }
      gd = 0;
      for (let j = 0; j < k; j++) {
        const a = alpha[j] - rho[j] * acc, sv = S[j];
        acc = 0;
        if (j + 1 < k) { const y = Y[j + 1]; for (let i = 0; i < n; i++) { const v = d[i] + a * sv[i]; d[i] = v; acc += y[i] * v; } }
        else for (let i = 0; i < n; i++) { const v = d[i] + a * sv[i]; d[i] = v; gd += g[i] * v; }
      }
    } else {
      if (scaleFirst) {
        const sc = 1 / Math.max(1, maxAbs(g));
        for (let i = 0; i < n; i++) d[i] *= sc;
      }
      gd = dot(g, d);
    }
    if (gd >= 0) { // not a descent direction: reset to steepest descent
      S.length = 0; Y.length = 0; rho.length = 0; sys.length = 0; yys.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      gd = dot(g, d);
    }
    let step = k === 0 && !scaleFirst ? Math.min(1, 1 / Math.sqrt(-gd)) : 1;
    let fNew = 0, ok = false;
    for (let ls = 0; ls < maxLineSearch; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew); evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * gd) { ok = true; break; }
      step *= 0.5;
    }
    if (!ok) { stopReason = "lineSearch"; break; }
    const sNew: Float64Array = spareS ?? new Float64Array(n), yNew: Float64Array = spareY ?? new Float64Array(n);
    let sy = 0, yy = 0;
    for (let i = 0; i < n; i++) { const a = xNew[i] - x[i], b = gNew[i] - g[i]; sNew[i] = a; yNew[i] = b; sy += a * b; yy += b * b; }
    if (sy > 1e-12) {
      if (S.length === m) { spareS = S.shift()!; spareY = Y.shift()!; rho.shift(); sys.shift(); yys.shift(); }
      else { spareS = null; spareY = null; }
      S.push(sNew); Y.push(yNew); rho.push(1 / sy); sys.push(sy); yys.push(yy);
    } else { spareS = sNew; spareY = yNew; }
    const fOld = f;
    let t = x; x = xNew; xNew = t;
    t = g; g = gNew; gNew = t;
    f = fNew;
    options.onIter?.(iter + 1, f);
    if (maxAbs(g) <= gtol) { stopReason = "gtol"; iter++; break; }
    if ((fOld - f) / Math.max(Math.abs(f), 1) <= ftol) { stopReason = "ftol"; iter++; break; }
  }
  return { x, f, iterations: iter, converged: stopReason === "gtol" || stopReason === "ftol", evaluations, stopReason };
}

/** Options for {@link minimizeFista}. */
export interface FistaOptions {
  /** Iteration cap. Default 5000. */
  maxIter?: number;
  /** Stop when the largest coordinate change ≤ tol · max(1, ‖x‖∞). Default 1e-8. */
  tol?: number;
  /** Called after each iteration with (iteration, f) (f without the L1 term). */
  onIter?: (iter: number, f: number) => void;
}

/** Result of {@link minimizeFista}. */
export interface FistaResult {
  /** Last iterate. */
  x: Float64Array;
  /** Smooth part f(x) at `x` (without the L1 term). */
  f: number;
  /** Iterations run. */
  iterations: number;
  /** True when the step-size test was met. */
  converged: boolean;
}

/**
 * FISTA (accelerated proximal gradient) for f(x) + Σ λᵢ|xᵢ| with a
 * backtracking Lipschitz estimate; soft-thresholding makes exact zeros.
 *
 * @param fg - smooth part, writing its gradient (see {@link LbfgsObjective})
 * @param x0 - start point (not modified)
 * @param l1 - λ per coordinate (0 = unpenalised, e.g. an intercept)
 * @param options - see {@link FistaOptions}
 * @returns last iterate, its smooth objective and the iteration count
 * @example
 * // ½(x − 2)² + |x|  →  x = 1
 * const r = minimizeFista((x, g) => { g[0] = x[0] - 2; return 0.5 * (x[0] - 2) ** 2; }, new Float64Array(1), Float64Array.of(1));
 * r.x[0]; // ≈ 1
 */
export function minimizeFista(fg: LbfgsObjective, x0: Float64Array, l1: Float64Array, options: FistaOptions = {}): FistaResult {
  const maxIter = options.maxIter ?? 5000, tol = options.tol ?? 1e-8;
  const d = x0.length;
  const x = Float64Array.from(x0);
  const yv = Float64Array.from(x0), gy = new Float64Array(d), xn = new Float64Array(d), gtmp = new Float64Array(d);
  let L = 1, t = 1, iter = 0, converged = false, fx = 0;
  while (iter < maxIter) {
    iter++;
    const fy = fg(yv, gy);
    // backtracking on L
    for (let ls = 0; ls < 60; ls++) {
      const step = 1 / L;
      for (let i = 0; i < d; i++) {
        const z = yv[i] - step * gy[i], th = step * l1[i];
        xn[i] = z > th ? z - th : z < -th ? z + th : 0;
      }
      fx = fg(xn, gtmp);
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
    x.set(xn); t = tn;
    L *= 0.9; // let the step grow again
    options.onIter?.(iter, fx);
    if (diff <= tol * Math.max(1, norm)) { converged = true; break; }
  }
  return { x, f: fx, iterations: iter, converged };
}
