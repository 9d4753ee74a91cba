import { CustlabError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import { Baskets } from "./baskets";
import { FrequentItemsets, findByRanks, frequentItemsets, numItemsets } from "./itemsets";

/** Rule generation mode. */
export type RuleMode = "arules" | "mlxtend";

/** Names of the numeric rule metrics (columns of {@link rulesTable}). */
export type RuleMetric =
  | "antecedent_support" | "consequent_support" | "support" | "confidence" | "lift" | "representativity"
  | "leverage" | "conviction" | "zhangs_metric" | "jaccard" | "certainty" | "kulczynski" | "count" | "length";

/** Every metric name, in table column order. */
export const RULE_METRICS: readonly RuleMetric[] = [
  "antecedent_support", "consequent_support", "support", "confidence", "lift", "representativity",
  "leverage", "conviction", "zhangs_metric", "jaccard", "certainty", "kulczynski", "count", "length",
];

/**
 * A set of association rules in columnar form. Rule `i` is
 * `antecedent ⇒ consequent` with the item ids
 * `antItems[antOffsets[i] .. antOffsets[i+1])` and
 * `consItems[consOffsets[i] .. consOffsets[i+1])`. Metrics follow mlxtend's
 * `association_rules` definitions (supports are fractions of baskets):
 * - confidence = s(A∪C)/s(A); lift = confidence/s(C); leverage = s(A∪C) − s(A)s(C)
 * - conviction = (1 − s(C))/(1 − confidence), +∞ when confidence is 1
 * - Zhang = leverage / max(s(A∪C)(1 − s(A)), s(A)(s(C) − s(A∪C))), 0 when the denominator is 0
 * - Jaccard = s(A∪C)/(s(A) + s(C) − s(A∪C)); certainty = (confidence − s(C))/(1 − s(C)), 0 when s(C) = 1
 * - Kulczynski = (s(A∪C)/s(A) + s(A∪C)/s(C))/2; representativity = 1 (no missing values in baskets)
 */
export interface RuleSet {
  /** How rules were generated. */
  mode: RuleMode;
  /** Item label per item id. */
  itemNames: string[];
  /** Number of baskets (support denominator). */
  numTransactions: number;
  antOffsets: Int32Array;
  antItems: Int32Array;
  consOffsets: Int32Array;
  consItems: Int32Array;
  /** Baskets containing antecedent ∪ consequent. */
  count: Int32Array;
  antecedentSupport: Float64Array;
  consequentSupport: Float64Array;
  support: Float64Array;
  confidence: Float64Array;
  lift: Float64Array;
  representativity: Float64Array;
  leverage: Float64Array;
  conviction: Float64Array;
  zhangsMetric: Float64Array;
  jaccard: Float64Array;
  certainty: Float64Array;
  kulczynski: Float64Array;
}

/** Options for {@link generateRules}. */
export interface RuleOptions {
  /**
   * "arules" (default): single-item consequents, as R arules' `apriori`
   * (with minLen 1 this includes rules with an empty antecedent, `{} ⇒ {c}`,
   * whose confidence is the support of c). "mlxtend": every split of each
   * frequent itemset (size ≥ 2) into non-empty antecedent and consequent, as
   * mlxtend's `association_rules`.
   */
  mode?: RuleMode;
  /** Minimum confidence (default 0.8, as both arules and mlxtend). */
  minConfidence?: number;
  /** Minimum lift (default 0: no filter). */
  minLift?: number;
  /** Minimum rule length |A| + |C| (default 1 as arules: empty-antecedent rules are allowed in arules mode; mlxtend rules always have length ≥ 2). */
  minLen?: number;
  /** Maximum rule length (default: the itemsets' maxLen). */
  maxLen?: number;
  /** Drop redundant rules (see {@link pruneRedundantRules}; default false). */
  pruneRedundant?: boolean;
  /** Progress over itemsets (stage "rules"). */
  onProgress?: ProgressCallback;
}

class GrowI {
  a: Int32Array; n = 0;
  constructor(cap = 4096) { this.a = new Int32Array(cap); }
  push(v: number): void { if (this.n === this.a.length) { const g = new Int32Array(this.a.length * 2); g.set(this.a); this.a = g; } this.a[this.n++] = v; }
  done(): Int32Array { return this.a.slice(0, this.n); }
}

// A tiny relative tolerance so that e.g. 10/20 ≥ 0.5 holds however the ratio is rounded.
const EPS = 1e-12;

/**
 * Generate association rules from frequent itemsets. Counts reproduce R
 * arules (mode "arules") and mlxtend (mode "mlxtend") exactly: on the arules
 * Groceries data, support 0.001 and confidence 0.5 give 5,668 and 5,829 rules.
 *
 * @example
 * const fi = frequentItemsets(baskets, { minSupport: 0.001 });
 * const rules = generateRules(fi, { minConfidence: 0.5 });   // 5,668 rules on Groceries
 * rulesTable(sortRules(rules, "lift")).head(5).toMarkdown();
 */
export function generateRules(fi: FrequentItemsets, o: RuleOptions = {}): RuleSet {
  const mode = o.mode ?? "arules";
  if (mode !== "arules" && mode !== "mlxtend") throw new CustlabError("E_OPTION", `option mode: expected "arules" or "mlxtend", got "${mode}"`);
  const minConf = o.minConfidence ?? 0.8;
  const minLift = o.minLift ?? 0;
  const minLen = o.minLen ?? 1;
  const maxLen = o.maxLen ?? fi.maxLen;
  if (!(minConf >= 0 && minConf <= 1)) throw new CustlabError("E_OPTION", `option minConfidence: expected a number in [0, 1], got ${minConf}`);
  if (!(minLen >= 1)) throw new CustlabError("E_OPTION", `option minLen: expected ≥ 1, got ${minLen}`);
  const N = fi.numTransactions;
  const antOff = new GrowI(), antIt = new GrowI(), consOff = new GrowI(), consIt = new GrowI();
  const cAC = new GrowI(), cA = new GrowI(), cC = new GrowI();
  antOff.push(0); consOff.push(0);
  const nSets = numItemsets(fi);
  const ranks = new Int32Array(64), sub = new Int32Array(64);
  const accept = (countAC: number, countA: number, countC: number): boolean => {
    // confidence = countAC / countA ≥ minConf, lift = conf / (countC / N) ≥ minLift
    if (countAC < minConf * countA * (1 - EPS)) return false;
    if (minLift > 0 && countAC * N < minLift * countA * countC * (1 - EPS)) return false;
    return true;
  };
  for (let s = 0; s < nSets; s++) {
    const a = fi.offsets[s], e = fi.offsets[s + 1];
    const k = e - a;
    if (k > maxLen || k < minLen) continue;
    const countAC = fi.counts[s];
    if (k > 60) throw new CustlabError("E_OPTION", "itemsets longer than 60 items are not supported for rule generation; lower maxLen");
    for (let j = 0; j < k; j++) ranks[j] = fi.rank[fi.items[a + j]];
    if (mode === "arules") {
      if (k === 1) {
        // {} ⇒ {c}: antecedent support 1, confidence = support(c)
        if (accept(countAC, N, countAC)) {
          antOff.push(antIt.n); consIt.push(fi.items[a]); consOff.push(consIt.n);
          cAC.push(countAC); cA.push(N); cC.push(countAC);
        }
        continue;
      }
      for (let c = 0; c < k; c++) {
        let m = 0;
        for (let j = 0; j < k; j++) if (j !== c) sub[m++] = ranks[j];
        const ia = findByRanks(fi, sub, m);
        const ic = findByRanks(fi, ranks.subarray(c, c + 1), 1);
        if (ia < 0 || ic < 0) throw new CustlabError("E_INTERNAL", "a subset of a frequent itemset is missing from the trie");
        const countA = fi.counts[ia], countC = fi.counts[ic];
        if (!accept(countAC, countA, countC)) continue;
        for (let j = 0; j < k; j++) if (j !== c) antIt.push(fi.items[a + j]);
        antOff.push(antIt.n);
        consIt.push(fi.items[a + c]); consOff.push(consIt.n);
        cAC.push(countAC); cA.push(countA); cC.push(countC);
      }
    } else {
      if (k < 2) continue;
      if (k > 20) throw new CustlabError("E_OPTION", `mlxtend mode enumerates 2^k − 2 splits per itemset; an itemset of ${k} items is too long — set maxLen ≤ 20`);
      const full = (1 << k) - 1;
      // antecedent sizes from k-1 down to 1, as mlxtend; masks in increasing order within a size
      for (let mask = 1; mask < full; mask++) {
        let ma = 0, mc = 0;
        for (let j = 0; j < k; j++) if (mask & (1 << j)) sub[ma++] = ranks[j];
        const ia = findByRanks(fi, sub, ma);
        for (let j = 0; j < k; j++) if (!(mask & (1 << j))) sub[mc++] = ranks[j];
        const ic = findByRanks(fi, sub, mc);
        if (ia < 0 || ic < 0) throw new CustlabError("E_INTERNAL", "a subset of a frequent itemset is missing from the trie");
        const countA = fi.counts[ia], countC = fi.counts[ic];
        if (!accept(countAC, countA, countC)) continue;
        for (let j = 0; j < k; j++) if (mask & (1 << j)) antIt.push(fi.items[a + j]); else consIt.push(fi.items[a + j]);
        antOff.push(antIt.n); consOff.push(consIt.n);
        cAC.push(countAC); cA.push(countA); cC.push(countC);
      }
    }
    if (o.onProgress && (s % 4096 === 0 || s === nSets - 1)) o.onProgress({ stage: "rules", done: s + 1, total: nSets, message: `${cAC.n} rules` });
  }
  let rules = buildRuleSet(mode, fi.itemNames, N, antOff.done(), antIt.done(), consOff.done(), consIt.done(), cAC.done(), cA.done(), cC.done());
  if (o.pruneRedundant) rules = pruneRedundantRules(rules);
  return rules;
}

/** Compute every metric from the three support counts and assemble a RuleSet. */
function buildRuleSet(mode: RuleMode, itemNames: string[], N: number, antOffsets: Int32Array, antItems: Int32Array, consOffsets: Int32Array, consItems: Int32Array,
  cAC: Int32Array, cA: Int32Array, cC: Int32Array): RuleSet {
  const n = cAC.length;
  const f = () => new Float64Array(n);
  const r: RuleSet = {
    mode, itemNames, numTransactions: N, antOffsets, antItems, consOffsets, consItems, count: cAC,
    antecedentSupport: f(), consequentSupport: f(), support: f(), confidence: f(), lift: f(), representativity: f(),
    leverage: f(), conviction: f(), zhangsMetric: f(), jaccard: f(), certainty: f(), kulczynski: f(),
  };
  for (let i = 0; i < n; i++) {
    const sAC = cAC[i] / N, sA = cA[i] / N, sC = cC[i] / N;
    const conf = cAC[i] / cA[i];
    r.antecedentSupport[i] = sA;
    r.consequentSupport[i] = sC;
    r.support[i] = sAC;
    r.confidence[i] = conf;
    r.lift[i] = conf / sC;
    r.representativity[i] = 1;
    const lev = sAC - sA * sC;
    r.leverage[i] = lev;
    r.conviction[i] = cAC[i] === cA[i] ? Infinity : (1 - sC) / (1 - conf);
    const zd = Math.max(sAC * (1 - sA), sA * (sC - sAC));
    r.zhangsMetric[i] = zd === 0 ? 0 : lev / zd;
    r.jaccard[i] = sAC / (sA + sC - sAC);
    r.certainty[i] = 1 - sC === 0 ? 0 : (conf - sC) / (1 - sC);
    r.kulczynski[i] = (cAC[i] / cA[i] + cAC[i] / cC[i]) / 2;
  }
  return r;
}

/** Number of rules.
 *
 * @example
 * numRules(generateRules(fi, { minConfidence: 0.8 })); // 410 on Groceries at support 0.001
 */
export function numRules(r: RuleSet): number {
  return r.count.length;
}

/**
 * Antecedent item ids of rule i (a view).
 *
 * @example
 * Array.from(ruleAntecedent(rules, 0), (id) => rules.itemNames[id]);
 */
export function ruleAntecedent(r: RuleSet, i: number): Int32Array {
  return r.antItems.subarray(r.antOffsets[i], r.antOffsets[i + 1]);
}

/**
 * Consequent item ids of rule i (a view).
 *
 * @example
 * Array.from(ruleConsequent(rules, 0), (id) => rules.itemNames[id]);
 */
export function ruleConsequent(r: RuleSet, i: number): Int32Array {
  return r.consItems.subarray(r.consOffsets[i], r.consOffsets[i + 1]);
}

/** Sorted item names of an id list. */
function names(r: RuleSet, ids: ArrayLike<number>): string[] {
  return Array.from(ids, (id) => r.itemNames[id]).sort();
}

/** Rule side as text, "{a, b}" (items sorted by name; "{}" when empty).
 *
 * @example
 * formatItemset(["liquor", "red/blush wine"]); // "{liquor, red/blush wine}"
 */
export function formatItemset(items: string[]): string {
  return `{${items.join(", ")}}`;
}

/**
 * The value array of a metric.
 *
 * @example
 * ruleMetric(rules, "zhangs_metric")[0];
 */
export function ruleMetric(r: RuleSet, m: RuleMetric): Float64Array | Int32Array {
  switch (m) {
    case "antecedent_support": return r.antecedentSupport;
    case "consequent_support": return r.consequentSupport;
    case "support": return r.support;
    case "confidence": return r.confidence;
    case "lift": return r.lift;
    case "representativity": return r.representativity;
    case "leverage": return r.leverage;
    case "conviction": return r.conviction;
    case "zhangs_metric": return r.zhangsMetric;
    case "jaccard": return r.jaccard;
    case "certainty": return r.certainty;
    case "kulczynski": return r.kulczynski;
    case "count": return r.count;
    case "length": {
      const n = numRules(r);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = r.antOffsets[i + 1] - r.antOffsets[i] + r.consOffsets[i + 1] - r.consOffsets[i];
      return out;
    }
    default: throw new CustlabError("E_OPTION", `unknown rule metric "${m as string}" (known: ${RULE_METRICS.join(", ")})`);
  }
}

/**
 * The rules at the given indices, in that order.
 *
 * @example
 * takeRules(rules, [0, 1, 2]); // the first three rules
 */
export function takeRules(r: RuleSet, idx: ArrayLike<number>): RuleSet {
  const n = idx.length;
  const antOffsets = new Int32Array(n + 1), consOffsets = new Int32Array(n + 1);
  const ai: number[] = [], ci: number[] = [];
  for (let j = 0; j < n; j++) {
    const i = idx[j];
    for (let k = r.antOffsets[i]; k < r.antOffsets[i + 1]; k++) ai.push(r.antItems[k]);
    for (let k = r.consOffsets[i]; k < r.consOffsets[i + 1]; k++) ci.push(r.consItems[k]);
    antOffsets[j + 1] = ai.length; consOffsets[j + 1] = ci.length;
  }
  const pick = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(n);
    for (let j = 0; j < n; j++) out[j] = a[idx[j]];
    return out;
  };
  return {
    mode: r.mode, itemNames: r.itemNames, numTransactions: r.numTransactions,
    antOffsets, antItems: Int32Array.from(ai), consOffsets, consItems: Int32Array.from(ci), count: pick(r.count),
    antecedentSupport: pick(r.antecedentSupport), consequentSupport: pick(r.consequentSupport), support: pick(r.support),
    confidence: pick(r.confidence), lift: pick(r.lift), representativity: pick(r.representativity), leverage: pick(r.leverage),
    conviction: pick(r.conviction), zhangsMetric: pick(r.zhangsMetric), jaccard: pick(r.jaccard), certainty: pick(r.certainty),
    kulczynski: pick(r.kulczynski),
  };
}

/**
 * Rules sorted by a metric (default "lift", descending). Ties are broken by
 * confidence, then support (both descending), then by rule text, so the order
 * is deterministic.
 *
 * @example
 * const top = sortRules(rules, "lift").antItems; // highest-lift rule first
 */
export function sortRules(r: RuleSet, by: RuleMetric = "lift", direction: "asc" | "desc" = "desc"): RuleSet {
  const v = ruleMetric(r, by);
  const n = numRules(r);
  const sign = direction === "desc" ? -1 : 1;
  const cache = new Map<number, string>();
  const text = (i: number) => { let t = cache.get(i); if (t === undefined) { t = ruleText(r, i); cache.set(i, t); } return t; };
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    const d = v[a] === v[b] ? 0 : (v[a] < v[b] ? -1 : 1) * sign;
    if (d !== 0) return d;
    if (r.confidence[a] !== r.confidence[b]) return r.confidence[b] - r.confidence[a];
    if (r.support[a] !== r.support[b]) return r.support[b] - r.support[a];
    const ta = text(a), tb = text(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
  return takeRules(r, idx);
}

/**
 * Rule i as text, "{a, b} => {c}".
 *
 * @example
 * ruleText(sortRules(rules, "lift"), 0); // "{liquor, red/blush wine} => {bottled beer}"
 */
export function ruleText(r: RuleSet, i: number): string {
  return `${formatItemset(names(r, ruleAntecedent(r, i)))} => ${formatItemset(names(r, ruleConsequent(r, i)))}`;
}

/**
 * Keep the rules where `keep(i)` is true.
 *
 * @example
 * filterRules(rules, (i) => rules.lift[i] > 3 && rules.count[i] >= 20);
 */
export function filterRules(r: RuleSet, keep: (i: number) => boolean): RuleSet {
  const idx: number[] = [];
  for (let i = 0; i < numRules(r); i++) if (keep(i)) idx.push(i);
  return takeRules(r, idx);
}

/**
 * Drop redundant rules: a rule X ⇒ Y is redundant when the set holds a more
 * general rule X' ⇒ Y (X' a proper subset of X, including the empty
 * antecedent when such rules are present) with confidence ≥ that of X ⇒ Y —
 * the definition of arules' `is.redundant` (improvement ≤ 0).
 *
 * @example
 * const lean = pruneRedundantRules(rules);
 */
export function pruneRedundantRules(r: RuleSet): RuleSet {
  const n = numRules(r);
  const key = (ids: ArrayLike<number>) => Array.from(ids).sort((a, b) => a - b).join(",");
  const conf = new Map<string, number>();
  for (let i = 0; i < n; i++) conf.set(key(ruleAntecedent(r, i)) + "|" + key(ruleConsequent(r, i)), r.confidence[i]);
  return filterRules(r, (i) => {
    const a = Array.from(ruleAntecedent(r, i)).sort((x, y) => x - y);
    const ck = "|" + key(ruleConsequent(r, i));
    const m = a.length;
    if (m > 20) return true;
    for (let mask = 0; mask < (1 << m) - 1; mask++) {
      const sub: number[] = [];
      for (let j = 0; j < m; j++) if (mask & (1 << j)) sub.push(a[j]);
      const c = conf.get(sub.join(",") + ck);
      if (c !== undefined && c >= r.confidence[i]) return false;
    }
    return true;
  });
}

/**
 * The rules as a typed Table: `antecedent` and `consequent` as text
 * ("{a, b}"), then every metric as a numeric column (see {@link RULE_METRICS};
 * conviction is +∞ when confidence is 1). Sort it with `table.orderBy(metric, "desc")`.
 *
 * @example
 * rulesTable(sortRules(rules, "lift")).head(10).toMarkdown();
 */
export function rulesTable(r: RuleSet): Table {
  const n = numRules(r);
  const ant = new Array<string>(n), cons = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    ant[i] = formatItemset(names(r, ruleAntecedent(r, i)));
    cons[i] = formatItemset(names(r, ruleConsequent(r, i)));
  }
  const cols: Record<string, string[] | Float64Array | Int32Array> = { antecedent: ant, consequent: cons };
  for (const m of RULE_METRICS) cols[m] = ruleMetric(r, m);
  return new Table(cols);
}

/** One rule as a plain object (names as arrays; conviction +∞ kept as Infinity). */
export interface RuleRecord {
  antecedent: string[];
  consequent: string[];
  antecedent_support: number;
  consequent_support: number;
  support: number;
  confidence: number;
  lift: number;
  representativity: number;
  leverage: number;
  conviction: number;
  zhangs_metric: number;
  jaccard: number;
  certainty: number;
  kulczynski: number;
  count: number;
}

/** Rule i as a {@link RuleRecord}.
 *
 * @example
 * ruleRecord(sortRules(rules, "lift"), 0).lift; // 11.235 on Groceries (support 0.001, confidence 0.8)
 */
export function ruleRecord(r: RuleSet, i: number): RuleRecord {
  return {
    antecedent: names(r, ruleAntecedent(r, i)),
    consequent: names(r, ruleConsequent(r, i)),
    antecedent_support: r.antecedentSupport[i],
    consequent_support: r.consequentSupport[i],
    support: r.support[i],
    confidence: r.confidence[i],
    lift: r.lift[i],
    representativity: r.representativity[i],
    leverage: r.leverage[i],
    conviction: r.conviction[i],
    zhangs_metric: r.zhangsMetric[i],
    jaccard: r.jaccard[i],
    certainty: r.certainty[i],
    kulczynski: r.kulczynski[i],
    count: r.count[i],
  };
}

/**
 * CSV text of the rule table (conviction +∞ written as "inf").
 *
 * @example
 * fs.writeFileSync("rules.csv", rulesToCSV(sortRules(rules, "lift")));
 */
export function rulesToCSV(r: RuleSet): string {
  const t = rulesTable(r);
  const conv = t.num("conviction");
  const convText = Array.from(conv, (v) => (v === Infinity ? "inf" : String(v)));
  return t.assign({ conviction: convText }).toCSV();
}

/**
 * JSON text of the rules: an array of {@link RuleRecord} (conviction +∞ written as the string "inf", as the CLI does).
 *
 * @example
 * JSON.parse(rulesToJSON(rules))[0].conviction; // a number, or "inf"
 */
export function rulesToJSON(r: RuleSet, space = 0): string {
  const out: RuleRecord[] = [];
  for (let i = 0; i < numRules(r); i++) out.push(ruleRecord(r, i));
  return JSON.stringify(out, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? null : v > 0 ? "inf" : "-inf") : v), space);
}

/** Options for {@link mineRules}: itemset options plus rule options. */
export interface MineRulesOptions extends RuleOptions {
  /** Minimum support (default 0.01). */
  minSupport?: number;
  /** Largest itemset / rule length (default 10, as arules). */
  maxLen?: number;
}

/** Result of {@link mineRules}. */
export interface MineRulesResult {
  itemsets: FrequentItemsets;
  rules: RuleSet;
  /** Seconds for itemsets, rules and in total. */
  seconds: { itemsets: number; rules: number; total: number };
}

/**
 * Frequent itemsets then rules in one call.
 *
 * @example
 * const { rules } = mineRules(loadBasketFile("groceries.csv"), { minSupport: 0.001, minConfidence: 0.8 });
 * numRules(rules); // 410
 */
export function mineRules(b: Baskets, o: MineRulesOptions = {}): MineRulesResult {
  const t0 = performance.now();
  const itemsets = frequentItemsets(b, { minSupport: o.minSupport, maxLen: o.maxLen, onProgress: o.onProgress });
  const t1 = performance.now();
  const rules = generateRules(itemsets, o);
  const t2 = performance.now();
  return { itemsets, rules, seconds: { itemsets: (t1 - t0) / 1000, rules: (t2 - t1) / 1000, total: (t2 - t0) / 1000 } };
}
