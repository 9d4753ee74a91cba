import { CustlabError } from "../util/errors";

/** A chosen decision threshold and what it yields on the given data. */
export interface ThresholdChoice {
  /** Flag rows with score ≥ threshold. */
  threshold: number;
  /** Rows flagged. */
  flagged: number;
  precision: number;
  recall: number;
  f1: number;
  /** Expected cost per row (only for {@link thresholdByCost}). */
  cost?: number;
}

function sweep(yTrue: ArrayLike<number>, score: ArrayLike<number>, positive: number) {
  const n = yTrue.length;
  if (score.length !== n || n === 0) throw new CustlabError("E_SHAPE", `threshold: ${n} labels but ${score.length} scores`);
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  let P = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === positive) P++;
  // points[t] = (threshold, tp, fp) after flagging all rows with score ≥ threshold
  const pts: { th: number; tp: number; fp: number }[] = [{ th: Infinity, tp: 0, fp: 0 }];
  let tp = 0, fp = 0;
  for (let t = 0; t < n; t++) {
    const i = idx[t];
    if (yTrue[i] === positive) tp++; else fp++;
    if (t + 1 === n || score[idx[t + 1]] !== score[i]) pts.push({ th: score[i], tp, fp });
  }
  return { pts, P, N: n - P, n };
}

function describe(th: number, tp: number, fp: number, P: number): ThresholdChoice {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = P ? tp / P : 0;
  const f1 = 2 * tp + fp + (P - tp) > 0 ? (2 * tp) / (2 * tp + fp + (P - tp)) : 0;
  return { threshold: th, flagged: tp + fp, precision, recall, f1 };
}

/**
 * The threshold with the highest F1 (ties: the higher threshold).
 * @example thresholdMaxF1(y, proba).threshold;
 */
export function thresholdMaxF1(yTrue: ArrayLike<number>, score: ArrayLike<number>, positive = 1): ThresholdChoice {
  const { pts, P } = sweep(yTrue, score, positive);
  let best = describe(pts[0].th, 0, 0, P);
  for (const p of pts.slice(1)) { const d = describe(p.th, p.tp, p.fp, P); if (d.f1 > best.f1) best = d; }
  return best;
}

/** Costs (or negative gains) of each outcome, per row. */
export interface CostMatrix {
  /** Cost of flagging a customer who would not churn (e.g. a wasted voucher). */
  fp: number;
  /** Cost of missing a churner (e.g. lost margin). */
  fn: number;
  /** Cost of a correctly flagged churner (e.g. voucher minus saved margin; default 0). */
  tp?: number;
  /** Cost of a correctly ignored customer (default 0). */
  tn?: number;
}

/**
 * The threshold minimising total cost tp·c_tp + fp·c_fp + fn·c_fn + tn·c_tn
 * over all distinct thresholds (flag nobody = threshold +∞ included).
 * @example thresholdByCost(y, p, { fp: 5, fn: 50 }); // cheap vouchers, expensive churn
 */
export function thresholdByCost(yTrue: ArrayLike<number>, score: ArrayLike<number>, costs: CostMatrix, positive = 1): ThresholdChoice {
  const { pts, P, N, n } = sweep(yTrue, score, positive);
  const ctp = costs.tp ?? 0, ctn = costs.tn ?? 0;
  let best: ThresholdChoice | null = null;
  for (const p of pts) {
    const cost = (p.tp * ctp + p.fp * costs.fp + (P - p.tp) * costs.fn + (N - p.fp) * ctn) / n;
    if (!best || cost < best.cost!) best = { ...describe(p.th, p.tp, p.fp, P), cost };
  }
  return best!;
}

/**
 * The threshold that flags the top `capacity` rows by score (e.g. the 500
 * customers the retention team can call). With ties at the boundary the
 * threshold is the capacity-th score, so slightly more rows may be flagged;
 * `flagged` says how many. Labels are optional (precision/recall are NaN without them).
 * @example thresholdByCapacity(p, 500, y);
 */
export function thresholdByCapacity(score: ArrayLike<number>, capacity: number, yTrue?: ArrayLike<number>, positive = 1): ThresholdChoice {
  const n = score.length;
  if (!(capacity >= 1)) throw new CustlabError("E_OPTION", `thresholdByCapacity: capacity must be ≥ 1, got ${capacity}`);
  const sorted = Float64Array.from(score).sort().reverse();
  const th = sorted[Math.min(n, Math.floor(capacity)) - 1];
  let flagged = 0, tp = 0, P = 0;
  for (let i = 0; i < n; i++) {
    const pos = yTrue ? yTrue[i] === positive : false;
    if (pos) P++;
    if (score[i] >= th) { flagged++; if (pos) tp++; }
  }
  if (!yTrue) return { threshold: th, flagged, precision: NaN, recall: NaN, f1: NaN };
  return describe(th, tp, flagged - tp, P);
}

/**
 * The cost-minimising threshold for calibrated probabilities, without labels:
 * flag a row when its expected cost flagged, p·c_tp + (1−p)·c_fp, is at most
 * its expected cost unflagged, p·c_fn + (1−p)·c_tn, i.e. when
 * p ≥ (c_fp − c_tn) / ((c_fp − c_tn) + (c_fn − c_tp)). Only valid for
 * calibrated probabilities; with labels use {@link thresholdByCost}.
 * @example thresholdByExpectedCost({ fp: 5, fn: 50 }); // 5 / 55 ≈ 0.0909
 */
export function thresholdByExpectedCost(costs: CostMatrix): number {
  const a = costs.fp - (costs.tn ?? 0), b = costs.fn - (costs.tp ?? 0);
  if (!(a >= 0) || !(b > 0)) throw new CustlabError("E_OPTION", `thresholdByExpectedCost: need fp ≥ tn and fn > tp (flagging must cost something and missing a churner must cost more than catching one), got fp ${costs.fp}, fn ${costs.fn}, tp ${costs.tp ?? 0}, tn ${costs.tn ?? 0}`);
  return a / (a + b);
}
