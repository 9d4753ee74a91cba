/**
 * Customer segmentation: RFM scores and named segments, k-means with the
 * scikit-learn contract, k selection (elbow, silhouette, Davies–Bouldin,
 * Calinski–Harabasz), Ward hierarchical clustering, personas, autoencoder
 * embeddings, and dynamic re-segmentation over time with migration and drift.
 * @module
 */
export { KMeans, kmeansPlusPlus, meanVariance, resolveAlgorithm } from "./kmeans";
export type { KMeansOptions, KMeansJSON } from "./kmeans";
export { KMEANS_PARALLEL_MIN_ROWS, defaultKMeansThreads, closeKMeansWorkers } from "./parallel";
export * from "./metrics";
export * from "./scale";
export * from "./rfm-score";
export * from "./ward";
export * from "./choose-k";
export * from "./personas";
export * from "./hungarian";
export * from "./segment";
export * from "./dynamic";
export * from "./autoencoder";
export * from "./matrix-csv";
