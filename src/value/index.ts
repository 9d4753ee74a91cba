/**
 * Value prediction: future spend over a horizon at a cutoff by regressors
 * (log-linear, gradient boosting with squared-error / Poisson / Tweedie loss,
 * random forest), compared with the BG/NBD × Gamma-Gamma CLV prediction on the
 * same customers (MAE, RMSE, R², Spearman, normalised Gini).
 * @module
 */
export { VALUE_MODELS, valueDataset, valueAtCutoff, createValueModel, clvExpectedSpend, valueCaptureFigure } from "./workflow";
export type { ValueModelName, ValueOptions, ValueDataset, ValueModelResult, ValueRun } from "./workflow";
export { customerClassesAtCutoff, customerClassesFromTables } from "./classes";
export type { CustomerClassOptions, CustomerClassRun, CustomerClassTables } from "./classes";
export { timeToNextOrderAtCutoff } from "./time-to-order";
export type { TimeToOrderOptions, TimeToOrderRun } from "./time-to-order";
