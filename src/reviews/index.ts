/**
 * The review-sentiment workflow: labels from star ratings, the review document, one stratified
 * hold-out split, TF-IDF + logistic regression measured against the lexicon, products ranked by
 * Wilson intervals, and cross-validation of sentiment models. One home for the CLI, the report and
 * the notebooks.
 * @module
 */
export { reviewSentimentLabels, reviewDocument, sentimentHoldoutSplit, reviewSentiment, rankNegativeProducts } from "./workflow";
export type { ReviewSentimentOptions, ReviewSentimentResult, NegativeProductRank } from "./workflow";
export { crossValidateSentiment } from "./cv";
export type { SentimentModelName, SentimentCVOptions, SentimentCVResult } from "./cv";
