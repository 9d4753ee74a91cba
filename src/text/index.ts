/**
 * Text: review sentiment and topics in English and Chinese — cleaning,
 * tokenisation, TF-IDF (CSR), sparse logistic regression, lexicon scorers,
 * a tfjs text model, LDA (collapsed Gibbs), coherence (c_v, u_mass, NPMI),
 * and aggregates tied back to products, categories, segments and months.
 * @module
 */
export {
  csrFromTriplets, csrToDense, csrTakeRows, csrNnz, csrMatVec, csrTransposeMatVecAdd, csrTranspose, csrHstack, csrVstack,
  csrNormalizeRows,
} from "./csr";
export type { CsrMatrix } from "./csr";
export { stripBom, cleanText, hasHan, detectLanguage } from "./clean";
export type { CleanTextOptions } from "./clean";
export { porterStem } from "./porter";
export {
  tokenizeEnglish, segmentChinese, tokenizeChinese, wordNgrams, charNgrams, EN_NEGATIONS, ZH_NEGATIONS,
} from "./tokenize";
export type { EnglishTokenizeOptions, ChineseTokenizeOptions } from "./tokenize";
export { EN_STOPWORDS, EN_STOPWORDS_TOPICS, EN_STOPWORDS_SKLEARN } from "./stopwords/en";
export { ZH_STOPWORDS, ZH_STOPWORDS_TOPICS } from "./stopwords/zh";
export { TfidfVectorizer, registerTextAnalyzer, textAnalyzerNames } from "./tfidf";
export type { TermCounts } from "./tfidf";
export type { TfidfAnalyzer, TfidfOptions, NamedTextAnalyzer } from "./tfidf";
export { SparseLogisticRegression } from "./logistic";
export type { SparseLogisticRegressionOptions } from "./logistic";
export { EN_LEXICON, EN_BOOSTERS, EN_NEGATE } from "./lexicon-en";
export { ZH_LEXICON, ZH_NEGATORS, ZH_DEGREE, ZH_BUT } from "./lexicon-zh";
export { scoreSentimentEn, scoreSentimentZh, scoreSentiment, LexiconSentiment } from "./lexicon";
export type { LexiconScore, LexiconOptions, LexiconSentimentOptions } from "./lexicon";
export { sentimentLabelsFromRatings, parseLabelSpec, applyLabelSpec, SENTIMENT_CLASSES } from "./labels";
export type { RatingLabelOptions, LabelSpec } from "./labels";
export { TfidfSentimentClassifier } from "./classifier";
export type { TfidfFeatureSet, TfidfSentimentOptions, TextEstimator } from "./classifier";
export { TextNNClassifier } from "./nn";
export type { TextNNOptions } from "./nn";
export { topIndices, ldaPackageTopics, LdaGibbs } from "./lda";
export type { TopicCorpus, LdaOptions, LdaPackageTopic } from "./lda";
export { coherenceCV, coherenceUMass, coherenceNPMI } from "./coherence";
export type { CoherenceResult } from "./coherence";
export {
  prepareTopicCorpus, fitTopics, topicLabels, chooseTopicCount, coherenceFigure, topicSentiment,
  topicSentimentFigure,
} from "./topics";
export type {
  TopicCorpusOptions, PreparedTopicCorpus, FitTopicsOptions, TopicModelResult, TopicCountScore,
  TopicSentimentOptions, TopicSentimentRow,
} from "./topics";
export {
  wilsonRateInterval, sentimentByGroup, monthKeys, sentimentByMonth, mostNegativeProducts, negativeShareFigure,
  sentimentTrendFigure,
} from "./aggregate";
export type { SentimentGroupOptions, NegativeProductOptions, NegativeProduct } from "./aggregate";
export { scoreReviews } from "./reviews";
export type { ScoreReviewsOptions } from "./reviews";
