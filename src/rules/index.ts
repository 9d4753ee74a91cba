/**
 * Association rules: baskets (CSR typed arrays), frequent itemsets (depth-first
 * projection miner with occurrence delivery), rules with every mlxtend metric
 * in arules or mlxtend mode, redundancy pruning, rule tables and figures.
 * @packageDocumentation
 */
export * from "./baskets";
export * from "./itemsets";
export * from "./rules";
export * from "./figures";
export * from "./read";
