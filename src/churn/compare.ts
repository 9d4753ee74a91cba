import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { rocAucScore, delongTest } from "../eval";
import { ModelRegistry } from "../registry";
import { churnAtCutoff, lastTimestamp } from "./workflow";
import type { ChurnWorkflowOptions } from "./workflow";
import { churnSpecFromState, registryModelName } from "./artifact";
import type { ChurnArtifactState } from "./artifact";
import type { ModelArtifact } from "../registry";
import { isoDay, DAY_MS } from "../util/numeric";


/** Options for {@link compareChurnSpecs}. */
export interface PairedComparisonOptions {
  /** Evaluation cutoffs (epoch ms). Default: `folds` cutoffs `foldEveryDays` apart, the latest one horizon before the data's end. */
  cutoffs?: number[];
  /** Number of evaluation cutoffs (default 2). */
  folds?: number;
  /** Days between evaluation cutoffs (default 30). */
  foldEveryDays?: number;
  /** Significance level of the paired test (default 0.05). */
  alpha?: number;
  onProgress?: ProgressCallback;
}

/** Result of {@link compareChurnSpecs}. */
export interface PairedComparison {
  /** One row per fold (cutoff): customers, churn rate, AUC of A and B. */
  folds: Table;
  /** Pooled AUCs over all folds (same rows for both). */
  aucA: number;
  aucB: number;
  /** DeLong's paired test of B against A on the pooled rows. */
  delong: { diff: number; z: number; pValue: number; ci: [number, number] };
  /** Folds where B's AUC is higher. */
  winsB: number;
  /** B beats A: higher pooled AUC, higher on every fold, and DeLong p < alpha. */
  bBetter: boolean;
  /** The rule in words. */
  rule: string;
}

/**
 * Paired, out-of-time comparison of two churn-workflow specifications on the
 * same folds: at each evaluation cutoff both are trained with
 * {@link churnAtCutoff} on data before it only and score the same customers;
 * AUCs per fold, pooled AUCs and DeLong's test on the pooled rows (B minus A).
 * @example
 * const c = await compareChurnSpecs(tx, { model: "logreg" }, { model: "gbdt" }, { folds: 2 });
 * c.bBetter; c.delong.pValue;
 */
export async function compareChurnSpecs(tx: Table, a: ChurnWorkflowOptions, b: ChurnWorkflowOptions, options: PairedComparisonOptions = {}): Promise<PairedComparison> {
  const Ha = a.horizonDays ?? 90, Hb = b.horizonDays ?? 90;
  if (Ha !== Hb) throw new CustlabError("E_OPTION", `compare: the two models predict different horizons (${Ha} and ${Hb} days); only models of the same horizon can be compared`);
  const end = lastTimestamp(tx);
  const k = options.folds ?? 2, every = options.foldEveryDays ?? 30, alpha = options.alpha ?? 0.05;
  const last = Math.floor((end - Ha * DAY_MS) / DAY_MS) * DAY_MS;
  const cuts = options.cutoffs ?? Array.from({ length: k }, (_, j) => last - (k - 1 - j) * every * DAY_MS);
  const rows: Record<string, unknown>[] = [];
  const Y: number[] = [], PA: number[] = [], PB: number[] = [];
  let winsB = 0;
  for (let f = 0; f < cuts.length; f++) {
    const c = cuts[f];
    const ra = await churnAtCutoff(tx, c, { ...a, onProgress: undefined });
    const rb = await churnAtCutoff(tx, c, { ...b, onProgress: undefined });
    if (!ra.yTrue || !rb.yTrue) throw new CustlabError("E_OPTION", `compare: outcomes at ${isoDay(c)} are not known yet (the data ends ${isoDay(end)})`);
    // the same customers for both (eligibility rules may differ): intersect
    const ib = new Map(rb.scores.customers.map((id, i) => [id, i]));
    const y: number[] = [], pa: number[] = [], pb: number[] = [];
    ra.scores.customers.forEach((id, i) => { const j = ib.get(id); if (j !== undefined) { y.push(ra.yTrue![i]); pa.push(ra.scores.proba[i]); pb.push(rb.scores.proba[j]); } });
    const aucA = rocAucScore(y, pa), aucB = rocAucScore(y, pb);
    if (aucB > aucA) winsB++;
    rows.push({ cutoff: isoDay(c), customers: y.length, churn_rate: y.reduce((s, v) => s + v, 0) / Math.max(1, y.length), auc_a: aucA, auc_b: aucB });
    for (let i = 0; i < y.length; i++) { Y.push(y[i]); PA.push(pa[i]); PB.push(pb[i]); }
    options.onProgress?.({ stage: "paired folds", done: f + 1, total: cuts.length });
  }
  const d = delongTest(Y, PB, PA);
  const aucA = rocAucScore(Y, PA), aucB = rocAucScore(Y, PB);
  const bBetter = aucB > aucA && winsB === cuts.length && d.pValue < alpha;
  return {
    folds: Table.fromRows(rows), aucA, aucB, delong: { diff: d.diff, z: d.z, pValue: d.pValue, ci: d.ci }, winsB, bBetter,
    rule: `the challenger is better when its pooled out-of-time AUC over ${cuts.length} fold${cuts.length === 1 ? "" : "s"} (${cuts.map(isoDay).join(", ")}; each model retrained on data before each cutoff, scored on the same customers) is higher, it wins every fold, and DeLong's paired test gives p < ${alpha}`,
  };
}

/** What {@link promoteChurnIfBetter} decided. */
export interface PromotionDecision {
  name: string;
  challenger: number;
  champion: number | null;
  promoted: boolean;
  reason: string;
  comparison?: PairedComparison;
}

/**
 * Promote a registered churn model version only when it beats the champion
 * on the same folds ({@link compareChurnSpecs}); with no champion it is
 * promoted directly. The decision is logged in the registry (`decisions.jsonl`).
 * @example
 * const d = await promoteChurnIfBetter("models", 3, tx, { folds: 2 });
 * d.promoted; d.reason;
 */
export async function promoteChurnIfBetter(root: string, version: number, tx: Table, options: PairedComparisonOptions & { name?: string } = {}): Promise<PromotionDecision> {
  const reg = new ModelRegistry(root);
  const name = registryModelName(reg, options.name);
  const champ = reg.champion(name);
  const stateOf = (art: ModelArtifact) => {
    const s = (art as ModelArtifact & { extra?: { churn?: ChurnArtifactState } }).extra?.churn;
    if (!s) throw new CustlabError("E_MODEL_TYPE", `model "${name}" v${art.version} was not saved by the churn workflow; a paired comparison needs its training specification`);
    return s;
  };
  const chArt = reg.artifact(name, version);
  let decision: PromotionDecision;
  if (champ === null) {
    reg.promote(name, version);
    decision = { name, challenger: version, champion: null, promoted: true, reason: "no champion yet: promoted without comparison" };
  } else if (champ === version) {
    decision = { name, challenger: version, champion: champ, promoted: false, reason: `version ${version} is already the champion` };
  } else {
    const cmp = await compareChurnSpecs(tx, churnSpecFromState(stateOf(reg.artifact(name, champ))), churnSpecFromState(stateOf(chArt)), options);
    const promoted = cmp.bBetter;
    if (promoted) reg.promote(name, version);
    decision = {
      name, challenger: version, champion: champ, promoted, comparison: cmp,
      reason: `${promoted ? "promoted" : "kept the champion"}: pooled AUC champion v${champ} ${cmp.aucA.toFixed(4)}, challenger v${version} ${cmp.aucB.toFixed(4)}, challenger wins ${cmp.winsB} of ${cmp.folds.numRows} folds, DeLong p = ${cmp.delong.pValue.toPrecision(3)} (${cmp.rule})`,
    };
  }
  reg.logDecision(name, { action: "promote", challenger: version, champion_before: champ, promoted: decision.promoted, reason: decision.reason, ...(decision.comparison ? { folds: decision.comparison.folds.toRows(), auc_champion: decision.comparison.aucA, auc_challenger: decision.comparison.aucB, p_value: decision.comparison.delong.pValue } : {}) });
  return decision;
}
