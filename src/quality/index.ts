/**
 * Data-quality report: completeness, validity, consistency and timeliness
 * per column and per table, as a typed object, plotly figures and HTML.
 * @module
 */
export { qualityReport, qualityFigures, qualityHTML } from "./report";
export type { QualityReport, QualityOptions, ColumnQuality, ConsistencyCheck, Timeliness } from "./report";
