/**
 * Off-policy evaluation: the value of a new policy estimated from logged
 * campaign data (each row: context, the action the logging policy took, its
 * probability, the reward), before the policy goes live.
 * - IPW (inverse propensity weighting): V̂ = mean(π(aᵢ|xᵢ)/μ(aᵢ|xᵢ) · rᵢ);
 * - self-normalised IPW: the same weights, divided by their sum;
 * - doubly robust (Dudík, Langford & Li 2011): V̂ = mean(Σₐ π(a|xᵢ)·q̂(xᵢ, a) + π(aᵢ|xᵢ)/μ(aᵢ|xᵢ)·(rᵢ − q̂(xᵢ, aᵢ))),
 *   unbiased when either the propensities or the reward model q̂ are right.
 * The default reward model is the mean logged reward per (context, action), cross-fitted
 * over `folds` so that no row's own reward enters its q̂.
 */
import { CustlabError, optionError } from "../util/errors";
import { createRng } from "../util/random";

/** Logged data of {@link offPolicyValue}. */
export interface PolicyLog {
  /** Context label per row (e.g. "loyal|high"). */
  context: ArrayLike<string>;
  /** Action taken per row. */
  action: ArrayLike<string>;
  /** Probability the logging policy gave the action taken (> 0). */
  propensity: ArrayLike<number>;
  /** Reward per row (e.g. retained × value − cost). */
  reward: ArrayLike<number>;
}

/** An estimate with its standard error and normal 95% interval. */
export interface PolicyValueEstimate {
  value: number;
  se: number;
  ci: [number, number];
}

/** Result of {@link offPolicyValue}. */
export interface OffPolicyEvaluation {
  n: number;
  ipw: PolicyValueEstimate;
  snipw: PolicyValueEstimate;
  dr: PolicyValueEstimate;
  /** Share of logged rows where the target policy could have taken the logged action (π > 0). */
  support: number;
  /** Effective sample size of the importance weights, (Σw)²/Σw². */
  effectiveSampleSize: number;
  warnings: string[];
}

/** Options for {@link offPolicyValue}. */
export interface OffPolicyOptions {
  /** Reward model q̂(row, action); default: cross-fitted mean reward per (context, action), falling back to the action's mean. */
  rewardModel?: (row: number, action: string) => number;
  /** Folds of the default reward model's cross-fitting (default 5). */
  folds?: number;
  /** Seed of the folds (default 42). */
  seed?: number;
}

function estimate(terms: Float64Array): PolicyValueEstimate {
  const n = terms.length;
  let m = 0;
  for (const t of terms) m += t;
  m /= n;
  let ss = 0;
  for (const t of terms) ss += (t - m) ** 2;
  const se = Math.sqrt(ss / Math.max(1, n - 1) / n);
  return { value: m, se, ci: [m - 1.959963984540054 * se, m + 1.959963984540054 * se] };
}

/**
 * Estimate the value (mean reward per customer) of a target policy from logged data.
 *
 * @param log - contexts, logged actions, their propensities and rewards
 * @param target - π(a | row): the target policy's probability of action `a` for logged row `row` (a deterministic policy returns 1 for its action, 0 otherwise)
 * @param actions - every action the target policy may take
 * @example
 * const ev = offPolicyValue(log, (i, a) => (a === "discount" ? 1 : 0), ["none", "discount"]);
 * ev.dr.value; // estimated mean reward if everybody got the discount
 */
export function offPolicyValue(log: PolicyLog, target: (row: number, action: string) => number, actions: string[], options: OffPolicyOptions = {}): OffPolicyEvaluation {
  const n = log.reward.length;
  if (!n) throw new CustlabError("E_VALUE", "off-policy evaluation needs logged rows");
  if (log.context.length !== n || log.action.length !== n || log.propensity.length !== n)
    throw new CustlabError("E_SHAPE", `the log needs one context, action, propensity and reward per row (got ${log.context.length}, ${log.action.length}, ${log.propensity.length}, ${n})`);
  if (!actions.length) optionError("actions", "name the actions the target policy may take");
  const pi = new Float64Array(n * actions.length);
  const w = new Float64Array(n);
  let support = 0;
  for (let i = 0; i < n; i++) {
    const mu = log.propensity[i];
    if (!(mu > 0 && mu <= 1)) throw new CustlabError("E_VALUE", `propensity must be in (0, 1], got ${mu} at row ${i}`);
    if (!Number.isFinite(log.reward[i])) throw new CustlabError("E_VALUE", `reward must be finite, got ${log.reward[i]} at row ${i}`);
    let tot = 0;
    for (let a = 0; a < actions.length; a++) {
      const p = target(i, actions[a]);
      if (!(p >= 0 && p <= 1)) throw new CustlabError("E_VALUE", `target policy gave probability ${p} to "${actions[a]}" at row ${i}`);
      pi[i * actions.length + a] = p; tot += p;
    }
    if (Math.abs(tot - 1) > 1e-9) throw new CustlabError("E_VALUE", `target policy probabilities sum to ${tot} at row ${i}, not 1`);
    const ai = actions.indexOf(log.action[i]);
    w[i] = ai >= 0 ? pi[i * actions.length + ai] / mu : 0;
    if (w[i] > 0) support++;
  }
  let q = options.rewardModel;
  if (!q) {
    const k = options.folds ?? 5;
    if (!(Number.isInteger(k) && k >= 2)) optionError("folds", `must be an integer ≥ 2, got ${k}`);
    const rng = createRng(options.seed ?? 42);
    const fold = Int32Array.from({ length: n }, (_, i) => i % k);
    rng.shuffle(fold);
    // Sums per (fold, context|action) and per (fold, action); q̂ for row i uses the other folds.
    const byCA = new Map<string, Float64Array>(), byA = new Map<string, Float64Array>();
    const add = (m: Map<string, Float64Array>, key: string, f: number, r: number) => { let v = m.get(key); if (!v) m.set(key, (v = new Float64Array(2 * k))); v[2 * f] += r; v[2 * f + 1]++; };
    for (let i = 0; i < n; i++) { add(byCA, `${log.context[i]}\u0000${log.action[i]}`, fold[i], log.reward[i]); add(byA, log.action[i], fold[i], log.reward[i]); }
    const mean = (v: Float64Array | undefined, f: number): number => {
      if (!v) return NaN;
      let s = 0, c = 0;
      for (let g = 0; g < k; g++) if (g !== f) { s += v[2 * g]; c += v[2 * g + 1]; }
      return c ? s / c : NaN;
    };
    q = (row, a) => {
      const m = mean(byCA.get(`${log.context[row]}\u0000${a}`), fold[row]);
      if (!Number.isNaN(m)) return m;
      const b = mean(byA.get(a), fold[row]);
      return Number.isNaN(b) ? 0 : b;
    };
  }
  const tIpw = new Float64Array(n), tDr = new Float64Array(n);
  let wsum = 0, w2 = 0;
  for (let i = 0; i < n; i++) {
    tIpw[i] = w[i] * log.reward[i];
    let direct = 0;
    for (let a = 0; a < actions.length; a++) { const p = pi[i * actions.length + a]; if (p > 0) direct += p * q(i, actions[a]); }
    tDr[i] = direct + (w[i] > 0 ? w[i] * (log.reward[i] - q(i, log.action[i])) : 0);
    wsum += w[i]; w2 += w[i] * w[i];
  }
  // Self-normalised IPW: Σ wᵢrᵢ / Σ wᵢ; delta-method standard error.
  const sn = wsum > 0 ? tIpw.reduce((s, v) => s + v, 0) / wsum : NaN;
  const tSn = Float64Array.from(tIpw, (v, i) => (n * (v - w[i] * sn)) / (wsum || 1));
  const snE = estimate(tSn);
  const warnings: string[] = [];
  const ess = w2 > 0 ? (wsum * wsum) / w2 : 0;
  if (support / n < 0.05) warnings.push(`Only ${(100 * support / n).toFixed(1)}% of the logged rows took an action the new policy would take: the estimates rest on few customers.`);
  if (ess < 0.1 * n) warnings.push(`Effective sample size ${ess.toFixed(0)} of ${n}: the importance weights are very uneven; trust the doubly robust estimate over IPW, and neither much.`);
  return { n, ipw: estimate(tIpw), snipw: { value: sn, se: snE.se, ci: [sn - 1.959963984540054 * snE.se, sn + 1.959963984540054 * snE.se] }, dr: estimate(tDr), support: support / n, effectiveSampleSize: ess, warnings };
}
