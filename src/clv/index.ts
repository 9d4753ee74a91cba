/**
 * Customer lifetime value: buy-till-you-die transaction models (BG/NBD,
 * Pareto/NBD), the Gamma-Gamma spend model, summaries from transactions,
 * CLV and per-customer value tables, checks and figures.
 */
/** Special functions (lgamma, digamma, lbeta, logSumExp, hyp2f1Log …), namespaced to keep generic names out of the package root. */
export * as clvSpecial from "./special";
/** Optimisers and numerical derivatives used by the fits (minimize, numericHessian …). */
export * as clvOptimize from "./optimize";
export type { ConvergenceReport as CLVConvergenceReport } from "./optimize";
export * from "./summary";
export type { CLVFitOptions } from "./mle";
export * from "./models";
export * from "./value";
export * from "./checks";
export * from "./figures";
export * from "./read";
