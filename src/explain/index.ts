/**
 * Explanations: permutation importance, SHAP (the model's exact TreeSHAP when
 * it has one, Kernel SHAP for any model), plain-words reason codes and figures.
 */
export * from "./shap";
export * from "./importance";
export * from "./reasons";
export * from "./figures";
