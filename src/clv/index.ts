/**
 * Customer lifetime value: buy-till-you-die transaction models (BG/NBD,
 * Pareto/NBD), the Gamma-Gamma spend model, summaries from transactions,
 * CLV and per-customer value tables, checks and figures.
 * @module
 */
/** Special functions (lgamma, digamma, lbeta, logSumExp, hyp2f1Log …), namespaced to keep generic names out of the package root. */
export * as clvSpecial from "./special";
/** Optimisers and numerical derivatives used by the fits (minimize, numericHessian …). */
export * as clvOptimize from "./optimize";
export type { ConvergenceReport as CLVConvergenceReport } from "./optimize";
export {
  clvUnitDays, clvEpochMs, summaryFromTransactions, calibrationAndHoldout, clvSummaryTable, summaryFromArrays,
  CLV_DAY_MS,
} from "./summary";
export type { CLVTimeUnit, CLVSummary, CLVDateLike, CLVSummaryOptions, CalibrationHoldoutOptions } from "./summary";
export type { CLVFitOptions } from "./mle";
export { clvFitRecord, BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel, GammaGammaModel } from "./models";
export type {
  CustomerHistory, TransactionModel, CLVModelOptions, CLVModelState, CLVFitSummary, BetaGeoParams, ParetoNBDParams,
  GammaGammaParams, SpendHistory,
} from "./models";
export {
  periodsPerMonth, customerLifetimeValue, medianTimeToNextPurchase, clvTable, clvTableAt, clvLifecycleSegments,
} from "./value";
export type { CLVOptions, CLVTableOptions } from "./value";
export { frequencyMonetaryCorrelation, calibrationHoldoutComparison, cumulativeTransactions } from "./checks";
export type {
  FrequencyMonetaryCheck, CalibrationHoldoutComparison, CumulativeTransactionsOptions, CumulativeTransactions,
} from "./checks";
export {
  frequencyRecencyFigure, probabilityAliveFigure, calibrationHoldoutFigure, cumulativeTransactionsFigure,
  clvBySegmentFigure,
} from "./figures";
export type { FrequencyRecencyOptions } from "./figures";
export { clvSummaryFromEngine } from "./engine";
export type { EngineCLVSummaryOptions } from "./engine";
