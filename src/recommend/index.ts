/**
 * Recommendations: cross-sell from association rules (with the rule that
 * fired), item-based collaborative filtering on implicit purchase counts, a
 * popularity baseline, and leave-last-basket-out evaluation (hit-rate@k,
 * NDCG@k) of any of them side by side.
 * @packageDocumentation
 */
export * from "./types";
export * from "./recommenders";
export * from "./evaluate";
