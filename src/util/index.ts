export * from "./random";
export * from "./errors";
export * from "./progress";
export * from "./matrix";
export * from "./optim";
export * from "./suggest";
export * from "./estimator";
export * from "./output";
