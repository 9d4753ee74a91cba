/**
 * Text: review sentiment and topics in English and Chinese — cleaning,
 * tokenisation, TF-IDF (CSR), sparse logistic regression, lexicon scorers,
 * a tfjs text model, LDA (collapsed Gibbs), coherence (c_v, u_mass, NPMI),
 * and aggregates tied back to products, categories, segments and months.
 * @module
 */
export * from "./csr";
export * from "./clean";
export * from "./porter";
export * from "./tokenize";
export { EN_STOPWORDS, EN_STOPWORDS_TOPICS } from "./stopwords/en";
export { ZH_STOPWORDS, ZH_STOPWORDS_TOPICS } from "./stopwords/zh";
export * from "./tfidf";
export { minimizeLbfgs, type LbfgsObjective, type LbfgsOptions, type LbfgsResult } from "../util/optim"; // moved to util (shared with models)
export * from "./logistic";
export { EN_LEXICON, EN_BOOSTERS, EN_NEGATE } from "./lexicon-en";
export { ZH_LEXICON, ZH_NEGATORS, ZH_DEGREE, ZH_BUT } from "./lexicon-zh";
export * from "./lexicon";
export * from "./labels";
export * from "./classifier";
export * from "./nn";
export * from "./lda";
export * from "./coherence";
export * from "./topics";
export * from "./aggregate";
export * from "./reviews";
