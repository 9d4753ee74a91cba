/**
 * Recommendations: cross-sell from association rules (with the rule that
 * fired), item-based collaborative filtering on implicit purchase counts, a
 * popularity baseline, and leave-last-basket-out evaluation (hit-rate@k,
 * NDCG@k) of any of them side by side.
 * @packageDocumentation
 */
export { topKItems } from "./types";
export type { ItemHistory, RankedItems, ItemRecommender } from "./types";
export { PopularityRecommender, RuleRecommender, ItemCFRecommender } from "./recommenders";
export type { PopularityOptions, RuleRecommenderOptions, CrossSellItem, ItemCFOptions } from "./recommenders";
export { leaveLastBasketOut, evaluateRecommenders, customerHistory } from "./evaluate";
export type {
  HeldOutCustomer, LeaveLastOutOptions, LeaveLastOutSplit, EvaluateRecommendersOptions, RecommenderEvaluation,
} from "./evaluate";
