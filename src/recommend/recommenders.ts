import { CustlabError } from "../util/errors";
import { Baskets, numBaskets, basketItemId } from "../rules/baskets";
import { RuleSet, RuleMetric, RuleMode, generateRules, numRules, ruleMetric, ruleAntecedent, ruleConsequent } from "../rules/rules";
import { frequentItemsets } from "../rules/itemsets";
import { ItemHistory, ItemRecommender, RankedItems, topKItems } from "./types";
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";

const RULE_METRICS = ["antecedent_support", "consequent_support", "support", "confidence", "lift", "representativity", "leverage", "conviction", "zhangs_metric", "jaccard", "certainty", "kulczynski", "count", "length"] as const;

/** A RuleSet as plain JSON (typed arrays as arrays). @internal */
function ruleSetToJSON(r: RuleSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // non-finite metrics (conviction = ∞) as strings: JSON has no Infinity or NaN
  for (const [k, v] of Object.entries(r)) out[k] = ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : String(x))) : v;
  return out;
}

/** A RuleSet back from {@link ruleSetToJSON}, with the same typed-array kinds. @internal */
function ruleSetFromJSON(j: any): RuleSet {
  const ints = new Set(["antOffsets", "antItems", "consOffsets", "consItems", "count"]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(j)) out[k] = Array.isArray(v) && k !== "itemNames" ? (ints.has(k) ? Int32Array.from(v as number[]) : Float64Array.from(v as (number | string)[], Number)) : v;
  return out as unknown as RuleSet;
}
/** Options for {@link PopularityRecommender}. */
export interface PopularityOptions {
  /** Count "baskets" containing the item (default) or distinct "customers" who bought it (needs customer ids; falls back to baskets). */
  by?: "baskets" | "customers";
}

/**
 * Popularity baseline: recommends the most frequently bought items not yet
 * excluded. The score is the share of training baskets (or customers)
 * containing the item.
 *
 * @example
 * const pop = new PopularityRecommender().fit(trainBaskets);
 * pop.rank({ items: Int32Array.of(3, 7) }, 10);
 */
export class PopularityRecommender implements ItemRecommender, Estimator<Baskets> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<PopularityOptions> = { by: { default: "baskets", oneOf: ["baskets", "customers"] } };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(PopularityRecommender.spec);
  readonly name = "popularity";
  readonly options: Resolved<PopularityOptions>;
  /** Share of baskets (or customers) per item id. */
  popularity_: Float64Array = new Float64Array(0);
  private fitted = false;
  constructor(options: PopularityOptions = {}) { this.options = resolveOptions("PopularityRecommender", PopularityRecommender.spec, options); }

  fit(b: Baskets): this {
    const n = numBaskets(b);
    const pop = new Float64Array(b.itemNames.length);
    if (this.options.by === "customers" && b.customerIds) {
      const seen = new Map<string, Set<number>>();
      for (let i = 0; i < n; i++) {
        const c = b.customerIds[i] || `#basket${i}`;
        let s = seen.get(c);
        if (!s) { s = new Set(); seen.set(c, s); }
        for (let k = b.offsets[i]; k < b.offsets[i + 1]; k++) s.add(b.items[k]);
      }
      for (const s of seen.values()) for (const id of s) pop[id]++;
      for (let i = 0; i < pop.length; i++) pop[i] /= seen.size || 1;
    } else {
      for (let k = 0; k < b.items.length; k++) pop[b.items[k]]++;
      for (let i = 0; i < pop.length; i++) pop[i] /= n || 1;
    }
    this.popularity_ = pop;
    this.fitted = true;
    return this;
  }

  rank(_h: ItemHistory, k: number, exclude?: Uint8Array): RankedItems {
    if (!this.fitted) notFitted("PopularityRecommender", "call fit(baskets) first");
    return topKItems(this.popularity_, k, exclude);
  }

  /** `{ type, version, options, state }`. */
  toJSON() { return estimatorJSON("PopularityRecommender", 1, this.options, this.fitted ? { popularity: Array.from(this.popularity_) } : null); }

  /** Restore from {@link PopularityRecommender.toJSON}. */
  static fromJSON(json: unknown): PopularityRecommender {
    const { options, state: s } = readEstimatorJSON(json, "PopularityRecommender", 1);
    const m = new PopularityRecommender(options);
    if (s) { m.popularity_ = Float64Array.from(s.popularity); m.fitted = true; }
    return m;
  }
}

/** Options for {@link RuleRecommender}. */
export interface RuleRecommenderOptions {
  /** Minimum support when mining in `fit` (default 0.005). */
  minSupport?: number;
  /** Minimum confidence when mining in `fit` (default 0.1). */
  minConfidence?: number;
  /** Maximum rule length when mining (default 4). */
  maxLen?: number;
  /** Rule mode when mining (default "arules": single-item consequents). */
  mode?: RuleMode;
  /** Metric that scores a recommended item: the best value among the rules that fire for it (default "confidence"; ties broken by lift). */
  scoreBy?: RuleMetric;
  /** Fill empty slots with popular items (score 0 rules-wise; default false, so the pure rule recommender is measured). */
  fillWithPopular?: boolean;
}

/** One cross-sell suggestion with the rule that fired. */
export interface CrossSellItem {
  /** Recommended item label. */
  item: string;
  /** Score (the `scoreBy` metric of the firing rule; 0 for popularity fill). */
  score: number;
  /** Antecedent of the firing rule (items the customer has); [] for popularity fill. */
  antecedent: string[];
  /** Consequent of the firing rule. */
  consequent: string[];
  support: number;
  confidence: number;
  lift: number;
  /** "rule" or "popular" (fill). */
  source: "rule" | "popular";
}

/**
 * Cross-sell from association rules: a rule A ⇒ C fires when every item of A
 * is in the basket/history; each consequent item not excluded gets the best
 * `scoreBy` value among the rules that fire for it, and the rule that gave
 * it is kept for explanation.
 *
 * @example
 * const rec = new RuleRecommender({ minSupport: 0.001, minConfidence: 0.3 }).fit(baskets);
 * rec.recommend(["liquor", "red/blush wine"], 5)[0];  // { item: "bottled beer", antecedent: [...], confidence: 0.905, ... }
 */
export class RuleRecommender implements ItemRecommender, Estimator<Baskets> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<RuleRecommenderOptions> = {
    minSupport: { default: 0.005, gt: 0, max: 1 },
    minConfidence: { default: 0.1, min: 0, max: 1 },
    maxLen: { default: 4, integer: true, min: 2 },
    mode: { default: "arules", oneOf: ["arules", "mlxtend"] },
    scoreBy: { default: "confidence", oneOf: RULE_METRICS },
    fillWithPopular: { default: false },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(RuleRecommender.spec);
  readonly name: string;
  readonly options: Resolved<RuleRecommenderOptions>;
  /** The rules used. */
  rules_: RuleSet | null = null;
  private antLen = new Int32Array(0);
  private byItemOff = new Int32Array(1);
  private byItemRule = new Int32Array(0);
  private score = new Float64Array(0);
  private pop: PopularityRecommender | null = null;
  private hits = new Int32Array(0);
  private emptyRules: number[] = [];
  private nItems = 0;

  constructor(options: RuleRecommenderOptions = {}) {
    this.options = resolveOptions("RuleRecommender", RuleRecommender.spec, options);
    this.name = this.options.fillWithPopular ? "rules+popularity" : "rules";
  }

  /** Mine rules from the baskets (minSupport, minConfidence, maxLen, mode; minLen 2) and index them. */
  fit(b: Baskets): this {
    const fi = frequentItemsets(b, { minSupport: this.options.minSupport, maxLen: this.options.maxLen });
    const rules = generateRules(fi, { mode: this.options.mode, minConfidence: this.options.minConfidence, minLen: 2 });
    this.fitRules(rules);
    if (this.options.fillWithPopular) this.pop = new PopularityRecommender().fit(b);
    return this;
  }

  /** Use an existing rule set (rules with an empty antecedent always fire). */
  fitRules(rules: RuleSet): this {
    this.rules_ = rules;
    const n = numRules(rules);
    this.nItems = rules.itemNames.length;
    this.antLen = new Int32Array(n);
    const cnt = new Int32Array(this.nItems + 1);
    for (let r = 0; r < n; r++) {
      const a = ruleAntecedent(rules, r);
      this.antLen[r] = a.length;
      for (const i of a) cnt[i + 1]++;
    }
    for (let i = 0; i < this.nItems; i++) cnt[i + 1] += cnt[i];
    const pos = cnt.slice(0, this.nItems);
    const list = new Int32Array(cnt[this.nItems]);
    for (let r = 0; r < n; r++) for (const i of ruleAntecedent(rules, r)) list[pos[i]++] = r;
    this.byItemOff = cnt;
    this.byItemRule = list;
    this.score = Float64Array.from(ruleMetric(rules, this.options.scoreBy));
    this.hits = new Int32Array(n);
    this.emptyRules = [];
    for (let r = 0; r < n; r++) if (this.antLen[r] === 0) this.emptyRules.push(r);
    return this;
  }

  /** Ranked items plus, per item, the index of the firing rule (-1 for popularity fill). */
  rankWithRules(h: ItemHistory, k: number, exclude?: Uint8Array): RankedItems & { rules: Int32Array } {
    const rules = this.rules_;
    if (!rules) notFitted("RuleRecommender", "call fit(baskets) or fitRules(rules) first");
    const hits = this.hits;
    const touched: number[] = [];
    const best = new Map<number, number>(); // item -> rule
    const fire = (r: number) => {
      for (const c of ruleConsequent(rules, r)) {
        if (exclude && exclude[c]) continue;
        const cur = best.get(c);
        if (cur === undefined || this.score[r] > this.score[cur] || (this.score[r] === this.score[cur] && rules.lift[r] > rules.lift[cur])) best.set(c, r);
      }
    };
    for (const r of this.emptyRules) fire(r);
    for (const i of h.items) {
      if (i < 0 || i >= this.nItems) continue;
      for (let p = this.byItemOff[i]; p < this.byItemOff[i + 1]; p++) {
        const r = this.byItemRule[p];
        if (hits[r] === 0) touched.push(r);
        if (++hits[r] === this.antLen[r]) fire(r);
      }
    }
    for (const r of touched) hits[r] = 0;
    const cand = [...best.keys()];
    const sc = new Float64Array(this.nItems).fill(-Infinity);
    // score with a tiny lift tie-break so ties follow the firing rule's lift
    for (const c of cand) { const r = best.get(c)!; sc[c] = this.score[r] + 1e-9 * Math.tanh(rules.lift[r] / 10); }
    const top = topKItems(sc, k, exclude, cand);
    const ruleIdx = Array.from(top.items, (c) => best.get(c)!);
    const scores = Float64Array.from(top.items, (c) => this.score[best.get(c)!]);
    let items = top.items;
    if (this.pop && items.length < k) {
      const ex = new Uint8Array(this.nItems);
      if (exclude) ex.set(exclude.subarray(0, this.nItems));
      for (const c of items) ex[c] = 1;
      const fill = this.pop.rank(h, k - items.length, ex);
      items = Int32Array.from([...items, ...fill.items]);
      for (let j = 0; j < fill.items.length; j++) ruleIdx.push(-1);
      return { items, scores: Float64Array.from([...scores, ...new Array(fill.items.length).fill(0)]), rules: Int32Array.from(ruleIdx) };
    }
    return { items, scores, rules: Int32Array.from(ruleIdx) };
  }

  rank(h: ItemHistory, k: number, exclude?: Uint8Array): RankedItems {
    const r = this.rankWithRules(h, k, exclude);
    return { items: r.items, scores: r.scores };
  }

  /**
   * Cross-sell for a basket given by item labels (unknown labels are ignored):
   * up to k items not in the basket, best first, each with the rule that fired.
   */
  recommend(basket: string[], k = 10): CrossSellItem[] {
    const rules = this.rules_;
    if (!rules) notFitted("RuleRecommender", "call fit(baskets) or fitRules(rules) first");
    const ids = basket.map((s) => basketItemId(rules, s)).filter((i) => i >= 0);
    return this.recommendForHistory({ items: Int32Array.from(ids) }, k);
  }

  /**
   * Cross-sell for a customer history (e.g. from `customerHistory(baskets, id)`):
   * up to k items the customer never bought, each with the rule that fired.
   *
   * @example
   * rec.recommendForHistory(customerHistory(baskets, "12347"), 5);
   */
  recommendForHistory(h: ItemHistory, k = 10): CrossSellItem[] {
    const rules = this.rules_;
    if (!rules) notFitted("RuleRecommender", "call fit(baskets) or fitRules(rules) first");
    const ex = new Uint8Array(rules.itemNames.length);
    for (const i of h.items) if (i >= 0 && i < ex.length) ex[i] = 1;
    const res = this.rankWithRules(h, k, ex);
    return Array.from(res.items, (c, j) => {
      const r = res.rules[j];
      if (r < 0) return { item: rules.itemNames[c], score: 0, antecedent: [], consequent: [rules.itemNames[c]], support: NaN, confidence: NaN, lift: NaN, source: "popular" as const };
      return {
        item: rules.itemNames[c], score: res.scores[j],
        antecedent: Array.from(ruleAntecedent(rules, r), (i) => rules.itemNames[i]).sort(),
        consequent: Array.from(ruleConsequent(rules, r), (i) => rules.itemNames[i]).sort(),
        support: rules.support[r], confidence: rules.confidence[r], lift: rules.lift[r], source: "rule" as const,
      };
    });
  }

  /** `{ type, version, options, state }`: the rule set (and the popularity fill) as plain JSON. */
  toJSON() {
    return estimatorJSON("RuleRecommender", 1, this.options, this.rules_ && { rules: ruleSetToJSON(this.rules_), popular: this.pop?.toJSON() ?? null });
  }

  /** Restore from {@link RuleRecommender.toJSON}. */
  static fromJSON(json: unknown): RuleRecommender {
    const { options, state: s } = readEstimatorJSON(json, "RuleRecommender", 1);
    const m = new RuleRecommender(options);
    if (s?.rules) { m.fitRules(ruleSetFromJSON(s.rules)); if (s.popular) m.pop = PopularityRecommender.fromJSON(s.popular); }
    return m;
  }
}

/** Options for {@link ItemCFRecommender}. */
export interface ItemCFOptions {
  /** Neighbours kept per item (default 100). */
  neighbours?: number;
  /** Implicit feedback value from the number of baskets a customer bought the item in: "count" (default), "binary" or "log" (log1p). */
  weighting?: "count" | "binary" | "log";
  /** Customers with more distinct items than this are left out of the similarity computation (default 2000; cost grows with the square of a customer's item count). */
  maxItemsPerUser?: number;
}

/**
 * Item-based collaborative filtering on implicit purchase counts: items are
 * vectors over customers (value = how many baskets of that customer held the
 * item, after `weighting`), similarity is the cosine, and a history scores
 * item j by Σ_i w_i · cos(i, j) over its items i (each item's top
 * `neighbours` only). Sparse throughout: the co-occurrence pass costs
 * Σ_customers (distinct items)². Baskets without a customer id count as
 * one-basket customers.
 *
 * @example
 * const cf = new ItemCFRecommender({ neighbours: 50 }).fit(trainBaskets);
 * cf.rank({ items: Int32Array.of(3, 7) }, 10).items;
 */
export class ItemCFRecommender implements ItemRecommender, Estimator<Baskets> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<ItemCFOptions> = {
    neighbours: { default: 100, integer: true, min: 1 },
    weighting: { default: "count", oneOf: ["count", "binary", "log"] },
    maxItemsPerUser: { default: 2000, integer: true, min: 1 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(ItemCFRecommender.spec);
  readonly name = "item-cf";
  readonly options: Resolved<ItemCFOptions>;
  /** Neighbour lists (CSR over item ids): ids and cosine similarities, best first. */
  neighbourOffsets_ = new Int32Array(1);
  neighbourIds_ = new Int32Array(0);
  neighbourSims_ = new Float64Array(0);
  private nItems = 0;
  private fitted = false;
  constructor(options: ItemCFOptions = {}) { this.options = resolveOptions("ItemCFRecommender", ItemCFRecommender.spec, options); }

  fit(b: Baskets): this {
    const K = this.options.neighbours;
    const weighting = this.options.weighting;
    const maxPerUser = this.options.maxItemsPerUser;
    const nItems = b.itemNames.length;
    this.nItems = nItems;
    // user -> item counts
    const userOf = new Map<string, number>();
    const userItems: Map<number, number>[] = [];
    const n = numBaskets(b);
    for (let i = 0; i < n; i++) {
      const c = b.customerIds?.[i] || `#basket${i}`;
      let u = userOf.get(c);
      if (u === undefined) { u = userItems.length; userOf.set(c, u); userItems.push(new Map()); }
      const m = userItems[u];
      for (let k = b.offsets[i]; k < b.offsets[i + 1]; k++) m.set(b.items[k], (m.get(b.items[k]) ?? 0) + 1);
    }
    const U = userItems.length;
    const w = (x: number) => (weighting === "binary" ? 1 : weighting === "log" ? Math.log1p(x) : x);
    const uOff = new Int32Array(U + 1);
    for (let u = 0; u < U; u++) uOff[u + 1] = uOff[u] + (userItems[u].size <= maxPerUser ? userItems[u].size : 0);
    const uIt = new Int32Array(uOff[U]), uVal = new Float64Array(uOff[U]);
    for (let u = 0; u < U; u++) {
      if (userItems[u].size > maxPerUser) continue;
      let p = uOff[u];
      for (const [id, c] of userItems[u]) { uIt[p] = id; uVal[p] = w(c); p++; }
    }
    // transpose: item -> users
    const iOff = new Int32Array(nItems + 1);
    for (let p = 0; p < uIt.length; p++) iOff[uIt[p] + 1]++;
    for (let i = 0; i < nItems; i++) iOff[i + 1] += iOff[i];
    const pos = iOff.slice(0, nItems);
    const iUs = new Int32Array(uIt.length), iVal = new Float64Array(uIt.length);
    for (let u = 0; u < U; u++) for (let p = uOff[u]; p < uOff[u + 1]; p++) { const q = pos[uIt[p]]++; iUs[q] = u; iVal[q] = uVal[p]; }
    const norm = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) { let s = 0; for (let q = iOff[i]; q < iOff[i + 1]; q++) s += iVal[q] * iVal[q]; norm[i] = Math.sqrt(s); }
    // co-occurrence dot products, item by item
    const dot = new Float64Array(nItems);
    const touched = new Int32Array(nItems);
    const nbOff = new Int32Array(nItems + 1);
    const ids: number[] = [], sims: number[] = [];
    const heap = new Int32Array(Math.max(1, K));
    for (let i = 0; i < nItems; i++) {
      let nt = 0;
      for (let q = iOff[i]; q < iOff[i + 1]; q++) {
        const u = iUs[q], v = iVal[q];
        for (let p = uOff[u]; p < uOff[u + 1]; p++) {
          const j = uIt[p];
          if (j === i) continue;
          if (dot[j] === 0) touched[nt++] = j;
          dot[j] += v * uVal[p];
        }
      }
      // keep the K most similar with a size-K min-heap (ties: lower id wins)
      let hn = 0;
      const worse = (a: number, b: number) => dot[a] < dot[b] || (dot[a] === dot[b] && a > b);
      for (let t = 0; t < nt; t++) {
        const j = touched[t];
        dot[j] = dot[j] / (norm[i] * norm[j]);
        if (hn < K) {
          let c = hn++;
          heap[c] = j;
          while (c > 0) { const pa = (c - 1) >> 1; if (worse(heap[c], heap[pa])) { const x = heap[c]; heap[c] = heap[pa]; heap[pa] = x; c = pa; } else break; }
        } else if (worse(heap[0], j)) {
          heap[0] = j;
          let c = 0;
          for (;;) {
            const l = 2 * c + 1, r = l + 1;
            let m = c;
            if (l < hn && worse(heap[l], heap[m])) m = l;
            if (r < hn && worse(heap[r], heap[m])) m = r;
            if (m === c) break;
            const x = heap[c]; heap[c] = heap[m]; heap[m] = x; c = m;
          }
        }
      }
      const top = Array.from(heap.subarray(0, hn)).sort((a, c) => (worse(a, c) ? 1 : worse(c, a) ? -1 : 0));
      for (const j of top) { ids.push(j); sims.push(dot[j]); }
      nbOff[i + 1] = ids.length;
      for (let t = 0; t < nt; t++) dot[touched[t]] = 0;
    }
    this.neighbourOffsets_ = nbOff;
    this.neighbourIds_ = Int32Array.from(ids);
    this.neighbourSims_ = Float64Array.from(sims);
    this.fitted = true;
    return this;
  }

  rank(h: ItemHistory, k: number, exclude?: Uint8Array): RankedItems {
    if (!this.fitted) notFitted("ItemCFRecommender", "call fit(baskets) first");
    const sc = new Float64Array(this.nItems).fill(-Infinity);
    const cand: number[] = [];
    for (let t = 0; t < h.items.length; t++) {
      const i = h.items[t];
      if (i < 0 || i >= this.nItems) continue;
      const x = h.weights ? h.weights[t] : 1;
      const weighting = this.options.weighting;
      const wi = weighting === "binary" ? 1 : weighting === "log" ? Math.log1p(x) : x;
      for (let p = this.neighbourOffsets_[i]; p < this.neighbourOffsets_[i + 1]; p++) {
        const j = this.neighbourIds_[p];
        if (sc[j] === -Infinity) { sc[j] = 0; cand.push(j); }
        sc[j] += wi * this.neighbourSims_[p];
      }
    }
    return topKItems(sc, k, exclude, cand);
  }

  /** `{ type, version, options, state }`: the neighbour lists. */
  toJSON() {
    return estimatorJSON("ItemCFRecommender", 1, this.options, this.fitted ? { nItems: this.nItems, offsets: Array.from(this.neighbourOffsets_), ids: Array.from(this.neighbourIds_), sims: Array.from(this.neighbourSims_) } : null);
  }

  /** Restore from {@link ItemCFRecommender.toJSON}. */
  static fromJSON(json: unknown): ItemCFRecommender {
    const { options, state: s } = readEstimatorJSON(json, "ItemCFRecommender", 1);
    const m = new ItemCFRecommender(options);
    if (s) { m.nItems = s.nItems; m.neighbourOffsets_ = Int32Array.from(s.offsets); m.neighbourIds_ = Int32Array.from(s.ids); m.neighbourSims_ = Float64Array.from(s.sims); m.fitted = true; }
    return m;
  }
}

registerEstimator("PopularityRecommender", PopularityRecommender);
registerEstimator("RuleRecommender", RuleRecommender);
registerEstimator("ItemCFRecommender", ItemCFRecommender);
