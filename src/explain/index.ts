/**
 * Explanations: permutation importance, SHAP (the model's exact TreeSHAP when
 * it has one, Kernel SHAP for any model), plain-words reason codes and figures.
 * @module
 */
export { kernelShap, explainModel } from "./shap";
export type { Predictor, ShapSpace, ShapExplanation, KernelShapOptions, TreeShapModel, ExplainOptions } from "./shap";
export { treeShap, treeShapEnsemble, treeEnsembleOf, defaultTreeShapThreads, closeTreeShapWorkers } from "./treeshap";
export type { TreeEnsemble, TreeShapOptions, TreeShapResult } from "./treeshap";
export { readXGBoostModel } from "./xgboost";
export type { XGBoostModel } from "./xgboost";
export { permutationImportance } from "./importance";
export type { PermutationImportanceOptions, PermutationImportance } from "./importance";
export { rawFeatureColumns, reasonCodes, DEFAULT_REASON_PHRASES } from "./reasons";
export type { ReasonPhrase, ReasonCodeOptions } from "./reasons";
export { shapBarFigure, shapBeeswarmFigure, shapWaterfallFigure, permutationImportanceFigure } from "./figures";
export type { ShapFigureOptions } from "./figures";
export { surrogateRules, limeExplain } from "./surrogate";
export type { SurrogateRule, SurrogateRulesOptions, SurrogateRulesResult, LimeOptions, LimeExplanation } from "./surrogate";
export { recursiveFeatureElimination, rfeFigure, l1Path, l1PathFigure } from "./selection";
export type { RfeOptions, RfeStep, RfeResult, L1Path } from "./selection";
