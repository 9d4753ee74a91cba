export * from "./kmeans";
export * from "./metrics";
export * from "./scale";
export * from "./rfm-score";
