import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { takeRows } from "../util/matrix";
import { Table } from "../table";
import { stratifiedKFold, foldSplit } from "../util/folds";
import { probaColumn } from "../util/estimator";
import { rocAucScore } from "./metrics";
import type { EvalEstimator } from "./cv";

/**
 * Segment-then-predict: one model per segment, a global model, or a global
 * model with the segment one-hot encoded as features — compared on the same
 * stratified folds, per segment and pooled.
 */

/** Options for {@link compareSegmentStrategies}. */
export interface SegmentStrategyOptions {
  /** Stratified folds (default 5). */
  folds?: number;
  /** Seed of the folds (default 42). */
  seed?: number;
  /** Segments with fewer training rows than this (or one class) use the global model. Default 30. */
  minSegmentRows?: number;
}

/** Result of {@link compareSegmentStrategies}. */
export interface SegmentStrategyResult {
  /** One row per segment and strategy plus "pooled": segment, strategy, rows, auc. */
  table: Table;
  /** Pooled out-of-fold AUC per strategy. */
  pooled: Record<"global" | "global+segment" | "per-segment", number>;
  /** The strategy with the highest pooled AUC. */
  winner: "global" | "global+segment" | "per-segment";
  /** Out-of-fold P(class 1) per strategy. */
  oof: Record<"global" | "global+segment" | "per-segment", Float64Array>;
}

/**
 * Compare three ways to use customer segments (RFM cells, k-means clusters,
 * …) for a binary target on the SAME stratified folds: a global model, a
 * global model with the segment as one-hot features, and one model per
 * segment (segments too small or one-class in a training fold fall back to
 * the global model). Out-of-fold AUC per segment and pooled; the winner has
 * the highest pooled AUC.
 * @example
 * const r = await compareSegmentStrategies(() => new LogisticRegression(), X, y, segments);
 * r.winner; r.table.toMarkdown();
 */
export async function compareSegmentStrategies(makeModel: () => EvalEstimator, X: Matrix, y: ArrayLike<number>, segments: ArrayLike<string>, options: SegmentStrategyOptions = {}): Promise<SegmentStrategyResult> {
  const n = X.rows;
  if (y.length !== n || segments.length !== n) throw new CustlabError("E_SHAPE", `compareSegmentStrategies: X has ${n} rows, y ${y.length}, segments ${segments.length}`);
  const segNames = [...new Set(Array.from(segments))].sort();
  const segIdx = new Map(segNames.map((s, i) => [s, i]));
  // global + one-hot segment columns
  const p = X.cols, q = segNames.length;
  const Xs: Matrix = { data: new Float64Array(n * (p + q)), rows: n, cols: p + q };
  for (let i = 0; i < n; i++) { Xs.data.set(X.data.subarray(i * p, (i + 1) * p), i * (p + q)); Xs.data[i * (p + q) + p + segIdx.get(segments[i])!] = 1; }
  const yy = Float64Array.from(y);
  const fold = stratifiedKFold(yy, options.folds ?? 5, options.seed ?? 42);
  let nf = 0;
  for (const f of fold) nf = Math.max(nf, f + 1);
  const oof = { "global": new Float64Array(n), "global+segment": new Float64Array(n), "per-segment": new Float64Array(n) };
  const minRows = options.minSegmentRows ?? 30;
  const fitPredict = async (Xtr: Matrix, ytr: Float64Array, Xte: Matrix) => { const m = makeModel(); await m.fit(Xtr, ytr); return probaColumn(await m.predictProba(Xte), 2, 1); };
  for (let f = 0; f < nf; f++) {
    const { train, test } = foldSplit(fold, f);
    const ytr = Float64Array.from(train, (i) => yy[i]);
    const pg = await fitPredict(takeRows(X, train), ytr, takeRows(X, test));
    const ps = await fitPredict(takeRows(Xs, train), ytr, takeRows(Xs, test));
    test.forEach((i, t) => { oof.global[i] = pg[t]; oof["global+segment"][i] = ps[t]; oof["per-segment"][i] = pg[t]; });
    for (const s of segNames) {
      const tr = Int32Array.from(Array.from(train).filter((i) => segments[i] === s));
      const te = Int32Array.from(Array.from(test).filter((i) => segments[i] === s));
      if (!te.length) continue;
      const ys = Float64Array.from(tr, (i) => yy[i]);
      const pos = ys.reduce((a, b) => a + b, 0);
      if (tr.length < minRows || pos === 0 || pos === ys.length) continue; // keeps the global model's scores
      const pp = await fitPredict(takeRows(X, tr), ys, takeRows(X, te));
      te.forEach((i, t) => (oof["per-segment"][i] = pp[t]));
    }
  }
  const strategies = ["global", "global+segment", "per-segment"] as const;
  const auc = (rows: number[], s: (typeof strategies)[number]) => {
    const yt = rows.map((i) => yy[i]), sc = rows.map((i) => oof[s][i]);
    const pos = yt.reduce((a, b) => a + b, 0);
    return pos > 0 && pos < yt.length ? rocAucScore(yt, sc) : NaN;
  };
  const segCol: string[] = [], stratCol: string[] = [], rowsCol: number[] = [], aucCol: number[] = [];
  const all = Array.from({ length: n }, (_, i) => i);
  for (const s of [...segNames, "pooled"]) {
    const rows = s === "pooled" ? all : all.filter((i) => segments[i] === s);
    for (const st of strategies) { segCol.push(s); stratCol.push(st); rowsCol.push(rows.length); aucCol.push(auc(rows, st)); }
  }
  const pooled = { "global": auc(all, "global"), "global+segment": auc(all, "global+segment"), "per-segment": auc(all, "per-segment") };
  const winner = strategies.reduce((a, b) => (pooled[b] > pooled[a] ? b : a));
  return { table: new Table({ segment: segCol, strategy: stratCol, rows: Int32Array.from(rowsCol), auc: Float64Array.from(aucCol) }), pooled, winner, oof };
}
