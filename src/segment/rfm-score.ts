import { Table } from "../table";
import { CustlabError, optionError } from "../util/errors";

/**
 * How tied values are ranked before scoring (pandas `rank(method=…)` names):
 * - `"average"` (default): tied values share the mean of their ranks, so equal
 *   values always get the same score. With many ties a low score can stay empty
 *   (e.g. 60% one-time buyers all get F = 2 when bins = 5: mean rank 30%).
 * - `"min"`: tied values get the lowest rank of the group (ties pushed down).
 * - `"max"`: the highest rank of the group (ties pushed up).
 * - `"first"`: ranks in row order — equal values can get different scores
 *   (forces equal-size bins; not recommended for RFM).
 */
export type RankTieMethod = "average" | "min" | "max" | "first";

/** Options for {@link quantileScores}. */
export interface QuantileScoreOptions {
  /** Number of scores (1..bins). Default 5. */
  bins?: number;
  /** Tie rule, see {@link RankTieMethod}. Default "average". */
  ties?: RankTieMethod;
  /** Reverse so the smallest value gets the top score (recency). Default false. */
  reverse?: boolean;
}

/**
 * Rank-based quantile scores: score = ⌈bins × rank / n⌉ clipped to 1..bins,
 * with rank the 1-based rank under the tie rule (pandas
 * `np.ceil(s.rank(method=ties, pct=True) * bins)`). NaN values get score 0.
 *
 * @example
 * quantileScores([1, 1, 1, 2, 5], { bins: 5 });            // Int32Array [2, 2, 2, 4, 5]
 * quantileScores([1, 1, 1, 2, 5], { bins: 5, ties: "min" }); // [1, 1, 1, 4, 5]
 */
export function quantileScores(values: ArrayLike<number>, options: QuantileScoreOptions = {}): Int32Array {
  const bins = options.bins ?? 5;
  const ties = options.ties ?? "average";
  if (!Number.isInteger(bins) || bins < 2) optionError("bins", `must be an integer ≥ 2, got ${bins}`);
  if (!["average", "min", "max", "first"].includes(ties)) optionError("ties", `must be average|min|max|first, got ${ties}`);
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) idx.push(i);
  idx.sort((a, b) => values[a] - values[b] || a - b);
  const n = idx.length;
  const out = new Int32Array(values.length);
  let g = 0;
  while (g < n) {
    let h = g;
    while (h + 1 < n && values[idx[h + 1]] === values[idx[g]]) h++;
    for (let p = g; p <= h; p++) {
      const rank = ties === "average" ? (g + h) / 2 + 1 : ties === "min" ? g + 1 : ties === "max" ? h + 1 : p + 1;
      let s = Math.ceil((bins * rank) / n - 1e-12);
      if (s < 1) s = 1; else if (s > bins) s = bins;
      out[idx[p]] = options.reverse ? bins + 1 - s : s;
    }
    g = h + 1;
  }
  return out;
}

/** One rule of the RFM segment table: a rectangle in (R score, FM score). */
export interface RFMSegmentRule {
  segment: string;
  rMin: number;
  rMax: number;
  fmMin: number;
  fmMax: number;
  description: string;
  action: string;
}

/**
 * The named RFM segments as rectangles on the 5×5 grid of R score (recency,
 * 5 = most recent) × FM score (round-half-up of (F + M) / 2). The ten
 * rectangles partition the grid, so every customer gets exactly one name.
 */
export const RFM_SEGMENT_RULES: readonly RFMSegmentRule[] = [
  { segment: "Champions", rMin: 5, rMax: 5, fmMin: 4, fmMax: 5, description: "bought recently, buy often and spend the most", action: "reward; early access; ask for reviews" },
  { segment: "Loyal", rMin: 3, rMax: 4, fmMin: 4, fmMax: 5, description: "buy often and spend well, fairly recently", action: "upsell; loyalty programme" },
  { segment: "Potential loyalists", rMin: 4, rMax: 5, fmMin: 2, fmMax: 3, description: "recent customers with average frequency and spend", action: "membership offers; recommendations" },
  { segment: "New", rMin: 5, rMax: 5, fmMin: 1, fmMax: 1, description: "bought very recently, once or twice, small spend", action: "onboarding; first-repeat incentive" },
  { segment: "Promising", rMin: 4, rMax: 4, fmMin: 1, fmMax: 1, description: "recent shoppers who have not spent much yet", action: "brand awareness; free trials" },
  { segment: "Need attention", rMin: 3, rMax: 3, fmMin: 1, fmMax: 3, description: "middling recency, frequency and spend", action: "limited-time offers based on history" },
  { segment: "At risk", rMin: 1, rMax: 2, fmMin: 3, fmMax: 4, description: "used to buy often and spend well, but not for a long time", action: "personal win-back emails" },
  { segment: "Can't lose", rMin: 1, rMax: 2, fmMin: 5, fmMax: 5, description: "top spenders and frequent buyers who have gone quiet", action: "win back at any cost; talk to them" },
  { segment: "Hibernating", rMin: 2, rMax: 2, fmMin: 1, fmMax: 2, description: "last purchase long ago, few orders, low spend", action: "relevant offers; reactivation" },
  { segment: "Lost", rMin: 1, rMax: 1, fmMin: 1, fmMax: 2, description: "lowest recency, frequency and spend", action: "ignore or a last low-cost campaign" },
];

/**
 * The RFM segment rule table as a {@link Table} (segment, R range, FM range,
 * description, suggested action) — for notebooks and reports.
 *
 * @example
 * rfmSegmentRules().toMarkdown();
 */
export function rfmSegmentRules(): Table {
  const r = RFM_SEGMENT_RULES;
  return new Table({
    segment: r.map((x) => x.segment),
    r_score: r.map((x) => (x.rMin === x.rMax ? `${x.rMin}` : `${x.rMin}–${x.rMax}`)),
    fm_score: r.map((x) => (x.fmMin === x.fmMax ? `${x.fmMin}` : `${x.fmMin}–${x.fmMax}`)),
    description: r.map((x) => x.description),
    action: r.map((x) => x.action),
  });
}

/**
 * FM score: round-half-up of (F + M) / 2.
 * @example
 * fmScore(4, 3); // 4
 */
export function fmScore(f: number, m: number): number {
  return Math.floor((f + m) / 2 + 0.5);
}

/**
 * The RFM segment name for an R score and an FM score (both 1..5).
 * @example
 * rfmSegmentName(5, 5); // "Champions"
 */
export function rfmSegmentName(r: number, fm: number): string {
  const rr = Math.min(5, Math.max(1, Math.round(r))), ff = Math.min(5, Math.max(1, Math.round(fm)));
  for (const x of RFM_SEGMENT_RULES) if (rr >= x.rMin && rr <= x.rMax && ff >= x.fmMin && ff <= x.fmMax) return x.segment;
  throw new CustlabError("E_INTERNAL", `no RFM rule covers R=${rr}, FM=${ff}`);
}

/** Options for {@link rfmScores}. */
export interface RFMScoreOptions {
  /** Tie rule for all three scores. Default "average" (see {@link RankTieMethod}). */
  ties?: RankTieMethod;
}

/**
 * RFM scores and named segments from a `customerRFM` table (needs
 * recency_days, frequency, monetary). Scores 1–5 by rank-based quantiles
 * ({@link quantileScores}, default tie rule "average": equal values always share
 * a score); recency is reversed (fewest days → 5). Adds columns r_score,
 * f_score, m_score, fm_score, rfm_code ("545") and rfm_segment (see
 * {@link rfmSegmentRules}).
 *
 * @example
 * const scored = rfmScores(customerRFM(tx));
 * scored.str("rfm_segment")[0]; // e.g. "Champions"
 */
export function rfmScores(rfm: Table, options: RFMScoreOptions = {}): Table {
  const ties = options.ties ?? "average";
  const r = quantileScores(rfm.num("recency_days"), { ties, reverse: true });
  const f = quantileScores(rfm.num("frequency"), { ties });
  const m = quantileScores(rfm.num("monetary"), { ties });
  const n = rfm.numRows;
  const fm = new Int32Array(n), code = new Array<string>(n), seg = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    fm[i] = fmScore(f[i], m[i]);
    code[i] = `${r[i]}${f[i]}${m[i]}`;
    seg[i] = r[i] > 0 && f[i] > 0 && m[i] > 0 ? rfmSegmentName(r[i], fm[i]) : "";
  }
  return rfm.assign({ r_score: r, f_score: f, m_score: m, fm_score: fm, rfm_code: code, rfm_segment: seg });
}

/**
 * Customers and revenue per named RFM segment (segment, customers, share, revenue_share), in rule-table order.
 * @example
 * showTable(rfmSegmentSummary(rfmScores(rfm)));
 */
export function rfmSegmentSummary(scored: Table): Table {
  const seg = scored.str("rfm_segment"), mon = scored.num("monetary");
  const names = RFM_SEGMENT_RULES.map((x) => x.segment);
  const cnt = new Float64Array(names.length), rev = new Float64Array(names.length);
  let tot = 0;
  for (let i = 0; i < scored.numRows; i++) { const j = names.indexOf(seg[i]); if (j < 0) continue; cnt[j]++; rev[j] += mon[i]; tot += mon[i]; }
  const n = scored.numRows;
  return new Table({
    segment: names,
    customers: Int32Array.from(cnt),
    share: Float64Array.from(cnt, (c) => c / n),
    revenue_share: Float64Array.from(rev, (r) => (tot > 0 ? r / tot : 0)),
  });
}
