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
 * The CLV likelihood fits (`src/clv/optimize.ts`) use the same
 * {@link minimizeLbfgs} with a value/gradient split objective
 * ({@link numericObjective}: central-difference gradients computed only at
 * accepted points) and the options `maxStep`, `curvature: "relative"`,
 * `onLineSearchFailure: "restart"`, `stallWindow`, `ftolGradient`,
 * `gtolCheck: "before-step"` and `resetStep: "scaled"`.
 */

/** Objective: returns f(x) and writes ∇f(x) into `grad` (every entry). */
export type LbfgsObjective = (x: Float64Array, grad: Float64Array) => number;

/**
 * Objective given as a value and a gradient apart: the line search evaluates
 * only `value`, and `gradient` is called once per accepted point (for costly,
 * e.g. numerical, gradients). A non-finite start value stops at once
 * (stopReason "notFinite").
 */
export interface LbfgsSplitObjective {
  /** f(x); may return Infinity outside the valid region. */
  value: (x: Float64Array) => number;
  /** Writes ∇f(x) into `grad` (every entry). */
  gradient: (x: Float64Array, grad: Float64Array) => void;
}

/** Why {@link minimizeLbfgs} stopped. */
export type LbfgsStopReason = "gtol" | "ftol" | "maxIter" | "lineSearch" | "stall" | "notFinite";

/**
 * Central-difference gradient of `f` at `x`, step `h·max(1, |x_i|)` (2n calls of `f`).
 * @param f - objective
 * @param x - point (not modified)
 * @param h - relative step (default 1e-6)
 * @param out - where to write the gradient (default a new array)
 * @returns the gradient (`out` when given)
 * @example
 * numericGradient((x) => x[0] * x[0], Float64Array.of(3)); // ≈ [6]
 */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6, out?: Float64Array): Float64Array {
  const g = out ?? new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const step = h * Math.max(1, Math.abs(x[i]));
    y[i] = x[i] + step; const fp = f(y);
    y[i] = x[i] - step; const fm = f(y);
    y[i] = x[i];
    g[i] = (fp - fm) / (2 * step);
  }
  return g;
}

/**
 * A derivative-free objective as an {@link LbfgsSplitObjective}: non-finite
 * values become Infinity, the gradient is {@link numericGradient}'s.
 * @param f - objective (NaN/Infinity outside the valid region)
 * @param h - relative difference step (default 1e-6)
 * @returns the split objective for {@link minimizeLbfgs}
 * @example
 * const r = minimizeLbfgs(numericObjective((x) => (x[0] - 3) ** 2), new Float64Array(1), { firstStep: "inf" });
 * r.x[0]; // ≈ 3
 */
export function numericObjective(f: (x: Float64Array) => number, h = 1e-6): LbfgsSplitObjective {
  return {
    value: (x) => { const v = f(x); return Number.isFinite(v) ? v : Infinity; },
    gradient: (x, g) => { numericGradient(f, x, h, g); },
  };
}

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
  /**
   * How the backtracking line search shortens a rejected step: `"halve"`
   * (default) or `"quadratic"`: the minimiser of the quadratic through f(x),
   * the directional derivative and the rejected trial, kept within [0.1, 0.5]
   * of the rejected step (0.5 when the trial is not finite).
   */
  backtrack?: "halve" | "quadratic";
  /** Largest search direction (infinity norm, before the line search); longer ones are scaled down. Default Infinity. */
  maxStep?: number;
  /** Curvature pair kept when sᵀy > 1e-12 (`"absolute"`, default) or sᵀy > 1e-12·‖s‖‖y‖ (`"relative"`, scale-free). */
  curvature?: "absolute" | "relative";
  /**
   * When the line search fails: `"stop"` (default, stopReason "lineSearch") or
   * `"restart"`: clear the history and retry along steepest descent (the retry
   * counts as an iteration); it stops only when a failure has no history to clear.
   */
  onLineSearchFailure?: "stop" | "restart";
  /** Stop (stopReason "stall") when f fell by ≤ stallTol·max(1, |f|) over this many accepted steps. Default 0 (off). */
  stallWindow?: number;
  /** Tolerance of the stall test. Default 1e-10. */
  stallTol?: number;
  /**
   * When set, the ftol test is |f_old − f| ≤ ftol·max(1, |f|) and also needs
   * max |gradient| < ftolGradient (a flat stretch far from a stationary point does not stop).
   */
  ftolGradient?: number;
  /**
   * `"after-step"` (default): max |g| ≤ gtol is tested at the start and after
   * each step, before the ftol test. `"before-step"`: max |g| < gtol is tested
   * at the top of each iteration (after the iteration cap), so a step's stall
   * and ftol tests come before its gradient test.
   */
  gtolCheck?: "after-step" | "before-step";
  /**
   * Direction after a non-descent (or NaN) step: `"raw"` (default) −g, or
   * `"scaled"` −g / max(1, ‖g‖∞), which also resets on a NaN directional derivative.
   */
  resetStep?: "raw" | "scaled";
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
  /** max |gradient| at `x` (NaN when the start was not finite). */
  gradientNorm: number;
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
 * @param fg - objective writing its gradient ({@link LbfgsObjective}), or value and gradient apart ({@link LbfgsSplitObjective}, e.g. {@link numericObjective})
 * @param x0 - start point (not modified)
 * @param options - see {@link LbfgsOptions}
 * @returns the point, value, iteration and evaluation counts and why it stopped
 * @example
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array(1));
 * r.x[0]; // ≈ 3
 */
export function minimizeLbfgs(fg: LbfgsObjective | LbfgsSplitObjective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.m ?? 10, maxIter = options.maxIter ?? 500, gtol = options.gtol ?? 1e-6, ftol = options.ftol ?? 1e-10;
  const scaleFirst = (options.firstStep ?? "l2") === "inf", maxLineSearch = options.maxLineSearch ?? 40, quadratic = options.backtrack === "quadratic";
  const maxStep = options.maxStep ?? Infinity, relCurv = options.curvature === "relative";
  const restart = options.onLineSearchFailure === "restart", stallWindow = options.stallWindow ?? 0, stallTol = options.stallTol ?? 1e-10;
  const ftolGradient = options.ftolGradient, gradTop = options.gtolCheck === "before-step", scaledReset = options.resetStep === "scaled";
  const split = typeof fg === "function" ? null : fg;
  const full = typeof fg === "function" ? fg : null;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f: number;
  if (split) {
    f = split.value(x);
    if (!Number.isFinite(f)) return { x, f, iterations: 0, converged: false, evaluations: 1, stopReason: "notFinite", gradientNorm: NaN };
    split.gradient(x, g);
  } else f = full!(x, g);
  let evaluations = 1;
  // history, oldest first; the vectors are reused (a rejected or evicted pair becomes the spare)
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [], sys: number[] = [], yys: number[] = [];
  let spareS: Float64Array | null = null, spareY: Float64Array | null = null;
  const d = new Float64Array(n);
  let xNew = new Float64Array(n), gNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  const fHist: number[] = [];
  if (!gradTop && maxAbs(g) <= gtol) return { x, f, iterations: 0, converged: true, evaluations, stopReason: "gtol", gradientNorm: maxAbs(g) };
  let iter = 0, stopReason: LbfgsStopReason = "maxIter";
  for (; iter < maxIter; iter++) {
    if (gradTop && maxAbs(g) < gtol) { stopReason = "gtol"; break; }
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
    if (scaledReset ? !(gd < 0) : gd >= 0) { // not a descent direction: reset to steepest descent
      S.length = 0; Y.length = 0; rho.length = 0; sys.length = 0; yys.length = 0;
      const sc = scaledReset ? 1 / Math.max(1, maxAbs(g)) : 1;
      for (let i = 0; i < n; i++) d[i] = -g[i] * sc;
      gd = dot(g, d);
    }
    if (maxStep < Infinity) {
      const dn = maxAbs(d);
      if (dn > maxStep) { for (let i = 0; i < n; i++) d[i] *= maxStep / dn; gd = dot(g, d); }
    }
    let step = k === 0 && !scaleFirst ? Math.min(1, 1 / Math.sqrt(-gd)) : 1;
    let fNew = 0, ok = false;
    for (let ls = 0; ls < maxLineSearch; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = split ? split.value(xNew) : full!(xNew, gNew); evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * gd) { ok = true; break; }
      if (quadratic && Number.isFinite(fNew)) {
        // f(x + t·d) ≈ f + gd·t + c·t², c from the rejected trial
        const c = (fNew - f - gd * step) / (step * step), t = c > 0 ? -gd / (2 * c) : 0.5 * step;
        step = Math.min(0.5 * step, Math.max(0.1 * step, t));
      } else step *= 0.5;
    }
    if (!ok) {
      if (restart && S.length) { S.length = 0; Y.length = 0; rho.length = 0; sys.length = 0; yys.length = 0; continue; }
      stopReason = "lineSearch"; break;
    }
    if (split) split.gradient(xNew, gNew);
    const sNew: Float64Array = spareS ?? new Float64Array(n), yNew: Float64Array = spareY ?? new Float64Array(n);
    let sy = 0, yy = 0, ss = 0;
    for (let i = 0; i < n; i++) { const a = xNew[i] - x[i], b = gNew[i] - g[i]; sNew[i] = a; yNew[i] = b; sy += a * b; yy += b * b; ss += a * a; }
    if (relCurv ? sy > 1e-12 * Math.sqrt(ss * yy) : sy > 1e-12) {
      if (S.length === m) { spareS = S.shift()!; spareY = Y.shift()!; rho.shift(); sys.shift(); yys.shift(); }
      else { spareS = null; spareY = null; }
      S.push(sNew); Y.push(yNew); rho.push(1 / sy); sys.push(sy); yys.push(yy);
    } else { spareS = sNew; spareY = yNew; }
    const fOld = f;
    let t = x; x = xNew; xNew = t;
    t = g; g = gNew; gNew = t;
    f = fNew;
    options.onIter?.(iter + 1, f);
    if (!gradTop && maxAbs(g) <= gtol) { stopReason = "gtol"; iter++; break; }
    if (stallWindow > 0) {
      fHist.push(f);
      if (fHist.length > stallWindow && fHist[fHist.length - 1 - stallWindow] - f <= stallTol * Math.max(1, Math.abs(f))) { stopReason = "stall"; iter++; break; }
    }
    if (ftolGradient !== undefined
      ? Math.abs(fOld - f) <= ftol * Math.max(1, Math.abs(f)) && maxAbs(g) < ftolGradient
      : (fOld - f) / Math.max(Math.abs(f), 1) <= ftol) { stopReason = "ftol"; iter++; break; }
  }
  return { x, f, iterations: iter, converged: stopReason === "gtol" || stopReason === "ftol", evaluations, stopReason, gradientNorm: maxAbs(g) };
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
