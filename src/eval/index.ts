/**
 * Evaluation: metrics (scikit-learn definitions), cross-validation, paired
 * model comparison (DeLong / bootstrap), hyperparameter search, thresholds,
 * isolation-forest anomaly scores, sentiment-model cross-validation and plotly
 * figures.
 * @module
 */
export {
  accuracyScore, confusionMatrix, precisionScore, recallScore, f1Score, rocAucScore, rocCurve,
  precisionRecallCurve, averagePrecisionScore, logLoss, brierScore, calibrationCurve, expectedCalibrationError,
  gainCurve, topKCapture, topKLift, binaryMetrics,
} from "./metrics";
export type {
  MetricAverage, PRFOptions, ConfusionMatrix, AucOptions, Curve, LogLossOptions, CalibrationCurve,
  CalibrationOptions, GainCurve, BinaryMetrics,
} from "./metrics";
export {
  classificationReport, argmaxRows, topKAccuracy, rocPerClass, confusionMatrixShares, multiclassConfusionFigure,
  rocPerClassFigure,
} from "./multiclass";
export type { ClassScores, ClassificationReport, ClassificationReportOptions, ClassRoc } from "./multiclass";
export { meanAbsoluteError, rootMeanSquaredError, r2Score, spearmanCorrelation, normalizedGini, regressionMetrics } from "./regression";
export type { RegressionMetrics } from "./regression";
export { ksTwoSample, wassersteinDistance, driftStats } from "./drift";
export type { DriftStats } from "./drift";
export { delongTest, bootstrapCI, bootstrapCompare } from "./stats";
export type { DeLongResult, BootstrapOptions, BootstrapCI, BootstrapCompareResult } from "./stats";
export { crossValidate, gridSearch, randomSearch, compareModels, stratifiedKFold, foldSplit } from "./cv";
export type {
  EvalEstimator, FoldTransformer, CrossValidateOptions, FoldMetrics, CVResult, SearchOptions, SearchResult,
  SearchDistribution, ComparisonResult,
} from "./cv";
export { thresholdMaxF1, thresholdByCost, thresholdByCapacity, thresholdByExpectedCost } from "./threshold";
export type { ThresholdChoice, CostMatrix } from "./threshold";
export {
  rocFigure, prFigure, calibrationFigure, liftFigure, confusionMatrixFigure, cvComparisonFigure,
  rateByQuantileFigure, featureAucTable,
} from "./figures";
export type { ScoredSeries } from "./figures";
export { mutualInfoClassif, featureScoreFigure } from "./feature-selection";
export type { MutualInfoOptions } from "./feature-selection";
export { compareSegmentStrategies } from "./segment-predict";
export type { SegmentStrategyOptions, SegmentStrategyResult } from "./segment-predict";
