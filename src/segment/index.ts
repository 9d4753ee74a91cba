/**
 * Customer segmentation: RFM scores and named segments, k-means with the
 * scikit-learn contract, k selection (elbow, silhouette, Davies–Bouldin,
 * Calinski–Harabasz), Ward hierarchical clustering, personas, autoencoder
 * embeddings, and dynamic re-segmentation over time with migration and drift.
 * @module
 */
export { KMeans, kmeansPlusPlus } from "./kmeans";
export type { KMeansOptions, KMeansJSON } from "./kmeans";
export { closeKMeansWorkers } from "./parallel";
export {
  silhouetteSamples, silhouetteScore, daviesBouldinScore, calinskiHarabaszScore, adjustedRandIndex,
  normalizedMutualInfo, SILHOUETTE_EXACT_MAX,
} from "./metrics";
export type { SilhouetteOptions } from "./metrics";
export { standardizeMatrix, unstandardizeMatrix, log1pMatrix, rfmMatrix } from "./scale";
export type { MatrixScaler, RFMMatrixOptions } from "./scale";
export {
  quantileScores, rfmSegmentRules, fmScore, rfmSegmentName, rfmScores, rfmSegmentSummary, RFM_SEGMENT_RULES,
} from "./rfm-score";
export type { RankTieMethod, QuantileScoreOptions, RFMSegmentRule, RFMScoreOptions } from "./rfm-score";
export { wardLinkage, cutTree, dendrogramFigure, WARD_MAX_N } from "./ward";
export type { Linkage, WardOptions, DendrogramOptions } from "./ward";
export { kSelection, elbowPoint, kSelectionFigure } from "./choose-k";
export type { KSelectionOptions, KSelectionResult } from "./choose-k";
export { scoreOfValue, segmentPersonas } from "./personas";
export type { PersonaOptions, Persona } from "./personas";
export { hungarian } from "./hungarian";
export { segmentFeatureColumns, segmentFeatures, segmentCustomers } from "./segment";
export type {
  SegmentFeatureSet, SegmentFeaturesOptions, SegmentFeatures, SegmentCustomersOptions, SegmentCustomersResult,
} from "./segment";
export {
  populationStabilityIndex, psiFromCounts, calendarPeriodEnds, trackSegments, migrationTable,
  segmentHistoryTable, segmentSankeyFigure, driftFigure, topMigrations, PSI_DRIFT_THRESHOLD,
} from "./dynamic";
export type {
  PSIOptions, SegmentTrackerOptions, SegmentPeriod, DriftFlag, SegmentTrack, SankeyOptions, MigrationFlow,
} from "./dynamic";
export { autoencoderSegments, compareSegmentations, CustomerAutoencoder } from "./autoencoder";
export type {
  AutoencoderOptions, AutoencoderJSON, AutoencoderSegmentsOptions, CompareSegmentationsOptions,
} from "./autoencoder";
