/**
 * Fairness of a model or a policy by group (any customer attribute: gender,
 * age band, country…), with fairlearn's definitions:
 * - selection rate per group (share predicted positive / receiving an action);
 * - demographic parity difference = max − min selection rate over groups, and ratio = min / max;
 * - equal-opportunity difference = max − min true-positive rate; equalized-odds
 *   difference = the larger of the TPR and FPR differences;
 * - calibration by group: mean score vs observed rate, and the expected
 *   calibration error over uniform score bins (scikit-learn's `calibration_curve` binning);
 * - action share: the share of each group that receives any action.
 * A rate a group cannot have (no positives for the TPR, no negatives for the
 * FPR) is NaN and left out of the differences.
 */
import { CustlabError, optionError } from "../util/errors";
import type { Figure } from "../plot/figure";

/** Options for {@link fairnessReport}. */
export interface FairnessOptions {
  /** Scores ≥ threshold count as selected when `selected` is not given (default 0.5). */
  threshold?: number;
  /** Uniform score bins of the calibration (default 10). */
  bins?: number;
  /** Warn when the demographic parity difference exceeds this (default 0.1). */
  maxParityDifference?: number;
  /** Warn when the equal-opportunity difference exceeds this (default 0.1). */
  maxOpportunityDifference?: number;
  /** Warn when a group's expected calibration error exceeds this (default 0.05). */
  maxCalibrationError?: number;
  /** Name of the attribute (used in the warnings; default "group"). */
  attribute?: string;
}

/** Per-group figures of {@link fairnessReport}. */
export interface FairnessGroup {
  group: string;
  n: number;
  /** Share selected (predicted positive / given an action). */
  selectionRate: number;
  /** True-positive rate (recall) among the group's positives; NaN without positives. */
  tpr: number;
  /** False-positive rate among the group's negatives; NaN without negatives. */
  fpr: number;
  /** Observed positive rate. */
  baseRate: number;
  /** Mean score (NaN without scores). */
  meanScore: number;
  /** Expected calibration error over the uniform bins (NaN without scores). */
  ece: number;
  /** Calibration bins with customers: mean score, observed rate, count. */
  calibration: Array<{ bin: number; meanScore: number; observed: number; n: number }>;
}

/** Result of {@link fairnessReport}. */
export interface FairnessReport {
  attribute: string;
  groups: FairnessGroup[];
  demographicParityDifference: number;
  demographicParityRatio: number;
  equalOpportunityDifference: number;
  equalizedOddsDifference: number;
  /** Largest expected calibration error of any group. */
  maxCalibrationError: number;
  /** Plain-words warnings where a figure crosses its threshold. */
  warnings: string[];
  thresholds: { parity: number; opportunity: number; calibration: number };
}

const spread = (v: number[]): number => {
  const f = v.filter((x) => !Number.isNaN(x));
  return f.length ? Math.max(...f) - Math.min(...f) : NaN;
};

/**
 * Fairness figures of a model or policy by group.
 *
 * @param yTrue - observed 0/1 outcome per customer (e.g. churned)
 * @param groups - the attribute per customer (gender, age band…)
 * @param input - `score` (probabilities; selected = score ≥ threshold unless `selected` is given) and/or `selected` (0/1: predicted positive, or received an action)
 * @param options - see {@link FairnessOptions}
 * @example
 * const f = fairnessReport(y, segments, { score: p }, { attribute: "segment" });
 * f.demographicParityDifference; // max − min selection rate
 */
export function fairnessReport(yTrue: ArrayLike<number>, groups: ArrayLike<string | number>, input: { score?: ArrayLike<number>; selected?: ArrayLike<number> }, options: FairnessOptions = {}): FairnessReport {
  const n = yTrue.length;
  const { score, selected } = input;
  if (!score && !selected) optionError("input", "give scores, selections (0/1) or both");
  if (groups.length !== n || (score && score.length !== n) || (selected && selected.length !== n))
    throw new CustlabError("E_SHAPE", `fairness needs one outcome, group${score ? ", score" : ""}${selected ? ", selection" : ""} per customer (got ${n}, ${groups.length}${score ? `, ${score.length}` : ""}${selected ? `, ${selected.length}` : ""})`);
  const threshold = options.threshold ?? 0.5, bins = options.bins ?? 10;
  if (!(Number.isInteger(bins) && bins >= 1)) optionError("bins", `must be a positive integer, got ${bins}`);
  const attribute = options.attribute ?? "group";
  const th = { parity: options.maxParityDifference ?? 0.1, opportunity: options.maxOpportunityDifference ?? 0.1, calibration: options.maxCalibrationError ?? 0.05 };
  const edges = Float64Array.from({ length: bins - 1 }, (_, i) => (i + 1) * (1 / bins));
  const binOf = (v: number): number => { let b = 0; while (b < edges.length && edges[b] < v) b++; return b; };
  const acc = new Map<string, { n: number; sel: number; pos: number; tp: number; neg: number; fp: number; s: number; bs: Float64Array; bo: Float64Array; bn: Float64Array }>();
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (!(y === 0 || y === 1)) throw new CustlabError("E_VALUE", `outcome must be 0 or 1, got ${y} at row ${i}`);
    const sc = score ? score[i] : NaN;
    if (score && !(sc >= 0 && sc <= 1)) throw new CustlabError("E_VALUE", `score must be a probability in [0, 1], got ${sc} at row ${i}`);
    const s = selected ? selected[i] : sc >= threshold ? 1 : 0;
    if (!(s === 0 || s === 1)) throw new CustlabError("E_VALUE", `selection must be 0 or 1, got ${s} at row ${i}`);
    const g = String(groups[i]);
    let a = acc.get(g);
    if (!a) acc.set(g, (a = { n: 0, sel: 0, pos: 0, tp: 0, neg: 0, fp: 0, s: 0, bs: new Float64Array(bins), bo: new Float64Array(bins), bn: new Float64Array(bins) }));
    a.n++; a.sel += s;
    if (y === 1) { a.pos++; a.tp += s; } else { a.neg++; a.fp += s; }
    if (score) { a.s += sc; const b = binOf(sc); a.bs[b] += sc; a.bo[b] += y; a.bn[b]++; }
  }
  const out: FairnessGroup[] = [...acc.keys()].sort().map((g) => {
    const a = acc.get(g)!;
    const calibration: FairnessGroup["calibration"] = [];
    let ece = score ? 0 : NaN;
    for (let b = 0; b < bins; b++) {
      if (!a.bn[b]) continue;
      calibration.push({ bin: b, meanScore: a.bs[b] / a.bn[b], observed: a.bo[b] / a.bn[b], n: a.bn[b] });
      ece += (a.bn[b] / a.n) * Math.abs(a.bo[b] / a.bn[b] - a.bs[b] / a.bn[b]);
    }
    return {
      group: g, n: a.n, selectionRate: a.sel / a.n, tpr: a.pos ? a.tp / a.pos : NaN, fpr: a.neg ? a.fp / a.neg : NaN,
      baseRate: a.pos / a.n, meanScore: score ? a.s / a.n : NaN, ece, calibration,
    };
  });
  const sel = out.map((g) => g.selectionRate);
  const dpd = spread(sel), maxSel = Math.max(...sel), minSel = Math.min(...sel);
  const eod = spread(out.map((g) => g.tpr)), fprd = spread(out.map((g) => g.fpr));
  const eqodds = Number.isNaN(eod) ? fprd : Number.isNaN(fprd) ? eod : Math.max(eod, fprd);
  const maxEce = score ? Math.max(...out.map((g) => g.ece)) : NaN;
  const warnings: string[] = [];
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const hi = (k: keyof FairnessGroup) => out.reduce((p, q) => ((q[k] as number) > (p[k] as number) ? q : p));
  const lo = (k: keyof FairnessGroup) => out.reduce((p, q) => ((q[k] as number) < (p[k] as number) ? q : p));
  if (dpd > th.parity) warnings.push(`Demographic parity by ${attribute}: ${pct(hi("selectionRate").selectionRate)} of "${hi("selectionRate").group}" are selected against ${pct(lo("selectionRate").selectionRate)} of "${lo("selectionRate").group}" (difference ${dpd.toFixed(3)} > ${th.parity}).`);
  if (eod > th.opportunity) {
    const w = out.filter((g) => !Number.isNaN(g.tpr));
    const h = w.reduce((p, q) => (q.tpr > p.tpr ? q : p)), l = w.reduce((p, q) => (q.tpr < p.tpr ? q : p));
    warnings.push(`Equal opportunity by ${attribute}: the model finds ${pct(h.tpr)} of the positives in "${h.group}" but ${pct(l.tpr)} in "${l.group}" (difference ${eod.toFixed(3)} > ${th.opportunity}).`);
  }
  for (const g of out) if (g.ece > th.calibration) warnings.push(`Calibration by ${attribute}: scores of "${g.group}" are off by ${g.ece.toFixed(3)} on average (expected calibration error > ${th.calibration}); mean score ${pct(g.meanScore)} vs observed ${pct(g.baseRate)}.`);
  return {
    attribute, groups: out, demographicParityDifference: dpd, demographicParityRatio: maxSel > 0 ? minSel / maxSel : NaN,
    equalOpportunityDifference: eod, equalizedOddsDifference: eqodds, maxCalibrationError: maxEce, warnings, thresholds: th,
  };
}

/**
 * Selection rate and true-positive rate per group as grouped bars (plotly JSON).
 * @example
 * const fig = fairnessFigure(fairnessReport(y, segments, { score: p }));
 */
export function fairnessFigure(r: FairnessReport, options: { title?: string } = {}): Figure {
  const x = r.groups.map((g) => g.group);
  return {
    data: [
      { type: "bar", name: "selection rate", x, y: r.groups.map((g) => g.selectionRate) },
      { type: "bar", name: "true-positive rate", x, y: r.groups.map((g) => (Number.isNaN(g.tpr) ? null : g.tpr)) },
      { type: "bar", name: "observed rate", x, y: r.groups.map((g) => g.baseRate) },
    ],
    layout: {
      title: { text: `${options.title ?? `Fairness by ${r.attribute}`}<br><sub>parity difference ${r.demographicParityDifference.toFixed(3)}, equal-opportunity difference ${r.equalOpportunityDifference.toFixed(3)}</sub>` },
      barmode: "group", yaxis: { tickformat: ".0%", rangemode: "tozero" }, xaxis: { title: { text: r.attribute } },
    },
  };
}

/**
 * The share of each group that receives an action (any action other than
 * "none"), and the largest difference between groups (the policy's
 * demographic parity difference).
 * @example
 * actionShareByGroup(["F", "M", "F"], ["discount", "none", "none"]).difference; // 0.5
 */
export function actionShareByGroup(groups: ArrayLike<string | number>, actions: ArrayLike<string>): { groups: Array<{ group: string; n: number; share: number }>; difference: number } {
  if (groups.length !== actions.length) throw new CustlabError("E_SHAPE", `one group and one action per customer (got ${groups.length}, ${actions.length})`);
  const acc = new Map<string, [number, number]>();
  for (let i = 0; i < groups.length; i++) {
    const g = String(groups[i]);
    const a = acc.get(g) ?? [0, 0];
    a[0]++; if (actions[i] !== "none" && actions[i] !== "") a[1]++;
    acc.set(g, a);
  }
  const out = [...acc.keys()].sort().map((g) => ({ group: g, n: acc.get(g)![0], share: acc.get(g)![1] / acc.get(g)![0] }));
  return { groups: out, difference: spread(out.map((g) => g.share)) };
}
