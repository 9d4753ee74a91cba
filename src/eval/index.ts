/**
 * Evaluation: metrics (scikit-learn definitions), cross-validation, paired
 * model comparison (DeLong / bootstrap), hyperparameter search, thresholds,
 * isolation-forest anomaly scores, sentiment-model cross-validation and plotly
 * figures.
 */
export * from "./metrics";
export * from "./stats";
export * from "./cv";
export * from "./threshold";
export * from "./isolation";
export * from "./figures";
export * from "./sentiment-cv";
