/**
 * The churn workflow: training cutoffs with a leakage guard, stacked training sets, training and scoring at a cutoff (one home for the CLI, the report and the notebooks).
 * @module
 */
export {
  churnAtCutoff, fitChurnModel, churnTrainingCutoffs, churnTrainingSet, churnTransactions, churnFeatures,
  churnReasons, assertNoTrainingLeakage, resolveChurnOptions, lastTimestamp, CHURN_LABEL_COLUMNS,
  SEQUENCE_MODELS, extendedChurnFeatures,
} from "./workflow";
export type {
  ChurnWorkflowOptions, ResolvedChurnOptions, ChurnTrainingSet, ChurnScores, ChurnModel, ChurnMetrics, ChurnRun,
  ChurnTableSource,
} from "./workflow";
export { churnTablesFromEngine } from "./engine-tables";
export { churnArtifactState, loadChurnModel, parseModelSpec, registryModelName } from "./artifact";
export type { ChurnArtifactState, ChurnReference, LoadedChurnModel } from "./artifact";
export { scoreChurnCustomers, bandThresholds } from "./score";
export type { BandRule, ScoreChurnOptions, ChurnScoreResult } from "./score";
export { churnSpecFromState, registerChurnModel } from "./artifact";
export type { RegisterChurnOptions } from "./artifact";
export { compareChurnSpecs, promoteChurnIfBetter } from "./compare";
export type { PairedComparisonOptions, PairedComparison, PromotionDecision } from "./compare";
export { streamChurnScores } from "./stream";
export type { StreamChurnOptions, StreamAlert, StreamSummary, StreamScorer } from "./stream";
export { monitorChurnModel, monitorFigures, retrainChurnIfNeeded, churnReliabilityFigure } from "./monitor";
export type { MonitorThresholds, MonitorOptions, MonitorStep, MonitorResult, RetrainOptions } from "./monitor";
