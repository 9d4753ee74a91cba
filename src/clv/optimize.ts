/**
 * Small, dependency-free optimisers for the maximum-likelihood fits in
 * `src/clv`: multi-start L-BFGS (util's {@link minimizeLbfgs} on an analytic
 * gradient where the model gives one, else central differences, see {@link numericObjective}), Nelder–Mead, a
 * numerical Hessian and a symmetric matrix inverse. Parameters are optimised on the log scale by the callers, so
 * everything here is unconstrained.
 */
import { createRng } from "../util/random";
import { minimizeLbfgs, numericGradient, numericObjective } from "../util/optim";
import { ProgressCallback } from "../util/progress";

export { numericGradient };

/** How an optimisation ended. */
export interface ConvergenceReport {
  /** Method used: "L-BFGS" or "Nelder-Mead". */
  method: string;
  /** Iterations of the winning start. */
  iterations: number;
  /** Objective evaluations over all starts. */
  evaluations: number;
  /** Infinity norm of the (numerical) gradient of the objective at the optimum, in the optimised (log) coordinates. */
  gradientNorm: number;
  /** True when the gradient-norm (L-BFGS) or simplex-size (Nelder–Mead) test was met. */
  converged: boolean;
  /** Human-readable reason the optimiser stopped. */
  message: string;
  /** Objective value at each start's optimum (the lowest one wins). */
  startValues: number[];
  /** Problems found after the fit (e.g. parameters on the boundary or not identified); empty when none. */
  warnings?: string[];
}

/** Options shared by {@link minimize}. */
export interface MinimizeOptions {
  /** "lbfgs" (default) or "nelder-mead". */
  method?: "lbfgs" | "nelder-mead";
  /** Maximum iterations per start (default 500 for L-BFGS, 4000 for Nelder–Mead). */
  maxIter?: number;
  /** Gradient infinity-norm tolerance (default 1e-7). */
  gtol?: number;
  /** Relative function-change tolerance used as a secondary stop (default 1e-13). */
  ftol?: number;
  /** Extra random starts around the first (default 0). */
  extraStarts?: number;
  /** Seed for the random starts (default 42). */
  seed?: number;
  /** Standard deviation of the random starts around `x0` (default 1). */
  startSpread?: number;
  /** Largest L-BFGS step (infinity norm, before the line search; default 2 — a factor e² per step on log-parameters). */
  maxStep?: number;
  /** Called once per iteration of each start. */
  onProgress?: ProgressCallback;
  /** The analytic gradient of `f` (written into `g`); default central differences. L-BFGS only. */
  gradient?: (x: Float64Array, g: Float64Array) => void;
}

/** Result of {@link minimize}. */
export interface MinimizeResult {
  /** Best point. */
  x: Float64Array;
  /** Objective at `x`. */
  fun: number;
  /** Convergence report. */
  report: ConvergenceReport;
}

/**
 * Numerical Hessian of `f` at `x` by central differences (row-major, n × n).
 * Diagonal: (f(x+h) − 2f(x) + f(x−h))/h²; off-diagonal: the four-point formula.
 * @example
 * numericHessian((x) => x[0] * x[0] * x[1], Float64Array.of(1, 2)); // ≈ [4, 2, 2, 0]
 */
export function numericHessian(f: (x: Float64Array) => number, x: Float64Array, h = 1e-4): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const y = Float64Array.from(x);
  const f0 = f(x);
  const st = Array.from(x, (v) => h * Math.max(1, Math.abs(v)));
  for (let i = 0; i < n; i++) {
    y[i] = x[i] + st[i]; const fp = f(y);
    y[i] = x[i] - st[i]; const fm = f(y);
    y[i] = x[i];
    H[i * n + i] = (fp - 2 * f0 + fm) / (st[i] * st[i]);
    for (let j = 0; j < i; j++) {
      y[i] = x[i] + st[i]; y[j] = x[j] + st[j]; const fpp = f(y);
      y[j] = x[j] - st[j]; const fpm = f(y);
      y[i] = x[i] - st[i]; const fmm = f(y);
      y[j] = x[j] + st[j]; const fmp = f(y);
      y[i] = x[i]; y[j] = x[j];
      const v = (fpp - fpm - fmp + fmm) / (4 * st[i] * st[j]);
      H[i * n + j] = v; H[j * n + i] = v;
    }
  }
  return H;
}

/**
 * Inverse of a small square matrix by Gauss–Jordan elimination with partial
 * pivoting. Returns null when the matrix is singular to working precision.
 * @example
 * invertMatrix(Float64Array.of(2, 0, 0, 4), 2); // [0.5, 0, 0, 0.25]
 */
export function invertMatrix(m: Float64Array, n: number): Float64Array | null {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i]));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    const p = a[piv * n + col];
    if (!(Math.abs(p) > 1e-14 * maxAbs) || !Number.isFinite(p)) return null;
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        let t = a[col * n + k]; a[col * n + k] = a[piv * n + k]; a[piv * n + k] = t;
        t = inv[col * n + k]; inv[col * n + k] = inv[piv * n + k]; inv[piv * n + k] = t;
      }
    }
    for (let k = 0; k < n; k++) { a[col * n + k] /= p; inv[col * n + k] /= p; }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) { a[r * n + k] -= f * a[col * n + k]; inv[r * n + k] -= f * inv[col * n + k]; }
    }
  }
  return inv;
}

function normInf(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

interface SingleResult { x: Float64Array; fun: number; iterations: number; evaluations: number; gradientNorm: number; converged: boolean; message: string }

/**
 * One L-BFGS start: util's {@link minimizeLbfgs} on the analytic gradient
 * when given, else central-difference gradients (computed only at accepted points), directions capped at
 * `maxStep`, scale-free curvature test, history cleared and retried on a failed
 * line search, and a stall test whose message names the log-parameter that ran
 * off towards the boundary.
 */
function lbfgs(f: (x: Float64Array) => number, x0: Float64Array, o: Required<Pick<MinimizeOptions, "maxIter" | "gtol" | "ftol" | "maxStep">> & Pick<MinimizeOptions, "gradient">, onIter?: (k: number, fx: number) => void): SingleResult {
  const n = x0.length;
  let evals = 0;
  const counted = (x: Float64Array) => { evals++; return f(x); };
  const grad = o.gradient;
  const objective = grad ? { value: (x: Float64Array) => { const v = counted(x); return Number.isFinite(v) ? v : Infinity; }, gradient: grad } : numericObjective(counted);
  const r = minimizeLbfgs(objective, x0, {
    m: 10, maxIter: o.maxIter, gtol: o.gtol, ftol: o.ftol, ftolGradient: Math.sqrt(o.gtol), gtolCheck: "before-step",
    firstStep: "inf", resetStep: "scaled", maxStep: o.maxStep, maxLineSearch: 60, curvature: "relative",
    onLineSearchFailure: "restart", stallWindow: 10, stallTol: 1e-10,
    onIter: onIter ? (k, fx) => onIter(k - 1, fx) : undefined,
  });
  const x = r.x, gn = r.gradientNorm;
  let converged = r.converged, message: string;
  switch (r.stopReason) {
    case "notFinite": message = "objective is not finite at the start point"; break;
    case "gtol": message = `gradient norm below ${o.gtol}`; break;
    case "ftol": message = `relative objective change below ${o.ftol}`; break;
    case "lineSearch":
      message = "line search failed to decrease the objective (at numerical precision)";
      converged = gn < Math.sqrt(o.gtol);
      break;
    case "stall": {
      converged = gn < Math.sqrt(o.gtol);
      let far = 0;
      for (let j = 1; j < n; j++) if (Math.abs(x[j]) > Math.abs(x[far])) far = j;
      message = converged
        ? "objective stalled at a flat optimum"
        : `objective stalled (decrease < 1e-10 over 10 iterations) with gradient norm ${gn.toExponential(2)}; ` +
          `log-parameter ${far} is at ${x[far].toFixed(2)}: the optimum may lie on the boundary (parameter → ${x[far] > 0 ? "∞" : "0"}), i.e. the model is weakly identified on these data — consider a penalizer`;
      break;
    }
    default: message = "maximum iterations reached";
  }
  return { x, fun: r.f, iterations: r.iterations, evaluations: evals, gradientNorm: gn, converged, message };
}

function nelderMead(f: (x: Float64Array) => number, x0: Float64Array, o: Required<Pick<MinimizeOptions, "maxIter" | "ftol">>, onIter?: (k: number, fx: number) => void): SingleResult {
  const n = x0.length;
  let evals = 0;
  const F = (x: Float64Array) => { evals++; const v = f(x); return Number.isFinite(v) ? v : Infinity; };
  const pts: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < n; i++) { const p = Float64Array.from(x0); p[i] += x0[i] !== 0 ? 0.25 * Math.abs(x0[i]) + 0.1 : 0.25; pts.push(p); }
  let vals = pts.map(F);
  let k = 0;
  let converged = false;
  let message = "maximum iterations reached";
  for (; k < o.maxIter; k++) {
    const idx = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    const P = idx.map((i) => pts[i]); const V = idx.map((i) => vals[i]);
    pts.splice(0, pts.length, ...P); vals = V;
    let size = 0;
    for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) size = Math.max(size, Math.abs(pts[i][j] - pts[0][j]));
    if (Math.abs(vals[n] - vals[0]) <= o.ftol * Math.max(1, Math.abs(vals[0])) && size < 1e-9) { converged = true; message = "simplex converged"; break; }
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[j] += pts[i][j] / n;
    const along = (t: number) => { const p = new Float64Array(n); for (let j = 0; j < n; j++) p[j] = c[j] + t * (pts[n][j] - c[j]); return p; };
    const xr = along(-1); const fr = F(xr);
    if (fr < vals[0]) {
      const xe = along(-2); const fe = F(xe);
      if (fe < fr) { pts[n] = xe; vals[n] = fe; } else { pts[n] = xr; vals[n] = fr; }
    } else if (fr < vals[n - 1]) { pts[n] = xr; vals[n] = fr; }
    else {
      const xc = fr < vals[n] ? along(-0.5) : along(0.5);
      const fc = F(xc);
      if (fc < Math.min(fr, vals[n])) { pts[n] = xc; vals[n] = fc; }
      else {
        for (let i = 1; i <= n; i++) { for (let j = 0; j < n; j++) pts[i][j] = pts[0][j] + 0.5 * (pts[i][j] - pts[0][j]); vals[i] = F(pts[i]); }
      }
    }
    onIter?.(k, vals[0]);
  }
  let best = 0;
  for (let i = 1; i < vals.length; i++) if (vals[i] < vals[best]) best = i;
  const g = numericGradient(f, pts[best]);
  return { x: pts[best], fun: vals[best], iterations: k, evaluations: evals + 2 * n, gradientNorm: normInf(g), converged, message };
}

/**
 * Minimise an unconstrained smooth function from `x0` (plus optional seeded
 * random restarts), keeping the best optimum.
 *
 * @param f - objective; return `Infinity`/NaN outside the valid region
 * @param x0 - start point
 * @param options - see {@link MinimizeOptions}
 * @returns best point, value and a {@link ConvergenceReport}
 * @example
 * const { x } = minimize((p) => (p[0] - 1) ** 2 + 10 * (p[1] + 2) ** 2, Float64Array.of(0, 0));
 * // x ≈ [1, −2]
 */
export function minimize(f: (x: Float64Array) => number, x0: Float64Array, options: MinimizeOptions = {}): MinimizeResult {
  const method = options.method ?? "lbfgs";
  const extra = options.extraStarts ?? 0;
  const rng = createRng(options.seed ?? 42);
  const spread = options.startSpread ?? 1;
  const starts: Float64Array[] = [Float64Array.from(x0)];
  for (let s = 0; s < extra; s++) starts.push(Float64Array.from(x0, (v) => v + spread * rng.normal()));
  let best: SingleResult | null = null;
  let evaluations = 0;
  const startValues: number[] = [];
  const total = starts.length * (options.maxIter ?? (method === "lbfgs" ? 500 : 4000));
  starts.forEach((s, si) => {
    const onIter = options.onProgress
      ? (k: number, fx: number) => options.onProgress!({ stage: "fit", done: si * (total / starts.length) + k, total, message: `start ${si + 1}/${starts.length}`, metrics: { objective: fx } })
      : undefined;
    const r = method === "lbfgs"
      ? lbfgs(f, s, { maxIter: options.maxIter ?? 500, gtol: options.gtol ?? 1e-7, ftol: options.ftol ?? 1e-13, maxStep: options.maxStep ?? 2, gradient: options.gradient }, onIter)
      : nelderMead(f, s, { maxIter: options.maxIter ?? 4000, ftol: options.ftol ?? 1e-13 }, onIter);
    evaluations += r.evaluations;
    startValues.push(r.fun);
    if (!best || (Number.isFinite(r.fun) && r.fun < best.fun)) best = r;
  });
  const b = best as unknown as SingleResult;
  options.onProgress?.({ stage: "fit", done: total, total, message: b.message, metrics: { objective: b.fun } });
  return {
    x: b.x,
    fun: b.fun,
    report: {
      method: method === "lbfgs" ? "L-BFGS" : "Nelder-Mead",
      iterations: b.iterations,
      evaluations,
      gradientNorm: b.gradientNorm,
      converged: b.converged,
      message: b.message,
      startValues,
    },
  };
}
