/**
 * custlab — e-commerce customer intelligence for TypeScript notebooks and scripts.
 * Capabilities live one per folder and flow one way:
 * io → clean → features → models | segment | rules | text | clv → eval → pipeline (the report) → cli,
 * over the base folders util, table, backend and plot. CONTRIBUTING.md has the import map that
 * test/import-edges.test.ts enforces (no edge outside it, no import cycle).
 * @packageDocumentation
 */
export * from "./util";
export * from "./table";
export * from "./backend";
export * from "./plot";
export * from "./io/schema";
export * from "./io/reasons";
export * from "./features";
export * from "./notebook";
export * from "./models";
export * from "./privacy";
export * from "./eval";
export * from "./clv";
export * from "./rules";
export * from "./recommend";
export * from "./io";
export * from "./clean";
export * from "./quality";
export * from "./interop";
export * from "./demo";
export * from "./explain";
export * from "./registry";
export * from "./alerts";
export * from "./churn";
export * from "./experiments";
export * from "./pipeline";
export * from "./segment";
export * from "./text";
export * from "./reviews";
export * from "./engine";
export * from "./uplift";
export * from "./policy";
export * from "./survival";
export * from "./value";
