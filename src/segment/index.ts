export * from "./kmeans";
export * from "./metrics";
export * from "./scale";
