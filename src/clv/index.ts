/**
 * Customer lifetime value: buy-till-you-die transaction models (BG/NBD,
 * Pareto/NBD), the Gamma-Gamma spend model, summaries from transactions,
 * CLV and per-customer value tables, checks and figures.
 */
export * from "./special";
export * from "./optimize";
export * from "./summary";
export * from "./mle";
export * from "./models";
