/**
 * Shared utilities: seeded random numbers, `CustlabError`, progress callbacks, row-major `Matrix` helpers, optimisers,
 * the estimator contract, did-you-mean suggestions and atomic output writing.
 * @module
 */
export { createRng } from "./random";
export type { Rng } from "./random";
export { optionError, CustlabError } from "./errors";
export { throttleProgress, consoleProgress, silentProgress } from "./progress";
export type { ProgressEvent, ProgressCallback } from "./progress";
export { zeros, fromArrays, rowView, takeRows, column } from "./matrix";
export type { Matrix } from "./matrix";
export { minimizeLbfgs, minimizeFista, numericGradient, numericObjective } from "./optim";
export { normalCdf } from "./numeric";
export type { LbfgsObjective, LbfgsSplitObjective, LbfgsStopReason, LbfgsOptions, LbfgsResult, FistaOptions, FistaResult } from "./optim";
export { suggest, didYouMean } from "./suggest";
export {
  resolveOptions, specDefaults, notFitted, estimatorJSON, readEstimatorJSON, registerEstimator, estimatorTypes,
  estimatorClass, estimatorFromJSON, probaColumn, positiveProba, pickOptions,
} from "./estimator";
export type {
  OptionRule, OptionSpec, Resolved, FitOptions, EstimatorJSON, Estimator, AsyncEstimator, EstimatorClass,
  ProbaModel,
} from "./estimator";
export {
  writeFileAtomic, checkOutputs, checkOutputFolder, pidAlive, writeOutputFolder, readOutputFolder,
  AtomicFileWriter, outputFaults,
} from "./output";
export type { OutputPlan, ManifestEntry, OutputManifest, OutputFolderOptions } from "./output";
