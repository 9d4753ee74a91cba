import { Table } from "../table";
import { CustlabError } from "../util/errors";
import { quantileScores, fmScore, rfmSegmentName } from "./rfm-score";
import { median } from "../util/numeric";

/** Options for {@link segmentPersonas}. */
export interface PersonaOptions {
  /**
   * Canonical purchase lines (customer_id, category, country, quantity,
   * unit_price) for top categories and countries by revenue. Optional.
   */
  transactions?: Table;
  /** Column of `customers` holding churn (0/1 or a probability); adds churn_rate. */
  churnColumn?: string;
  /** Column of `customers` holding a CLV estimate; adds clv_mean and clv_share. */
  clvColumn?: string;
  /** How many top categories / countries to list. Default 3. */
  topN?: number;
  /** Explicit segment names by label; default: named from the members' mean RFM scores (see {@link rfmSegmentRules}). */
  names?: string[];
}

/** One segment described for people. */
export interface Persona {
  id: number;
  name: string;
  size: number;
  /** Share of customers (0..1). */
  share: number;
  /** Share of total monetary value (0..1). */
  revenue_share: number;
  recency_median: number;
  frequency_median: number;
  monetary_median: number;
  /** Mean R and FM scores (1..5) of the members. */
  r_score_mean: number;
  fm_score_mean: number;
  top_categories: string[];
  top_countries: string[];
  /** Mean of the churn column (when given). */
  churn_rate?: number;
  /** Mean of the CLV column (when given). */
  clv_mean?: number;
  /** Generated plain-language description. */
  description: string;
}


/**
 * The 1..5 score a value would get among the population (sorted ascending),
 * with the average-rank tie rule of {@link quantileScores}: ⌈5 × mean rank / n⌉.
 * Used to name a segment from its medians.
 * @example
 * scoreOfValue([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9, false); // 5
 */
export function scoreOfValue(sorted: number[], v: number, reverse: boolean): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
  const first = lo;
  hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] <= v) lo = mid + 1; else hi = mid; }
  const last = lo; // values equal to v occupy [first, last)
  const rank = last > first ? (first + last - 1) / 2 + 1 : first + 0.5;
  const s = Math.min(5, Math.max(1, Math.ceil((5 * rank) / sorted.length - 1e-12)));
  return reverse ? 6 - s : s;
}

const medianScore = scoreOfValue;

function pct(x: number): string {
  return x >= 0.1 ? `${Math.round(100 * x)}%` : `${(100 * x).toFixed(1)}%`;
}

/**
 * Describe each segment: size, share of customers and revenue, RFM medians,
 * mean R/FM scores, top categories and countries (when transactions are
 * given), churn rate and CLV (when the columns are given), a name and a
 * plain-language description such as
 * "recent, frequent, high spenders; 12% of customers, 61% of revenue".
 *
 * Words come from where the segment's medians fall in the whole population:
 * recency median in the most recent third → "recent", in the oldest third →
 * "lapsed"; frequency and spend in the top third → "frequent" / "high
 * spenders", bottom third → "one-off/rare" / "low spenders". Names come from
 * the R and FM scores of the segment's medians (where each median falls in
 * the population, {@link scoreOfValue}) through the RFM rule table; repeated
 * names get " (2)", " (3)".
 *
 * @param customers - one row per customer with recency_days, frequency, monetary (a `customerRFM` table, optionally with churn/CLV columns)
 * @param labels - segment id per row of `customers` (0..k−1)
 * @example
 * const { personas, table } = segmentPersonas(rfm, km.labels_, { transactions: purchasesTable });
 * personas[0].description; // "recent, frequent, high spenders; 12% of customers, 61% of revenue"
 */
export function segmentPersonas(customers: Table, labels: ArrayLike<number>, options: PersonaOptions = {}): { personas: Persona[]; table: Table } {
  const n = customers.numRows;
  if (labels.length !== n) throw new CustlabError("E_SHAPE", `segmentPersonas: ${labels.length} labels for ${n} customers`);
  const rec = customers.num("recency_days"), freq = customers.num("frequency"), mon = customers.num("monetary");
  const churn = options.churnColumn ? customers.num(options.churnColumn) : null;
  const clv = options.clvColumn ? customers.num(options.clvColumn) : null;
  const topN = options.topN ?? 3;
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i] + 1);
  const r = quantileScores(rec, { reverse: true }), f = quantileScores(freq), m = quantileScores(mon);
  const sorted = (a: ArrayLike<number>) => Array.from(a).filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  const q = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  const rs = sorted(rec), fs = sorted(freq), ms = sorted(mon);
  let totalRev = 0;
  for (let i = 0; i < n; i++) totalRev += mon[i];

  // revenue by segment × category / country
  const catRev: Map<string, number>[] = Array.from({ length: k }, () => new Map());
  const ctyRev: Map<string, number>[] = Array.from({ length: k }, () => new Map());
  if (options.transactions) {
    const tx = options.transactions;
    const seg = new Map<string, number>();
    const ids = customers.str("customer_id");
    for (let i = 0; i < n; i++) seg.set(ids[i], labels[i]);
    const tc = tx.str("customer_id"), qty = tx.num("quantity"), price = tx.num("unit_price");
    const cat = tx.has("category") ? tx.str("category") : null, cty = tx.has("country") ? tx.str("country") : null;
    for (let i = 0; i < tx.numRows; i++) {
      const s = seg.get(tc[i]);
      if (s === undefined || !(qty[i] > 0) || !(price[i] > 0)) continue;
      const amt = qty[i] * price[i];
      if (cat && cat[i]) catRev[s].set(cat[i], (catRev[s].get(cat[i]) ?? 0) + amt);
      if (cty && cty[i]) ctyRev[s].set(cty[i], (ctyRev[s].get(cty[i]) ?? 0) + amt);
    }
  }
  const top = (mp: Map<string, number>) => [...mp.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topN).map((e) => e[0]);

  const personas: Persona[] = [];
  const used = new Map<string, number>();
  for (let s = 0; s < k; s++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === s) idx.push(i);
    const size = idx.length;
    let rev = 0, rSum = 0, fmSum = 0, ch = 0, chN = 0, cl = 0, clN = 0;
    for (const i of idx) {
      rev += mon[i]; rSum += r[i]; fmSum += fmScore(f[i], m[i]);
      if (churn && !Number.isNaN(churn[i])) { ch += churn[i]; chN++; }
      if (clv && !Number.isNaN(clv[i])) { cl += clv[i]; clN++; }
    }
    const recMed = median(idx.map((i) => rec[i])), fMed = median(idx.map((i) => freq[i])), mMed = median(idx.map((i) => mon[i]));
    const rMean = size ? rSum / size : NaN, fmMean = size ? fmSum / size : NaN;
    let name = options.names?.[s] ?? (size ? rfmSegmentName(medianScore(rs, recMed, true), fmScore(medianScore(fs, fMed, false), medianScore(ms, mMed, false))) : "Empty");
    const times = (used.get(name) ?? 0) + 1;
    used.set(name, times);
    if (times > 1 && !options.names) name = `${name} (${times})`;
    const words: string[] = [];
    if (size) {
      words.push(recMed <= q(rs, 1 / 3) ? "recent" : recMed >= q(rs, 2 / 3) ? "lapsed" : "moderately recent");
      words.push(fMed >= q(fs, 2 / 3) && fMed > q(fs, 0) ? "frequent" : fMed <= q(fs, 1 / 3) ? (fMed <= 1 ? "one-off" : "infrequent") : "occasional");
      words.push(mMed >= q(ms, 2 / 3) ? "high spenders" : mMed <= q(ms, 1 / 3) ? "low spenders" : "mid spenders");
    }
    const share = size / n, revShare = totalRev > 0 ? rev / totalRev : 0;
    const extras: string[] = [];
    const churnRate = churn ? (chN ? ch / chN : NaN) : undefined;
    const clvMean = clv ? (clN ? cl / clN : NaN) : undefined;
    if (churnRate !== undefined && !Number.isNaN(churnRate)) extras.push(`churn ${pct(churnRate)}`);
    if (clvMean !== undefined && !Number.isNaN(clvMean)) extras.push(`mean CLV ${clvMean.toFixed(0)}`);
    const topCats = top(catRev[s]), topCty = top(ctyRev[s]);
    if (topCats.length) extras.push(`mostly ${topCats.slice(0, 2).join(" and ")}`);
    const description = `${words.join(", ")}; ${pct(share)} of customers, ${pct(revShare)} of revenue${extras.length ? `; ${extras.join("; ")}` : ""}`;
    personas.push({
      id: s, name, size, share, revenue_share: revShare,
      recency_median: recMed, frequency_median: fMed, monetary_median: mMed,
      r_score_mean: rMean, fm_score_mean: fmMean,
      top_categories: topCats, top_countries: topCty,
      ...(churnRate !== undefined ? { churn_rate: churnRate } : {}),
      ...(clvMean !== undefined ? { clv_mean: clvMean } : {}),
      description,
    });
  }
  const cols: Record<string, string[] | Float64Array | Int32Array> = {
    id: Int32Array.from(personas, (p) => p.id),
    name: personas.map((p) => p.name),
    size: Int32Array.from(personas, (p) => p.size),
    share: Float64Array.from(personas, (p) => p.share),
    revenue_share: Float64Array.from(personas, (p) => p.revenue_share),
    recency_median: Float64Array.from(personas, (p) => p.recency_median),
    frequency_median: Float64Array.from(personas, (p) => p.frequency_median),
    monetary_median: Float64Array.from(personas, (p) => p.monetary_median),
    top_categories: personas.map((p) => p.top_categories.join(", ")),
    top_countries: personas.map((p) => p.top_countries.join(", ")),
  };
  if (churn) cols.churn_rate = Float64Array.from(personas, (p) => p.churn_rate ?? NaN);
  if (clv) cols.clv_mean = Float64Array.from(personas, (p) => p.clv_mean ?? NaN);
  cols.description = personas.map((p) => p.description);
  return { personas, table: new Table(cols) };
}
