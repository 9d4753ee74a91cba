/**
 * Next-best action: for each at-risk customer, the retention action with the
 * largest expected value
 *   EV(a) = P(churn) × uplift(a) × value − cost(a),
 * where uplift(a) is the share of would-be churners the action keeps (its save
 * rate, per segment where known) and value is what the customer is worth if
 * kept: its expected spend over the next 365 days given that it stays
 * (BG/NBD × Gamma-Gamma CLV divided by P(alive)). "No action" has EV 0, so an action is only
 * proposed when it pays for itself. Cross-sell bundles come from the
 * customer's own baskets: the strongest association rule that fires on what
 * they bought, else item-based CF. Every row says why in plain words.
 */
import * as fs from "fs";
import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { basketsFromTransactions } from "../rules/baskets";
import { ItemCFRecommender, RuleRecommender } from "../recommend/recommenders";
import { customerHistory } from "../recommend/evaluate";
import { scoreChurnCustomers, type LoadedChurnModel, type ScoreChurnOptions } from "../churn";
import { clvTableAt } from "../clv";

/** Eligibility rule of an action (every given condition must hold). */
export interface ActionEligibility {
  /** Only these segments (needs a segment per customer). */
  segments?: string[];
  /** Only these churn bands ("low", "medium", "high"). */
  bands?: string[];
  /** Value (predicted CLV) at least this. */
  minValue?: number;
  /** Value at most this. */
  maxValue?: number;
  /** P(churn) at least this. */
  minChurnProbability?: number;
}

/** One candidate action of actions.json. */
export interface ActionSpec {
  /** Machine name (unique), e.g. "discount". */
  id: string;
  /** Words for the reason text (default: the id with "_" as spaces). */
  label?: string;
  /** "none", "discount", "free_shipping", "bundle" or any other offer; "bundle" needs a cross-sell item for the customer. */
  kind?: string;
  /** Cost per customer who receives it (≥ 0). */
  cost: number;
  /** Save rate: share of would-be churners it keeps (0..1); a number, or a map segment → rate with an optional "*" default. */
  uplift: number | Record<string, number>;
  /** Optional eligibility rule. */
  eligibility?: ActionEligibility;
}

const where = (file: string | undefined, path: string) => ({ file, column: path });

/**
 * Validate actions (from actions.json or code): unique ids, costs ≥ 0, save
 * rates in [0, 1], known eligibility keys. Errors name the file and the JSON path.
 * @example
 * const acts = parseActions([{ id: "none", cost: 0, uplift: 0 }, { id: "discount", cost: 5, uplift: 0.3 }]);
 */
export function parseActions(json: unknown, file?: string): ActionSpec[] {
  const arr = Array.isArray(json) ? json : (json as { actions?: unknown })?.actions;
  if (!Array.isArray(arr) || !arr.length) throw new CustlabError("E_FORMAT", 'actions: expected a non-empty array of actions (or { "actions": [...] })', where(file, "actions"));
  const seen = new Set<string>();
  return arr.map((a: any, k: number) => {
    const p = `actions[${k}]`;
    if (!a || typeof a !== "object") throw new CustlabError("E_FORMAT", `${p} must be an object`, where(file, p));
    const known = ["id", "label", "kind", "cost", "uplift", "eligibility", "description"];
    for (const key of Object.keys(a)) if (!known.includes(key)) throw new CustlabError("E_FORMAT", `${p}.${key} is not a known field (fields: ${known.join(", ")})`, where(file, `${p}.${key}`));
    if (typeof a.id !== "string" || !a.id) throw new CustlabError("E_FORMAT", `${p}.id must be a non-empty string`, where(file, `${p}.id`));
    if (seen.has(a.id)) throw new CustlabError("E_FORMAT", `${p}.id "${a.id}" is used twice`, where(file, `${p}.id`));
    seen.add(a.id);
    if (typeof a.cost !== "number" || !(a.cost >= 0)) throw new CustlabError("E_FORMAT", `${p}.cost must be a number ≥ 0, got ${JSON.stringify(a.cost)}`, where(file, `${p}.cost`));
    const rate = (v: unknown, q: string) => { if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new CustlabError("E_FORMAT", `${q} must be a save rate in [0, 1], got ${JSON.stringify(v)}`, where(file, q)); };
    if (typeof a.uplift === "number") rate(a.uplift, `${p}.uplift`);
    else if (a.uplift && typeof a.uplift === "object") for (const [s, v] of Object.entries(a.uplift)) rate(v, `${p}.uplift.${s}`);
    else throw new CustlabError("E_FORMAT", `${p}.uplift must be a save rate or a map segment → save rate`, where(file, `${p}.uplift`));
    const e = a.eligibility;
    if (e !== undefined) {
      if (!e || typeof e !== "object") throw new CustlabError("E_FORMAT", `${p}.eligibility must be an object`, where(file, `${p}.eligibility`));
      const keys = ["segments", "bands", "minValue", "maxValue", "minChurnProbability"];
      for (const key of Object.keys(e)) if (!keys.includes(key)) throw new CustlabError("E_FORMAT", `${p}.eligibility.${key} is not a known rule (rules: ${keys.join(", ")})`, where(file, `${p}.eligibility.${key}`));
      for (const key of ["segments", "bands"]) if (e[key] !== undefined && !(Array.isArray(e[key]) && e[key].every((x: unknown) => typeof x === "string"))) throw new CustlabError("E_FORMAT", `${p}.eligibility.${key} must be a list of names`, where(file, `${p}.eligibility.${key}`));
      for (const key of ["minValue", "maxValue", "minChurnProbability"]) if (e[key] !== undefined && typeof e[key] !== "number") throw new CustlabError("E_FORMAT", `${p}.eligibility.${key} must be a number`, where(file, `${p}.eligibility.${key}`));
    }
    return { id: a.id, label: a.label, kind: a.kind ?? a.id, cost: a.cost, uplift: a.uplift, eligibility: e };
  });
}

/**
 * Read and validate actions.json (see {@link parseActions}).
 * @example const acts = readActions("actions.json");
 */
export function readActions(file: string): ActionSpec[] {
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "file not found", { file });
  let json: unknown;
  try { json = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { throw new CustlabError("E_FORMAT", `not valid JSON (${(e as Error).message})`, { file }); }
  return parseActions(json, file);
}

/** A cross-sell item for one customer, with where it came from. */
export interface BundleItem {
  item: string;
  /** "rule" (an association rule on the customer's own items) or "item-cf". */
  source: "rule" | "item-cf";
  /** The reason in words. */
  why: string;
}

/** Options for {@link nextBestActions}. */
export interface NextBestActionOptions {
  /** Segment per customer id (for per-segment save rates and eligibility). */
  segmentOf?: Map<string, string>;
  /** Cross-sell item per customer id (for "bundle" actions). */
  bundleOf?: Map<string, BundleItem>;
  /** Currency sign in the reasons (default none). */
  currency?: string;
}

const label = (a: ActionSpec) => a.label ?? a.id.replace(/_/g, " ");
const money = (v: number, c: string) => `${c}${v.toFixed(2)}`;

function saveRate(a: ActionSpec, segment: string | undefined): number | undefined {
  if (typeof a.uplift === "number") return a.uplift;
  if (segment !== undefined && a.uplift[segment] !== undefined) return a.uplift[segment];
  return a.uplift["*"];
}

/**
 * Pick the next-best action for each customer of a scored table
 * (customer_id, churn_probability, band, and the value if kept in `value`, or
 * else predicted_clv_365d; reason_1 optional).
 * Returns one row per customer: action, expected_value, cost, save_rate, the
 * runner-up, the bundle item (for bundles), and the reason in plain words.
 *
 * @example
 * const acts = parseActions([{ id: "none", cost: 0, uplift: 0 }, { id: "discount", cost: 5, uplift: 0.3 }]);
 * const nba = nextBestActions(scored, acts);
 * nba.str("action"); // ["discount", "none", ...]
 */
export function nextBestActions(scored: Table, actions: ActionSpec[], options: NextBestActionOptions = {}): Table {
  const valueCol = scored.has("value") ? "value" : "predicted_clv_365d";
  for (const c of ["customer_id", "churn_probability", "band", valueCol])
    if (!scored.has(c)) throw new CustlabError("E_COLUMN", `next-best action needs column "${c}" (columns: ${scored.columnNames().join(", ")})`, { column: c });
  const ids = scored.str("customer_id"), p = scored.num("churn_probability"), band = scored.str("band"), clv = scored.num(valueCol);
  const why1 = scored.has("reason_1") ? scored.str("reason_1") : null;
  const cur = options.currency ?? "";
  const n = scored.numRows;
  const out = {
    customer_id: ids.slice(), segment: new Array<string>(n), churn_probability: Float64Array.from(p), band: band.slice(), value: new Float64Array(n),
    action: new Array<string>(n), expected_value: new Float64Array(n), cost: new Float64Array(n), save_rate: new Float64Array(n),
    bundle_item: new Array<string>(n), runner_up: new Array<string>(n), runner_up_value: new Float64Array(n), reason: new Array<string>(n),
  };
  for (let i = 0; i < n; i++) {
    const seg = options.segmentOf?.get(ids[i]);
    const v = Number.isFinite(clv[i]) ? Math.max(0, clv[i]) : 0;
    const bundle = options.bundleOf?.get(ids[i]);
    const cands: Array<{ a: ActionSpec; ev: number; s: number }> = [];
    const skipped: string[] = [];
    for (const a of actions) {
      const e = a.eligibility;
      const s = saveRate(a, seg);
      if (s === undefined) { skipped.push(`${label(a)} (no save rate for segment ${seg ?? "unknown"})`); continue; }
      if (e?.segments && !(seg !== undefined && e.segments.includes(seg))) { skipped.push(`${label(a)} (segment)`); continue; }
      if (e?.bands && !e.bands.includes(band[i])) { skipped.push(`${label(a)} (band)`); continue; }
      if (e?.minValue !== undefined && !(v >= e.minValue)) { skipped.push(`${label(a)} (value below ${money(e.minValue, cur)})`); continue; }
      if (e?.maxValue !== undefined && !(v <= e.maxValue)) { skipped.push(`${label(a)} (value above ${money(e.maxValue, cur)})`); continue; }
      if (e?.minChurnProbability !== undefined && !(p[i] >= e.minChurnProbability)) { skipped.push(`${label(a)} (churn risk)`); continue; }
      if (a.kind === "bundle" && !bundle) { skipped.push(`${label(a)} (no cross-sell item in this customer's baskets)`); continue; }
      cands.push({ a, ev: a.kind === "none" ? (a.cost ? -a.cost : 0) : p[i] * s * v - a.cost, s });
    }
    // "No action" is always possible at EV 0.
    if (!cands.some((c) => c.a.kind === "none")) cands.push({ a: { id: "none", kind: "none", cost: 0, uplift: 0 }, ev: 0, s: 0 });
    cands.sort((x, y) => y.ev - x.ev || x.a.cost - y.a.cost);
    const best = cands[0], second = cands[1];
    out.segment[i] = seg ?? ""; out.value[i] = v; out.action[i] = best.a.id; out.expected_value[i] = best.ev; out.cost[i] = best.a.cost; out.save_rate[i] = best.s;
    out.bundle_item[i] = best.a.kind === "bundle" ? bundle!.item : "";
    out.runner_up[i] = second ? second.a.id : ""; out.runner_up_value[i] = second ? second.ev : NaN;
    const risk = `P(churn) ${(100 * p[i]).toFixed(0)}% (${band[i]} risk${why1?.[i] ? `: ${why1[i]}` : ""})`;
    const alt = second ? `; next best: ${label(second.a)} (${money(second.ev, cur)})` : "";
    const notEligible = skipped.length ? `; not eligible: ${skipped.join(", ")}` : "";
    out.reason[i] = best.a.kind === "none"
      ? `${risk}; no action pays for itself on a value of ${money(v, cur)}${alt}${notEligible}.`
      : `${risk} × ${label(best.a)} keeps ${(100 * best.s).toFixed(0)}% of ${seg ? `"${seg}"` : "such"} customers × ${money(v, cur)} value − ${money(best.a.cost, cur)} cost = ${money(best.ev, cur)} expected${best.a.kind === "bundle" ? `; bundle: ${bundle!.item} (${bundle!.why})` : ""}${alt}${notEligible}.`;
  }
  const t = new Table(out);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => out.expected_value[b] - out.expected_value[a] || (ids[a] < ids[b] ? -1 : 1));
  return t.take(order);
}

/**
 * Cross-sell items for customers from their own baskets: the best association
 * rule that fires on what they bought (support ≥ `minSupport`), else the
 * best item-based CF neighbour; never an item they already bought.
 * @example
 * const bundles = crossSellBundles(tx, ["12347", "12348"]);
 */
export function crossSellBundles(tx: Table, customers: string[], options: { minSupport?: number; minConfidence?: number } = {}): Map<string, BundleItem> {
  const b = basketsFromTransactions(tx, { by: "order" });
  const out = new Map<string, BundleItem>();
  if (!b.offsets || b.offsets.length < 2) return out;
  const rules = new RuleRecommender({ minSupport: options.minSupport ?? 0.005, minConfidence: options.minConfidence ?? 0.1, fillWithPopular: false }).fit(b);
  const cf = new ItemCFRecommender({}).fit(b);
  for (const c of customers) {
    const h = customerHistory(b, c);
    if (!h.items.length) continue;
    const r = rules.recommendForHistory(h, 1)[0];
    if (r && r.source === "rule") {
      out.set(c, { item: r.item, source: "rule", why: `bought by ${(100 * r.confidence).toFixed(0)}% of baskets with ${r.antecedent.join(" + ")} (lift ${r.lift.toFixed(1)})` });
      continue;
    }
    const ex = new Uint8Array(b.itemNames.length);
    for (const i of h.items) ex[i] = 1;
    const top = cf.rank(h, 1, ex);
    if (top.items.length && top.scores[0] > 0) out.set(c, { item: b.itemNames[top.items[0]], source: "item-cf", why: "often bought by customers who bought the same items (item-based CF)" });
  }
  return out;
}

/**
 * What each customer is worth if kept: expected spend over the next 365 days
 * given that the customer stays, = BG/NBD × Gamma-Gamma CLV ÷ P(alive), fitted
 * on the purchases before `asOf` (weeks). A customer the model thinks gone is
 * worth what they would spend as an active customer, which is what a
 * retention action wins back.
 * @example
 * const v = valueIfKept(tx, Date.parse("2011-09-09"));
 * v.get("12347");
 */
export function valueIfKept(tx: Table, asOf: number): Map<string, number> {
  const t = clvTableAt(tx, asOf, { horizonDays: 365 });
  const ids = t.str("customer_id"), clv = t.num("predicted_clv"), alive = t.num("p_alive");
  return new Map(ids.map((c, i) => [c, alive[i] > 1e-12 && Number.isFinite(clv[i]) ? clv[i] / alive[i] : 0]));
}

/** Options for {@link actionsFromScores} and {@link recommendActions}. */
export interface ActionsFromScoresOptions {
  /** Which customers are at risk: "high" (default: the high band), "medium" (medium and high), or "all". */
  atRisk?: "high" | "medium" | "all";
  /** Customer attributes: a table with customer_id and a segment column (`segmentColumn`). */
  customers?: Table;
  /** Segment column of `customers` (default "segment"). */
  segmentColumn?: string;
  /** Currency sign in the reasons (default none). */
  currency?: string;
  onProgress?: ProgressCallback;
}

/** Options for {@link recommendActions}. */
export interface RecommendActionsOptions extends ScoreChurnOptions, ActionsFromScoresOptions {
  onProgress?: ProgressCallback;
}

/** Result of {@link actionsFromScores}. */
export interface ActionsResult {
  /** One row per at-risk customer, highest expected value first. */
  table: Table;
  /** Customers scored, and at risk. */
  counts: { scored: number; atRisk: number; byAction: Record<string, number> };
  /** Total expected value of the chosen actions. */
  expectedValue: number;
  rule: string;
}

/** Result of {@link recommendActions}. */
export interface RecommendActionsResult extends ActionsResult {
  /** Scoring facts (as-of date, bands, value rule, model). */
  score: Omit<ReturnType<typeof scoreChurnCustomers>, "table">;
}

/**
 * Next-best actions from churn scores already made (customer_id,
 * churn_probability, band; reason_1 optional): keep the at-risk customers,
 * value them if kept ({@link valueIfKept}), find cross-sell bundles in their
 * own baskets, and pick each customer's action by expected value. The report
 * pipeline calls this with its own scores; {@link recommendActions} with a
 * registered model's.
 * @example
 * const r = actionsFromScores(tx, scored, Date.parse("2011-12-10"), readActions("actions.json"), { atRisk: "medium" });
 */
export function actionsFromScores(tx: Table, scoredAll: Table, asOf: number, actions: ActionSpec[], options: ActionsFromScoresOptions = {}): ActionsResult {
  const atRisk = options.atRisk ?? "high";
  const band = scoredAll.str("band");
  const risky = atRisk === "all" ? scoredAll : scoredAll.filter((i) => band[i] === "high" || (atRisk === "medium" && band[i] === "medium"));
  const kept = valueIfKept(tx, asOf);
  const scored = risky.assign({ value: Float64Array.from(risky.str("customer_id"), (c) => kept.get(c) ?? 0) });
  let segmentOf: Map<string, string> | undefined;
  if (options.customers) {
    const col = options.segmentColumn ?? "segment";
    for (const c of ["customer_id", col]) if (!options.customers.has(c)) throw new CustlabError("E_COLUMN", `customer attributes have no column "${c}" (columns: ${options.customers.columnNames().join(", ")})`, { column: c });
    const ids = options.customers.str("customer_id"), seg = options.customers.get(col);
    segmentOf = new Map(ids.map((id, i) => [id, String(seg[i])]));
  }
  const needBundles = actions.some((a) => a.kind === "bundle");
  const ts = tx.num("timestamp");
  const bundleOf = needBundles ? crossSellBundles(tx.filter((i) => ts[i] < asOf), scored.str("customer_id")) : undefined;
  options.onProgress?.({ stage: "actions", done: 1, total: 1 });
  const table = nextBestActions(scored, actions, { segmentOf, bundleOf, currency: options.currency });
  const byAction: Record<string, number> = {};
  for (const a of table.str("action")) byAction[a] = (byAction[a] ?? 0) + 1;
  let ev = 0;
  for (const v of Array.from(table.num("expected_value"))) ev += v;
  return {
    table, counts: { scored: scoredAll.numRows, atRisk: scored.numRows, byAction }, expectedValue: ev,
    rule: "expected_value = churn_probability × save_rate(action, segment) × value − cost, value = expected spend over 365 days if the customer stays (BG/NBD × Gamma-Gamma CLV ÷ P(alive)); no action = 0; the largest wins (ties: the cheaper)",
  };
}

/**
 * The one next-best-action workflow for a registered churn model (CLI
 * `custlab actions`): score every customer with it, then {@link actionsFromScores}.
 * @example
 * const r = recommendActions(tx, loadChurnModel("models@champion"), readActions("actions.json"));
 * r.table.head(5).toMarkdown();
 */
export function recommendActions(tx: Table, lm: LoadedChurnModel, actions: ActionSpec[], options: RecommendActionsOptions = {}): RecommendActionsResult {
  const { table: scoredAll, ...facts } = scoreChurnCustomers(tx, lm, options);
  return { ...actionsFromScores(tx, scoredAll, Date.parse(facts.asOf), actions, options), score: facts };
}
