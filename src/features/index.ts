/**
 * Customer features at a cutoff without leakage, churn labels, rolling cutoffs, monthly sequences and preprocessing.
 * @module
 */
export { customerRFM } from "./rfm";
export type { CustomerRFMOptions } from "./rfm";
export { customerFeatures, customerFeatureNames } from "./customer";
export type { CustomerFeaturesOptions } from "./customer";
export { churnLabels, churnLabelTable, rollingCutoffs, monthlySequences, CUSTOMER_CLASSES } from "./labels";
export type {
  ChurnLabelOptions, CustomerClass, RollingCutoffsOptions, MonthlySequenceOptions, MonthlySequences,
} from "./labels";
export {
  SimpleImputer, StandardScaler, MinMaxScaler, OneHotEncoder, FrequencyEncoder, Preprocessor, autoType, hstack,
} from "./preprocess";
export type {
  ImputeStrategy, SimpleImputerOptions, OneHotEncoderOptions, ColumnRole, ColumnTypeInfo, AutoTypeOptions,
  PreprocessorOptions, StandardScalerOptions, MinMaxScalerOptions, FrequencyEncoderOptions,
} from "./preprocess";
export { LogAugmentedPreprocessor } from "./log-features";
export type { LogAugmentedPreprocessorOptions } from "./log-features";
export { CustomerFeatureStream, transactionEvents } from "./stream";
export type { TransactionEvent, CustomerFeatureStreamOptions } from "./stream";
export { featureHistogramFigure, sequenceProfileFigure } from "./figures";
export type { FeatureHistogramOptions } from "./figures";
