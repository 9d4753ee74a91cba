import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import type { Figure } from "../plot/figure";
import { churnLabels } from "../features";
import { rocAucScore, expectedCalibrationError, driftStats, calibrationFigure } from "../eval";
import type { DriftStats } from "../eval";
import { DEFAULT_BANDS } from "../alerts";
import { ModelRegistry } from "../registry";
import { fitChurnModel, lastTimestamp } from "./workflow";
import type { ChurnRun } from "./workflow";
import { churnSpecFromState, loadChurnModel, registerChurnModel } from "./artifact";
import type { LoadedChurnModel } from "./artifact";
import { promoteChurnIfBetter } from "./compare";
import type { PromotionDecision } from "./compare";

import { DAY_MS as DAY, isoDay } from "../util/numeric";

/** Thresholds of the monitoring verdict (see {@link monitorChurnModel}). */
export interface MonitorThresholds {
  /** PSI of the score distribution that means retrain (default 0.25) and warn (default 0.1). */
  scorePsiRetrain?: number;
  scorePsiWarn?: number;
  /** PSI of any input feature that means warn (default 0.25). */
  featurePsiWarn?: number;
  /** Realised AUC this far below the reference AUC means retrain (default 0.05) and warn (default 0.02). */
  aucDropRetrain?: number;
  aucDropWarn?: number;
  /** Realised ECE above this means retrain (default 0.1). */
  eceRetrain?: number;
}

/** Options of {@link monitorChurnModel}. */
export interface MonitorOptions {
  /** Monitoring dates (epoch ms, any order); default: the day after the last transaction. */
  dates?: number[];
  /** Verdict thresholds. */
  thresholds?: MonitorThresholds;
  /** High band threshold for the false-alarm rate (default 0.6). */
  high?: number;
  onProgress?: ProgressCallback;
}

/** One monitoring date: what was known on that day. */
export interface MonitorStep {
  /** The monitoring date (YYYY-MM-DD): only rows before it are read. */
  date: string;
  /** Customers scored at the date. */
  customers: number;
  /** Drift of every numeric model input against the training reference. */
  features: ({ feature: string } & DriftStats)[];
  /** The largest feature PSI and its feature. */
  max_feature_psi: number;
  max_psi_feature: string;
  /** Drift of the (calibrated) score distribution against the training scores. */
  score: DriftStats;
  /**
   * Realised quality of the scores made one horizon earlier (date − H), whose
   * outcomes have arrived by the date; absent while T − H is inside the
   * training labels' window (before the latest training cutoff + H).
   */
  realised?: { scored_at: string; customers: number; churn_rate: number; auc: number; ece: number; high_alerts: number; false_alarm_rate: number };
  verdict: "ok" | "warn" | "retrain";
  /** Why, in words (empty for ok). */
  reasons: string[];
}

/** What {@link monitorChurnModel} returns. */
export interface MonitorResult {
  model: { name: string; version: number; type: string; reference_cutoff: string; reference_auc: number | null; horizon_days: number };
  /** The verdict rule in words, with its thresholds. */
  rule: string;
  steps: MonitorStep[];
  /** Scores one horizon before each date with their realised outcomes (for reliability diagrams), keyed by scoring date. */
  outcomes: { scored_at: string; yTrue: Int32Array; proba: Float64Array }[];
}

function thresholdsOf(t: MonitorThresholds = {}): Required<MonitorThresholds> {
  const r = {
    scorePsiRetrain: t.scorePsiRetrain ?? 0.25, scorePsiWarn: t.scorePsiWarn ?? 0.1, featurePsiWarn: t.featurePsiWarn ?? 0.25,
    aucDropRetrain: t.aucDropRetrain ?? 0.05, aucDropWarn: t.aucDropWarn ?? 0.02, eceRetrain: t.eceRetrain ?? 0.1,
  };
  for (const [k, v] of Object.entries(r)) if (!(v >= 0) || !Number.isFinite(v)) throw new CustlabError("E_OPTION", `monitor: threshold ${k} must be a number ≥ 0, got ${v}`);
  return r;
}

/**
 * Monitor a registered churn model ({@link loadChurnModel}) on new data, the
 * library side of `custlab monitor`. At each date T it reads only the rows
 * before T and compares with the training reference stored in the artifact:
 * PSI, KS and Wasserstein distance of every numeric input and of the score;
 * once the outcomes of the scores made at T − H have arrived (the rows in
 * [T − H, T)), their realised AUC, ECE and high-band false-alarm rate.
 * Verdict: **retrain** when the realised AUC is more than `aucDropRetrain`
 * below the reference AUC (the model's registered out-of-time AUC), the
 * realised ECE exceeds `eceRetrain`, or the score PSI exceeds
 * `scorePsiRetrain`; **warn** when the realised AUC is more than `aucDropWarn`
 * below it, the score PSI exceeds `scorePsiWarn` or a feature PSI exceeds
 * `featurePsiWarn`; else **ok**.
 * @example
 * const r = monitorChurnModel(tx, loadChurnModel("models@champion"), { dates: [Date.parse("2011-10-01"), Date.parse("2011-11-01")] });
 * r.steps.map((s) => [s.date, s.verdict, s.realised?.auc]);
 */
export function monitorChurnModel(tx: Table, lm: LoadedChurnModel, options: MonitorOptions = {}): MonitorResult {
  const th = thresholdsOf(options.thresholds);
  const high = options.high ?? DEFAULT_BANDS.high;
  const st = lm.state, H = st.horizon_days;
  const ref = st.reference;
  if (!ref) throw new CustlabError("E_MODEL_TYPE", `monitor: model "${lm.artifact.name}" v${lm.artifact.version} has no training reference (registered before monitoring existed): retrain it with custlab churn … --registry`);
  const end = lastTimestamp(tx);
  const dates = [...(options.dates ?? [Math.floor(end / DAY) * DAY + DAY])].sort((a, b) => a - b);
  for (const d of dates) if (!Number.isFinite(d)) throw new CustlabError("E_OPTION", "monitor: every date must be a valid date");
  const refAuc = typeof lm.artifact.metrics?.auc === "number" && Number.isFinite(lm.artifact.metrics.auc) ? lm.artifact.metrics.auc : null;
  const refCut = Date.parse(ref.cutoff);
  const ts = tx.num("timestamp");
  const steps: MonitorStep[] = [], outcomes: MonitorResult["outcomes"] = [];
  dates.forEach((T, k) => {
    const known = tx.filter((i) => ts[i] < T); // what the monitor knows on day T
    const feats = lm.features(known, T);
    if (!feats.numRows) throw new CustlabError("E_DATA", `monitor: no customer has a purchase before ${isoDay(T)}`);
    const s = lm.scoreFeatures(feats, known, T);
    const fd = Object.keys(ref.features).filter((c) => feats.has(c) && ref.features[c].length).map((c) => ({ feature: c, ...driftStats(ref.features[c], feats.num(c)) }));
    let maxPsi = 0, maxF = "";
    for (const f of fd) if (f.psi > maxPsi) { maxPsi = f.psi; maxF = f.feature; }
    const score = driftStats(ref.scores, s.proba);
    let realised: MonitorStep["realised"];
    const S = T - H * DAY;
    if (S >= refCut + H * DAY) { // scores made after the training labels' last window: out of sample
      const past = lm.features(known, S);
      if (past.numRows) {
        const ps = lm.scoreFeatures(past, known, S).proba;
        const y = Int32Array.from(churnLabels(known, past, { cutoff: S, horizonDays: H }).num("churn"));
        let churners = 0, alerts = 0, falseAlarms = 0;
        for (let i = 0; i < y.length; i++) { churners += y[i]; if (ps[i] >= high) { alerts++; if (!y[i]) falseAlarms++; } }
        const both = churners > 0 && churners < y.length;
        realised = {
          scored_at: isoDay(S), customers: y.length, churn_rate: churners / y.length, auc: both ? rocAucScore(y, ps) : NaN,
          ece: expectedCalibrationError(y, ps), high_alerts: alerts, false_alarm_rate: alerts ? falseAlarms / alerts : NaN,
        };
        outcomes.push({ scored_at: isoDay(S), yTrue: y, proba: ps });
      }
    }
    const retrain: string[] = [], warn: string[] = [];
    if (realised && refAuc !== null && Number.isFinite(realised.auc)) {
      const drop = refAuc - realised.auc;
      if (drop > th.aucDropRetrain) retrain.push(`realised AUC ${realised.auc.toFixed(3)} (scores of ${realised.scored_at}) is ${drop.toFixed(3)} below the reference ${refAuc.toFixed(3)} (> ${th.aucDropRetrain})`);
      else if (drop > th.aucDropWarn) warn.push(`realised AUC ${realised.auc.toFixed(3)} is ${drop.toFixed(3)} below the reference ${refAuc.toFixed(3)} (> ${th.aucDropWarn})`);
    }
    if (realised && realised.ece > th.eceRetrain) retrain.push(`realised ECE ${realised.ece.toFixed(3)} > ${th.eceRetrain}`);
    if (score.psi > th.scorePsiRetrain) retrain.push(`score PSI ${score.psi.toFixed(3)} > ${th.scorePsiRetrain}`);
    else if (score.psi > th.scorePsiWarn) warn.push(`score PSI ${score.psi.toFixed(3)} > ${th.scorePsiWarn}`);
    if (maxPsi > th.featurePsiWarn) warn.push(`feature ${maxF} PSI ${maxPsi.toFixed(3)} > ${th.featurePsiWarn}`);
    steps.push({
      date: isoDay(T), customers: feats.numRows, features: fd, max_feature_psi: maxPsi, max_psi_feature: maxF, score, realised,
      verdict: retrain.length ? "retrain" : warn.length ? "warn" : "ok", reasons: [...retrain, ...warn],
    });
    options.onProgress?.({ stage: "monitor", done: k + 1, total: dates.length });
  });
  const art = lm.artifact;
  return {
    model: { name: art.name, version: art.version, type: art.modelType, reference_cutoff: ref.cutoff, reference_auc: refAuc, horizon_days: H },
    rule: `retrain when the realised AUC of the scores made ${H} days earlier is more than ${th.aucDropRetrain} below the reference AUC${refAuc !== null ? ` ${refAuc.toFixed(3)}` : " (none registered: AUC rule off)"}, their ECE exceeds ${th.eceRetrain}, or the score PSI exceeds ${th.scorePsiRetrain}; warn when the AUC is more than ${th.aucDropWarn} below it, the score PSI exceeds ${th.scorePsiWarn} or any feature PSI exceeds ${th.featurePsiWarn}; else ok`,
    steps, outcomes,
  };
}

/**
 * Figures of a monitoring run: score PSI and the largest feature PSI by date,
 * realised AUC / ECE / false-alarm rate by scoring date, the PSI of every
 * feature by date (heatmap), and a reliability diagram of each realised
 * scoring date.
 * @example const figs = monitorFigures(monitorChurnModel(tx, loadChurnModel("models")));
 */
export function monitorFigures(r: MonitorResult): { title: string; figure: Figure }[] {
  const x = r.steps.map((s) => s.date);
  const out: { title: string; figure: Figure }[] = [];
  out.push({ title: "Drift by date", figure: { data: [
    { type: "scatter", mode: "lines+markers", name: "score PSI", x, y: r.steps.map((s) => s.score.psi) },
    { type: "scatter", mode: "lines+markers", name: "largest feature PSI", x, y: r.steps.map((s) => s.max_feature_psi), text: r.steps.map((s) => s.max_psi_feature) },
    { type: "scatter", mode: "lines+markers", name: "score KS", x, y: r.steps.map((s) => s.score.ks) },
  ], layout: { title: { text: "Score and feature drift against the training reference" }, yaxis: { title: { text: "PSI / KS" } }, shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0.25, y1: 0.25, line: { dash: "dot", color: "#c0392b" } }] } } });
  const rs = r.steps.filter((s) => s.realised);
  if (rs.length) out.push({ title: "Realised quality", figure: { data: [
    { type: "scatter", mode: "lines+markers", name: "AUC", x: rs.map((s) => s.realised!.scored_at), y: rs.map((s) => s.realised!.auc) },
    { type: "scatter", mode: "lines+markers", name: "ECE", x: rs.map((s) => s.realised!.scored_at), y: rs.map((s) => s.realised!.ece) },
    { type: "scatter", mode: "lines+markers", name: "high-band false-alarm rate", x: rs.map((s) => s.realised!.scored_at), y: rs.map((s) => s.realised!.false_alarm_rate) },
    ...(r.model.reference_auc !== null ? [{ type: "scatter", mode: "lines", name: "reference AUC", x: [rs[0].realised!.scored_at, rs[rs.length - 1].realised!.scored_at], y: [r.model.reference_auc, r.model.reference_auc], line: { dash: "dot" } }] : []),
  ], layout: { title: { text: "Realised quality by scoring date (outcomes one horizon later)" }, xaxis: { title: { text: "scoring date" } } } } });
  const feats = r.steps.length ? r.steps[0].features.map((f) => f.feature) : [];
  if (feats.length) out.push({ title: "Feature PSI", figure: { data: [{ type: "heatmap", x, y: feats, z: feats.map((f) => r.steps.map((s) => s.features.find((g) => g.feature === f)?.psi ?? null)), colorscale: "YlOrRd", zmin: 0, zmax: 0.5 }], layout: { title: { text: "PSI of each input against the training reference" }, margin: { l: 160 } } } });
  if (r.outcomes.length) out.push({ title: "Reliability", figure: calibrationFigure(r.outcomes.map((o) => ({ name: `scored ${o.scored_at}`, yTrue: o.yTrue, score: o.proba })), 10, "Reliability of the realised scores") });
  return out;
}

/** Options of {@link retrainChurnIfNeeded}. */
export interface RetrainOptions {
  /** Model name in the registry (default: the registry's only one). */
  name?: string;
  /** Retrain even when the verdict is not "retrain" (default false). */
  force?: boolean;
  /** Folds of the paired champion/challenger comparison (default 2). */
  folds?: number;
  onProgress?: ProgressCallback;
}

/**
 * The `--retrain` policy: when the latest monitoring step says retrain (or
 * `force`), train a challenger with the champion's specification on the
 * newest cutoffs whose outcomes are known before the date, register it, and
 * promote it only if it beats the champion on the same out-of-time folds
 * (`promoteChurnIfBetter`: pooled AUC, every fold, DeLong p < 0.05). Every
 * decision is logged in the registry (`decisions.jsonl`).
 * @example
 * const m = monitorChurnModel(tx, loadChurnModel("models@champion"));
 * const d = await retrainChurnIfNeeded("models", tx, m);
 */
export async function retrainChurnIfNeeded(root: string, tx: Table, monitor: MonitorResult, options: RetrainOptions = {}): Promise<{ retrained: boolean; reason: string; version?: number; decision?: PromotionDecision }> {
  const last = monitor.steps[monitor.steps.length - 1];
  const reg = new ModelRegistry(root);
  const name = options.name ?? monitor.model.name;
  if (!last || (last.verdict !== "retrain" && !options.force)) {
    const reason = `verdict ${last?.verdict ?? "none"} on ${last?.date ?? "no date"}: no retraining`;
    reg.logDecision(name, { action: "monitor", date: last?.date, verdict: last?.verdict, reasons: last?.reasons ?? [], retrained: false });
    return { retrained: false, reason };
  }
  const champ = loadChurnModel(`${root}@champion`, name);
  const T = Date.parse(last.date);
  const ts = tx.num("timestamp");
  const known = tx.filter((i) => ts[i] < T);
  const spec = { ...churnSpecFromState(champ.state), onProgress: options.onProgress };
  const cm = await fitChurnModel(known, T, spec);
  const saved = registerChurnModel(root, cm, { name, promote: false, tags: { cutoff: last.date, retrained_by: "monitor" } });
  reg.logDecision(name, { action: "monitor", date: last.date, verdict: last.verdict, reasons: last.reasons, retrained: true, challenger: saved.version });
  const decision = await promoteChurnIfBetter(root, saved.version, known, { name, folds: options.folds ?? 2 });
  return { retrained: true, reason: `verdict ${last.verdict} on ${last.date}: ${last.reasons.join("; ") || "forced"}`, version: saved.version, decision };
}

/**
 * Reliability diagram of a churn run whose outcomes are known: observed churn
 * rate against mean predicted probability per bin, for the raw model output
 * and (when the workflow calibrated it) the calibrated probabilities, each
 * named with its expected calibration error, plus the number of customers per
 * bin of the reported probabilities (bars, right axis).
 * @example
 * const run = await churnAtCutoff(tx, Date.parse("2024-09-30"), { calibration: "auto" });
 * const fig = churnReliabilityFigure(run);
 */
export function churnReliabilityFigure(run: Pick<ChurnRun, "scores" | "yTrue" | "churnModel">, nBins = 10): Figure {
  const y = run.yTrue;
  if (!y) throw new CustlabError("E_DATA", `reliability: the outcomes after ${isoDay(run.scores.cutoff)} are not in the data, so there is nothing to compare the probabilities with`);
  const cal = run.churnModel.calibration;
  const calibrated = cal?.calibrator !== undefined;
  const series = [{ name: `raw ${run.churnModel.options.model} (ECE ${expectedCalibrationError(y, run.scores.raw, { nBins }).toFixed(3)})`, yTrue: y, score: run.scores.raw }];
  if (calibrated) series.push({ name: `${cal!.method} calibrated (ECE ${expectedCalibrationError(y, run.scores.proba, { nBins }).toFixed(3)})`, yTrue: y, score: run.scores.proba });
  const fig = calibrationFigure(series, nBins, `Reliability at ${isoDay(run.scores.cutoff)}${calibrated ? ", before and after calibration" : ""}`);
  const counts = new Float64Array(nBins);
  for (const p of run.scores.proba) counts[Math.min(nBins - 1, Math.max(0, Math.ceil(p * nBins) - 1))]++;
  fig.data.push({ type: "bar", name: "customers per bin", x: Array.from({ length: nBins }, (_, b) => (b + 0.5) / nBins), y: Array.from(counts), yaxis: "y2", opacity: 0.25, marker: { color: "#7f8c8d" } });
  fig.layout = { ...fig.layout, yaxis2: { title: { text: "customers" }, overlaying: "y", side: "right", showgrid: false }, legend: { orientation: "h", y: -0.2 } };
  return fig;
}
