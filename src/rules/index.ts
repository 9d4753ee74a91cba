/**
 * Association rules: baskets (CSR typed arrays), frequent itemsets (depth-first
 * projection miner with occurrence delivery), rules with every mlxtend metric
 * in arules or mlxtend mode, redundancy pruning, rule tables and figures.
 * @packageDocumentation
 */
export {
  numBaskets, basketItems, basketItemNames, basketStats, basketsFromLists, parseBaskets, loadBasketFile,
  basketsFromTransactions, basketsFromOneHot, basketsToOneHot, subsetBaskets, basketItemId, labelBasketItems,
} from "./baskets";
export type { Baskets, BasketParseOptions, TransactionBasketOptions, OneHotBasketOptions } from "./baskets";
export { frequentItemsets, numItemsets, findItemset, findByRanks, itemsetCount } from "./itemsets";
export type { FrequentItemsets, FrequentItemsetOptions } from "./itemsets";
export {
  generateRules, numRules, ruleAntecedent, ruleConsequent, formatItemset, ruleMetric, takeRules, sortRules,
  ruleText, filterRules, pruneRedundantRules, rulesTable, ruleRecord, rulesToCSV, rulesToJSON, mineRules,
  RULE_METRICS,
} from "./rules";
export type {
  RuleMode, RuleMetric, RuleSet, RuleOptions, RuleRecord, MineRulesOptions, MineRulesResult,
} from "./rules";
export { rulesScatterFigure, rulesNetworkFigure } from "./figures";
export type { RulesScatterOptions, RulesNetworkOptions } from "./figures";
export { readBaskets, readLongBaskets } from "./read";
export type { BasketRead, LongBasketOptions } from "./read";
