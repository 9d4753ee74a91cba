/**
 * Shared maximum-likelihood machinery for the CLV models: aggregation of
 * identical customer histories into weights, the penalised objective on log
 * parameters, multi-start optimisation, and standard errors from the
 * numerical Hessian transformed back to the natural scale.
 */
import { CustlabError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { ConvergenceReport, invertMatrix, minimize, numericHessian } from "./optimize";

/** Options common to every CLV model fit. */
export interface CLVFitOptions {
  /**
   * L2 penalty on the natural-scale parameters added to the mean negative
   * log-likelihood, `penalizer · Σ θ²` (lifetimes' `penalizer_coef`). Default 0.
   */
  penalizer?: number;
  /** Optimiser: "lbfgs" (default) or "nelder-mead". */
  method?: "lbfgs" | "nelder-mead";
  /** Random restarts in addition to the default start (default 2). */
  extraStarts?: number;
  /** Seed for the random restarts (default 42). */
  seed?: number;
  /** Maximum iterations per start (default 500 L-BFGS / 4000 Nelder–Mead). */
  maxIter?: number;
  /** Gradient tolerance (default 1e-7, on the mean objective in log-parameter space). */
  gtol?: number;
  /** Initial natural-scale parameters (default all 1, as in lifetimes). */
  initialParams?: number[];
  /** Progress callback (stage "fit"). */
  onProgress?: ProgressCallback;
}

/** Learned state shared by the models. */
export interface MLEResult {
  /** Natural-scale parameters, in the model's order. */
  params: Float64Array;
  /** Total log-likelihood at the optimum (without the penalty). */
  logLikelihood: number;
  /** Covariance matrix of the parameters (n × n, row-major), null when the Hessian is singular. */
  covariance: Float64Array | null;
  /** Standard errors (NaN when the Hessian is singular). */
  standardErrors: Float64Array;
  /** Optimiser report. */
  report: ConvergenceReport;
  /** Number of customers (sum of weights). */
  n: number;
}

/**
 * Fit by maximum likelihood on log parameters.
 * `logLikTotal(params)` returns the weighted total log-likelihood Σ wᵢ ℓᵢ; the optional
 * `logLikGradient(params, grad)` writes its gradient in the natural parameters into `grad` (and
 * returns the total): L-BFGS then uses it (chain rule to log parameters, plus the penalty's)
 * instead of central differences.
 */
export function fitMLE(names: string[], logLikTotal: (params: Float64Array) => number, nObs: number, o: CLVFitOptions = {}, logLikGradient?: (params: Float64Array, grad: Float64Array) => number): MLEResult {
  const k = names.length;
  const pen = o.penalizer ?? 0;
  if (!(pen >= 0)) throw new CustlabError("E_OPTION", `option penalizer must be ≥ 0, got ${pen}`);
  if (!(nObs > 0)) throw new CustlabError("E_EMPTY", "CLV fit: no customers to fit");
  const init = o.initialParams ?? names.map(() => 1);
  if (init.length !== k || init.some((v) => !(v > 0))) throw new CustlabError("E_OPTION", `option initialParams must be ${k} positive numbers (${names.join(", ")})`);
  const p = new Float64Array(k);
  const objective = (lp: Float64Array): number => {
    let penalty = 0;
    for (let i = 0; i < k; i++) { p[i] = Math.exp(lp[i]); penalty += p[i] * p[i]; }
    const ll = logLikTotal(p);
    if (!Number.isFinite(ll)) return Infinity;
    return -ll / nObs + pen * penalty;
  };
  let gradient: ((lp: Float64Array, g: Float64Array) => void) | undefined;
  if (logLikGradient) {
    const q = new Float64Array(k), gq = new Float64Array(k);
    gradient = (lp, g) => {
      for (let i = 0; i < k; i++) q[i] = Math.exp(lp[i]);
      logLikGradient(q, gq);
      // d/d log θ of −ℓ/n + pen Σ θ²: θ (−∂ℓ/∂θ / n + 2 pen θ)
      for (let i = 0; i < k; i++) g[i] = q[i] * (-gq[i] / nObs + 2 * pen * q[i]);
    };
  }
  const res = minimize(objective, Float64Array.from(init, Math.log), {
    method: o.method, extraStarts: o.extraStarts ?? 2, seed: o.seed ?? 42, maxIter: o.maxIter, gtol: o.gtol, onProgress: o.onProgress, gradient,
  });
  const params = Float64Array.from(res.x, Math.exp);
  const ll = logLikTotal(params);
  // Hessian of the total penalised negative log-likelihood in log-parameter space,
  // then the delta method: Cov(θ) = D Cov(log θ) D with D = diag(θ) (exact to first
  // order at the optimum, where the gradient vanishes).
  const H = numericHessian((lp) => nObs * objective(lp), res.x, 1e-4);
  const inv = invertMatrix(H, k);
  let cov: Float64Array | null = null;
  const se = new Float64Array(k).fill(NaN);
  if (inv) {
    cov = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cov[i * k + j] = inv[i * k + j] * params[i] * params[j];
    for (let i = 0; i < k; i++) se[i] = cov[i * k + i] >= 0 ? Math.sqrt(cov[i * k + i]) : NaN;
  }
  const report = { ...res.report, message: res.report.message.replace(/log-parameter (\d+)/g, (_m, i: string) => `log(${names[+i]})`) };
  if (!Number.isFinite(res.fun)) { report.converged = false; report.message = "objective not finite at any start point"; }
  const warnings: string[] = [];
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(se[i])) warnings.push(`${names[i]} = ${params[i].toPrecision(4)}: no standard error (the likelihood is flat or not concave in this direction) — the optimum is on the boundary of the parameter space or ${names[i]} is not identified by these data`);
    else if (se[i] > 10 * params[i]) warnings.push(`${names[i]} = ${params[i].toPrecision(4)} has a standard error ${(se[i] / params[i]).toFixed(0)}× its value: weakly identified`);
  }
  report.warnings = warnings;
  return { params, logLikelihood: ll, covariance: cov, standardErrors: se, report, n: nObs };
}

/** Unique (x, t_x, T) triples with counts: the likelihood is evaluated once per distinct history. */
export interface AggregatedHistories {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  w: Float64Array;
  total: number;
}

/** Validate and aggregate histories (frequency ≥ 0, 0 ≤ recency ≤ T, and recency = 0 when frequency = 0). */
export function aggregateHistories(frequency: ArrayLike<number>, recency: ArrayLike<number>, T: ArrayLike<number>, weights?: ArrayLike<number>): AggregatedHistories {
  const n = frequency.length;
  if (recency.length !== n || T.length !== n) throw new CustlabError("E_OPTION", `frequency, recency and T must have the same length (${n}, ${recency.length}, ${T.length})`);
  const map = new Map<string, number>();
  const xs: number[] = [], txs: number[] = [], Ts: number[] = [], ws: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = frequency[i], t = recency[i], a = T[i], w = weights ? weights[i] : 1;
    if (!(x >= 0) || !Number.isInteger(x)) throw new CustlabError("E_OPTION", `customer ${i + 1}: frequency must be a non-negative integer, got ${x}`);
    if (!(t >= 0) || !(a >= 0) || t > a + 1e-9) throw new CustlabError("E_OPTION", `customer ${i + 1}: need 0 ≤ recency ≤ T, got recency ${t}, T ${a}`);
    if (x === 0 && t !== 0) throw new CustlabError("E_OPTION", `customer ${i + 1}: recency must be 0 when frequency is 0, got ${t}`);
    if (!(w >= 0)) throw new CustlabError("E_OPTION", `customer ${i + 1}: weight must be ≥ 0, got ${w}`);
    const key = `${x}|${t}|${a}`;
    const j = map.get(key);
    if (j === undefined) { map.set(key, xs.length); xs.push(x); txs.push(t); Ts.push(a); ws.push(w); }
    else ws[j] += w;
    total += w;
  }
  return { x: Float64Array.from(xs), tx: Float64Array.from(txs), T: Float64Array.from(Ts), w: Float64Array.from(ws), total };
}
