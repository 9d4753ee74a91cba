export * from "./types";
export * from "./logistic";
