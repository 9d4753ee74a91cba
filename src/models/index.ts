/**
 * Classifiers and regressors with the scikit-learn contract: logistic regression, trees, forests, gradient boosting, tfjs networks (MLP, LSTM/GRU, Transformer), ensembles, a model zoo and JSON serialisation.
 * @module
 */
export type { ClassWeight, ModelFitOptions, Classifier, Sequences } from "./types";
export { LogisticRegression } from "./logistic";
export type { LogisticRegressionOptions } from "./logistic";
export { maxFeaturesRule, CART_SPEC, DecisionTreeClassifier } from "./tree";
export type { ShapValues, DecisionTreeOptions } from "./tree";
export { RandomForestClassifier } from "./forest";
export type { RandomForestOptions } from "./forest";
export type { TreeArrays } from "./tree-core";
export { HistGradientBoostingClassifier } from "./gbdt";
export type { HistGradientBoostingOptions, HistBoostingTreeOptions } from "./gbdt";
export { HistGradientBoostingRegressor, RandomForestRegressor, LinearRegressor } from "./regressors";
export type {
  Regressor, RegressionLoss, HistGradientBoostingRegressorOptions, RandomForestRegressorOptions, LinearRegressorOptions,
} from "./regressors";
export { MLPClassifier, RecurrentClassifier, TransformerClassifier } from "./neural";
export type {
  NeuralTrainOptions, NeuralHistory, MLPClassifierOptions, RecurrentClassifierOptions,
  TransformerClassifierOptions,
} from "./neural";
export { cloneModel, VotingClassifier, StackingClassifier } from "./ensemble";
export type { VotingClassifierOptions, StackingClassifierOptions } from "./ensemble";
export { modelFromJSON } from "./serialize";
export { resampleClasses } from "./resample";
export type { ResampleMethod, ResampleOptions, Resampled } from "./resample";
export { isTfjsModel, createModel, MODEL_NAMES } from "./zoo";
export type { ModelName } from "./zoo";
export { chooseCalibrator, calibratorFromJSON, PlattCalibrator, IsotonicCalibrator } from "./calibration";
export type { Calibrator, CalibrationMethod, CalibrationChoice, PlattCalibratorOptions, IsotonicCalibratorOptions } from "./calibration";
export { trainingHistoryFigure } from "./figures";
export type { LossHistory } from "./figures";
export { averagePathLength, orderAnomalies, customerAnomalies, IsolationForest } from "./isolation";
export type { IsolationForestOptions, AnomalyOptions } from "./isolation";
