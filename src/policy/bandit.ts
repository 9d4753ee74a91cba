/**
 * A retention policy that learns: Thompson sampling over the retention
 * actions, per context (segment × churn band, or one context for all), with a
 * Beta posterior of P(retained | context, action). Each customer gets the action
 * with the largest sampled net value p̃·value − cost. Simulated against a known
 * response model (the demo shop's planted one), with regret against the
 * per-context oracle, the best fixed action and random allocation.
 */
import { CustlabError, optionError } from "../util/errors";
import { createRng, type Rng } from "../util/random";
import type { ProgressCallback } from "../util/progress";
import type { Figure } from "../plot/figure";

/** State of a Thompson-sampling policy: Beta(α, β) per (context, action), row-major. */
export interface ThompsonPolicy {
  actions: string[];
  /** Cost per action (same order). */
  costs: Float64Array;
  contexts: string[];
  alpha: Float64Array;
  beta: Float64Array;
}

/**
 * A fresh Thompson-sampling policy with a Beta(prior[0], prior[1]) prior per (context, action).
 * @example
 * const pol = thompsonPolicy(["none", "discount"], [0, 5], ["loyal|high", "loyal|low"]);
 */
export function thompsonPolicy(actions: string[], costs: ArrayLike<number>, contexts: string[], prior: [number, number] = [1, 1]): ThompsonPolicy {
  if (!actions.length || actions.length !== costs.length) optionError("actions", `need one cost per action (${actions.length} actions, ${costs.length} costs)`);
  if (!contexts.length) optionError("contexts", "need at least one context");
  if (!(prior[0] > 0 && prior[1] > 0)) optionError("prior", `Beta prior parameters must be positive, got ${prior.join(", ")}`);
  const m = actions.length * contexts.length;
  return { actions: actions.slice(), costs: Float64Array.from(costs), contexts: contexts.slice(), alpha: new Float64Array(m).fill(prior[0]), beta: new Float64Array(m).fill(prior[1]) };
}

/**
 * Choose an action index for a customer in context `ctx` worth `value`: draw
 * p̃ₐ ~ Beta(αₐ, βₐ) per action and take argmax p̃ₐ·value − costₐ.
 * @example
 * const pol = thompsonPolicy(["none", "discount"], [0, 5], ["all"]);
 * const a = thompsonChoose(pol, 0, 120, createRng(1));
 */
export function thompsonChoose(policy: ThompsonPolicy, ctx: number, value: number, rng: Rng): number {
  const k = policy.actions.length;
  let best = 0, bestV = -Infinity;
  for (let a = 0; a < k; a++) {
    const v = rng.beta(policy.alpha[ctx * k + a], policy.beta[ctx * k + a]) * value - policy.costs[a];
    if (v > bestV) { bestV = v; best = a; }
  }
  return best;
}

/**
 * Posterior update after observing whether the customer was retained (0/1).
 * @example
 * const pol = thompsonPolicy(["none", "discount"], [0, 5], ["all"]);
 * thompsonUpdate(pol, 0, thompsonChoose(pol, 0, 120, createRng(1)), 1);
 */
export function thompsonUpdate(policy: ThompsonPolicy, ctx: number, action: number, retained: number): void {
  const i = ctx * policy.actions.length + action;
  if (retained === 1) policy.alpha[i]++; else policy.beta[i]++;
}

/** The environment of {@link simulateRetentionPolicy}: customers and the known response model. */
export interface RetentionEnvironment {
  /** Context label per customer (e.g. "loyal|high"). */
  context: string[];
  /** Value at risk per customer (what retaining them is worth). */
  value: ArrayLike<number>;
  /** True P(retained | customer i, action a). */
  response: (i: number, action: string) => number;
}

/** Options for {@link simulateRetentionPolicy}. */
export interface BanditSimulationOptions {
  /** Actions (default ["none", "discount", "free_shipping", "bundle"]). */
  actions?: string[];
  /** Cost per action (same order; required when `actions` is given, default [0, 5, 2, 3]). */
  costs?: number[];
  /** Simulated weeks (default 52). */
  weeks?: number;
  /** Customers contacted per week, drawn at random from the environment (default 200). */
  perWeek?: number;
  /** "context" (default: one posterior per context) or "none" (one for everybody). */
  context?: "context" | "none";
  /** Seed (default 42). */
  seed?: number;
  /** Progress (stage "bandit", one event per week). */
  onProgress?: ProgressCallback;
}

/** Result of {@link simulateRetentionPolicy}; all curves are cumulative per week. */
export interface BanditSimulation {
  actions: string[];
  weeks: number;
  perWeek: number;
  /** The single action with the highest expected net value over the population. */
  bestFixedAction: string;
  /**
   * Cumulative expected regret against the per-context oracle (the best action of
   * each context, known to the simulator only): expected net value of the oracle's
   * action minus that of the action taken, summed over customers.
   */
  regret: { thompson: Float64Array; random: Float64Array; bestFixed: Float64Array };
  /** Cumulative realised net value (retained × value − cost). */
  reward: { thompson: Float64Array; random: Float64Array; bestFixed: Float64Array };
  /** Share of each action taken by the bandit in the last week, per context. */
  finalChoice: Array<{ context: string; oracle: string; shares: Record<string, number> }>;
  /** The learned policy. */
  policy: ThompsonPolicy;
}

/**
 * Simulate a Thompson-sampling retention policy week by week against a known
 * response model, beside random allocation and the best fixed action (the same
 * customers each week; outcomes drawn independently per policy). Regret is
 * expected regret against the per-context oracle, so it is exact, not noisy.
 *
 * @example
 * const sim = simulateRetentionPolicy(env, { weeks: 52, perWeek: 200 });
 * sim.regret.thompson[51] < sim.regret.random[51]; // learns
 */
export function simulateRetentionPolicy(env: RetentionEnvironment, options: BanditSimulationOptions = {}): BanditSimulation {
  const actions = options.actions ?? ["none", "discount", "free_shipping", "bundle"];
  const costs = options.costs ?? (options.actions ? optionError("costs", "give one cost per action") : [0, 5, 2, 3]);
  if (costs.length !== actions.length) optionError("costs", `need ${actions.length} costs, got ${costs.length}`);
  const weeks = options.weeks ?? 52, perWeek = options.perWeek ?? 200;
  if (!(Number.isInteger(weeks) && weeks >= 1)) optionError("weeks", `must be a positive integer, got ${weeks}`);
  if (!(Number.isInteger(perWeek) && perWeek >= 1)) optionError("perWeek", `must be a positive integer, got ${perWeek}`);
  const n = env.context.length;
  if (!n || env.value.length !== n) throw new CustlabError("E_SHAPE", `the environment needs one context and value per customer (got ${n}, ${env.value.length})`);
  const useCtx = (options.context ?? "context") === "context";
  const ctxNames = useCtx ? [...new Set(env.context)].sort() : ["all"];
  const ctxIndex = new Map(ctxNames.map((c, i) => [c, i]));
  const ctxOf = Int32Array.from(env.context, (c) => (useCtx ? ctxIndex.get(c)! : 0));
  const k = actions.length;
  // Expected net value per customer and action; the oracle is per context (the best action on average in the context).
  const ev = new Float64Array(n * k), pr = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) {
    const p = env.response(i, actions[a]);
    if (!(p >= 0 && p <= 1)) throw new CustlabError("E_VALUE", `response(${i}, "${actions[a]}") = ${p} is not a probability`);
    pr[i * k + a] = p; ev[i * k + a] = p * env.value[i] - costs[a];
  }
  const trueCtx = [...new Set(env.context)].sort(), trueIdx = new Map(trueCtx.map((c, i) => [c, i]));
  const ctxSum = new Float64Array(trueCtx.length * k), overall = new Float64Array(k);
  for (let i = 0; i < n; i++) { const c = trueIdx.get(env.context[i])!; for (let a = 0; a < k; a++) { ctxSum[c * k + a] += ev[i * k + a]; overall[a] += ev[i * k + a]; } }
  const oracleOf = trueCtx.map((_, c) => { let b = 0; for (let a = 1; a < k; a++) if (ctxSum[c * k + a] > ctxSum[c * k + b]) b = a; return b; });
  let fixed = 0;
  for (let a = 1; a < k; a++) if (overall[a] > overall[fixed]) fixed = a;
  const policy = thompsonPolicy(actions, costs, ctxNames);
  const rng = createRng(options.seed ?? 42);
  const rT = createRng(((options.seed ?? 42) + 1) >>> 0), rR = createRng(((options.seed ?? 42) + 2) >>> 0), rF = createRng(((options.seed ?? 42) + 3) >>> 0);
  const mk = () => new Float64Array(weeks);
  const regret = { thompson: mk(), random: mk(), bestFixed: mk() }, reward = { thompson: mk(), random: mk(), bestFixed: mk() };
  let gT = 0, gR = 0, gF = 0, wT = 0, wR = 0, wF = 0;
  const last = new Float64Array(trueCtx.length * k);
  for (let w = 0; w < weeks; w++) {
    const pending: Array<[number, number, number]> = [];
    for (let j = 0; j < perWeek; j++) {
      const i = rng.int(n), c = trueIdx.get(env.context[i])!, best = ev[i * k + oracleOf[c]];
      const aT = thompsonChoose(policy, ctxOf[i], env.value[i], rT);
      const aR = rR.int(k);
      gT += best - ev[i * k + aT]; gR += best - ev[i * k + aR]; gF += best - ev[i * k + fixed];
      const yT = rng.next() < pr[i * k + aT] ? 1 : 0, yR = rng.next() < pr[i * k + aR] ? 1 : 0, yF = rF.next() < pr[i * k + fixed] ? 1 : 0;
      wT += yT * env.value[i] - costs[aT]; wR += yR * env.value[i] - costs[aR]; wF += yF * env.value[i] - costs[fixed];
      pending.push([ctxOf[i], aT, yT]);
      if (w === weeks - 1) last[c * k + aT]++;
    }
    // Outcomes of a week arrive at its end: the policy learns in weekly batches.
    for (const [c, a, y] of pending) thompsonUpdate(policy, c, a, y);
    regret.thompson[w] = gT; regret.random[w] = gR; regret.bestFixed[w] = gF;
    reward.thompson[w] = wT; reward.random[w] = wR; reward.bestFixed[w] = wF;
    options.onProgress?.({ stage: "bandit", done: w + 1, total: weeks });
  }
  const finalChoice = trueCtx.map((context, c) => {
    let tot = 0;
    for (let a = 0; a < k; a++) tot += last[c * k + a];
    return { context, oracle: actions[oracleOf[c]], shares: Object.fromEntries(actions.map((a, j) => [a, tot ? last[c * k + j] / tot : NaN])) };
  });
  return { actions, weeks, perWeek, bestFixedAction: actions[fixed], regret, reward, finalChoice, policy };
}

/**
 * Cumulative regret per simulated week: the bandit, random allocation and the best fixed action (plotly JSON).
 * @example
 * const fig = banditRegretFigure(simulateRetentionPolicy(env));
 */
export function banditRegretFigure(sim: BanditSimulation, options: { title?: string } = {}): Figure {
  const x = Array.from({ length: sim.weeks }, (_, w) => w + 1);
  return {
    data: [
      { type: "scatter", mode: "lines", name: "Thompson sampling", x, y: Array.from(sim.regret.thompson) },
      { type: "scatter", mode: "lines", name: "random allocation", x, y: Array.from(sim.regret.random) },
      { type: "scatter", mode: "lines", name: `best fixed (${sim.bestFixedAction})`, x, y: Array.from(sim.regret.bestFixed) },
    ],
    layout: {
      title: { text: options.title ?? `Cumulative regret against the per-context oracle (${sim.perWeek} customers a week)` },
      xaxis: { title: { text: "week" } }, yaxis: { title: { text: "expected value lost" } },
    },
  };
}
