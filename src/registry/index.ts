/**
 * Model registry: versioned, atomically saved artifacts with champion promotion and roll back.
 * @module
 */
export { ModelRegistry, dataFingerprint, checkFeatureSchema } from "./registry";
export type { ModelArtifact, VersionInfo, SaveOptions, LoadOptions, LoadedModel, SerializableModel } from "./registry";
