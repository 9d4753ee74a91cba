export * from "./types";
export * from "./logistic";
export * from "./tree";
export * from "./forest";
export type { TreeArrays } from "./tree-core";
export * from "./gbdt";
export * from "./neural";
