/**
 * The estimator contract every custlab class that learns from data follows
 * (modelled on scikit-learn's `BaseEstimator` and tfjs-layers' typed args):
 *
 * - **Options:** `new Est(options)` takes one options object. Each class has one
 *   table of defaults and constraints (`static readonly spec`, readable as
 *   `Est.defaults`); {@link resolveOptions} fills the defaults in at construction,
 *   checks every value against its declared range / integer / enum constraint,
 *   and rejects unknown keys with a suggestion (`learning_rate` → "did you mean
 *   learningRate?"). The resolved options are frozen: `fit` never changes them.
 * - **`fit`** returns `this` ({@link Estimator}) or `Promise<this>` for tfjs models
 *   ({@link AsyncEstimator}). Progress callbacks are fit-time arguments
 *   (`fit(X, y, { onProgress })`), never constructor options.
 * - **Learned state** lives in fields ending in `_`; using an estimator before
 *   `fit` throws `CustlabError("E_NOT_FITTED")` naming the class ({@link notFitted}).
 * - **Serialisation:** `toJSON()` returns {@link EstimatorJSON}
 *   `{ type, version, options, state }`; `Est.fromJSON` checks the type tag and
 *   version ({@link readEstimatorJSON}); one tag → class registry
 *   ({@link registerEstimator}, {@link estimatorFromJSON}) serves `modelFromJSON`
 *   and the model registry.
 * - **Probabilities:** `predictProba` returns an n × k row-major matrix (one
 *   column per class in `classes_` order); {@link positiveProba} takes the
 *   positive-class column.
 */
import { CustlabError } from "./errors";
import type { ProgressCallback } from "./progress";
import { didYouMean } from "./suggest";

/** The constraint declared for one option. */
export interface OptionRule<T = unknown> {
  /** Default value (resolved at construction). `undefined` means "unset / automatic". */
  default: T;
  /** Value kind(s) accepted besides the `oneOf` values. Default: the kind of `default` (any kind when `default` is undefined). */
  type?: "number" | "string" | "boolean" | "object" | "array" | "function" | "any";
  /** Numbers must be integers. */
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Exclusive upper bound. */
  lt?: number;
  /** Allowed values (an enum); with `type` set, these are allowed in addition to that kind. */
  oneOf?: readonly (string | number | boolean | null)[];
  /** Extra check: returns an error text for a bad value, or undefined. */
  check?: (value: T) => string | undefined;
}

/** One rule per option of `O` (every option must be declared). */
export type OptionSpec<O> = { [K in keyof O]-?: OptionRule<O[K]> };

/** Options after {@link resolveOptions}: every key present (value maybe undefined for "automatic"). */
export type Resolved<O> = Readonly<{ [K in keyof O]-?: O[K] }>;

const kindOf = (v: unknown): string => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? `[${v.join(", ")}]` : String(v));

function checkRule(cls: string, key: string, v: unknown, r: OptionRule): void {
  const fail = (msg: string): never => { throw new CustlabError("E_OPTION", `${cls}: option ${key}: ${msg}`); };
  if (r.oneOf && r.oneOf.includes(v as string | null)) return;
  const type = r.type ?? (r.default === undefined ? "any" : kindOf(r.default));
  if (r.oneOf && !r.type) fail(`${show(v)} is not one of ${r.oneOf.map(show).join(", ")}`);
  if (type !== "any" && kindOf(v) !== type) {
    fail(`expected ${r.oneOf ? `one of ${r.oneOf.map(show).join(", ")} or a ${type}` : `a ${type}`}, got ${show(v)}`);
  }
  if (typeof v === "number") {
    if (Number.isNaN(v)) fail("is NaN");
    if (r.integer && !Number.isInteger(v) && Number.isFinite(v)) fail(`must be an integer, got ${v}`);
    if (r.integer && !Number.isFinite(v) && !(r.max === undefined && v === Infinity)) fail(`must be an integer, got ${v}`);
    if (r.min !== undefined && !(v >= r.min)) fail(`must be ≥ ${r.min}, got ${v}`);
    if (r.max !== undefined && !(v <= r.max)) fail(`must be ≤ ${r.max}, got ${v}`);
    if (r.gt !== undefined && !(v > r.gt)) fail(`must be > ${r.gt}, got ${v}`);
    if (r.lt !== undefined && !(v < r.lt)) fail(`must be < ${r.lt}, got ${v}`);
  }
  const msg = r.check?.(v);
  if (msg) fail(msg);
}

/**
 * Resolve an options object against a spec: reject unknown keys (with a
 * did-you-mean), fill defaults for missing / `undefined` keys (and `null` where
 * the default is `±Infinity`, which JSON writes as `null`), check every value,
 * and return a frozen copy.
 *
 * @example
 * ```ts
 * import { resolveOptions, type OptionSpec } from "custlab";
 * interface O { k?: number; init?: "random" | "k-means++" }
 * const spec: OptionSpec<O> = { k: { default: 8, integer: true, min: 1 }, init: { default: "k-means++", oneOf: ["random", "k-means++"] } };
 * resolveOptions("Demo", spec, { k: 3 });   // { k: 3, init: "k-means++" }
 * // resolveOptions("Demo", spec, { K: 3 }) throws E_OPTION: Demo: unknown option "K" (did you mean k?)
 * ```
 */
export function resolveOptions<O extends object>(cls: string, spec: OptionSpec<O>, given: O | undefined | null): Resolved<O> {
  if (given !== undefined && given !== null && (typeof given !== "object" || Array.isArray(given)))
    throw new CustlabError("E_OPTION", `${cls}: options must be an object, got ${kindOf(given)}`);
  const out: Record<string, unknown> = {};
  const keys = Object.keys(spec);
  for (const key of Object.keys(given ?? {})) {
    if (!(key in spec)) throw new CustlabError("E_OPTION", `${cls}: unknown option "${key}"${didYouMean(key, keys)}`);
  }
  for (const key of keys) {
    const r = (spec as Record<string, OptionRule>)[key];
    const raw = (given as Record<string, unknown> | undefined | null)?.[key];
    const v = raw === undefined || (raw === null && typeof r.default === "number" && !Number.isFinite(r.default)) ? r.default : raw;
    if (v !== undefined) checkRule(cls, key, v, r);
    out[key] = v;
  }
  return Object.freeze(out) as Resolved<O>;
}

/**
 * The entries of `options` that a spec declares (for workflow functions whose
 * options extend an estimator's with their own keys).
 * @example
 * ```ts
 * import { pickOptions, IsolationForest } from "custlab";
 * pickOptions(IsolationForest.spec, { seed: 1, cutoff: 0 }); // { seed: 1 }
 * ```
 */
export function pickOptions<O>(spec: OptionSpec<O>, options: object): O {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (k in (spec as object)) out[k] = v;
  return out as O;
}

/**
 * The defaults of a spec as a plain frozen object (`Est.defaults`).
 * @example
 * ```ts
 * import { specDefaults } from "custlab";
 * specDefaults({ k: { default: 8 } }); // { k: 8 }
 * ```
 */
export function specDefaults<O>(spec: OptionSpec<O>): Resolved<O> {
  const out: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(spec)) out[k] = (r as OptionRule).default;
  return Object.freeze(out) as Resolved<O>;
}

/**
 * Throw the one "used before fit" error, naming the class.
 * @example
 * ```ts
 * import { notFitted } from "custlab";
 * class Est { coef_?: Float64Array; predict() { if (!this.coef_) notFitted("Est"); } }
 * // new Est().predict() throws E_NOT_FITTED "Est is not fitted yet: call fit() first"
 * ```
 */
export function notFitted(cls: string, hint = "call fit() first"): never {
  throw new CustlabError("E_NOT_FITTED", `${cls} is not fitted yet: ${hint}`);
}

/** Arguments every `fit` accepts besides the data. */
export interface FitOptions {
  /** Progress callback (one event per epoch / iteration / tree / stage). */
  onProgress?: ProgressCallback;
}

/** Serialised estimator: what `toJSON()` returns and `fromJSON` reads. */
export interface EstimatorJSON<O = Record<string, unknown>, S = Record<string, unknown>> {
  /** Class tag, e.g. "LogisticRegression" (a constant string, never `constructor.name`). */
  type: string;
  /** Format version of this class's JSON. */
  version: number;
  /** Resolved constructor options (functions dropped). */
  options: O;
  /** Learned state, or null before fit. */
  state: S | null;
}

/**
 * A synchronous estimator: `fit` returns the estimator itself.
 * `X` is the training input, `Y` the targets (`void` for unsupervised ones).
 */
export interface Estimator<X = unknown, Y = unknown> {
  /** The resolved, frozen constructor options. */
  readonly options: object;
  fit(X: X, y?: Y, fitOptions?: FitOptions): this;
  toJSON(): EstimatorJSON<object, object>;
}

/** An asynchronous estimator (tfjs models): `fit` resolves to the estimator itself. */
export interface AsyncEstimator<X = unknown, Y = unknown> {
  /** The resolved, frozen constructor options. */
  readonly options: object;
  fit(X: X, y?: Y, fitOptions?: FitOptions): Promise<this>;
  toJSON(): EstimatorJSON<object, object>;
}

/** JSON-safe copy of options: functions dropped, typed arrays as arrays. @internal */
function plainOptions(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === "function" || v === undefined) continue;
    out[k] = ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
  }
  return out;
}

/**
 * Build the `{ type, version, options, state }` envelope of `toJSON()`.
 * @example
 * ```ts
 * import { estimatorJSON } from "custlab";
 * estimatorJSON("Demo", 1, { k: 3 }, { centres: [1, 2, 3] });
 * // { type: "Demo", version: 1, options: { k: 3 }, state: { centres: [1, 2, 3] } }
 * ```
 */
export function estimatorJSON<S extends object>(type: string, version: number, options: object, state: S | null | undefined): EstimatorJSON<Record<string, unknown>, S> {
  return { type, version, options: plainOptions(options), state: state ?? null };
}

/**
 * Check the tag and version of serialised estimator JSON and return its
 * options and state. JSON with another `type` is refused (`E_MODEL_TYPE`), as is
 * a newer `version` than this build reads (`E_VERSION`). JSON written before
 * the envelope existed (no `version`, state fields beside `options`) is read
 * as version 0 when `legacy` is true.
 *
 * @example
 * ```ts
 * import { readEstimatorJSON } from "custlab";
 * const { options, state } = readEstimatorJSON({ type: "Demo", version: 1, options: {}, state: null }, "Demo", 1);
 * // readEstimatorJSON({ type: "Other", version: 1, options: {}, state: null }, "Demo", 1) throws E_MODEL_TYPE
 * ```
 */
export function readEstimatorJSON(o: unknown, type: string, version: number, legacy = false): { options: any; state: any; version: number } {
  const j = o as Partial<EstimatorJSON> & Record<string, unknown>;
  if (!j || typeof j !== "object") throw new CustlabError("E_FORMAT", `${type}.fromJSON: expected an object, got ${kindOf(o)}`);
  if (j.type !== type) throw new CustlabError("E_MODEL_TYPE", `${type}.fromJSON: this JSON is a ${JSON.stringify(j.type ?? (j as any).model ?? "untyped object")}, not a ${type}`);
  if (j.version === undefined && legacy) {
    const { type: _t, options, ...state } = j;
    return { options: options ?? {}, state: Object.keys(state).length ? state : null, version: 0 };
  }
  if (typeof j.version !== "number" || !Number.isInteger(j.version) || j.version < 1)
    throw new CustlabError("E_FORMAT", `${type}.fromJSON: missing or bad version (${show(j.version)})`);
  if (j.version > version) throw new CustlabError("E_VERSION", `${type}.fromJSON: JSON version ${j.version} is newer than this custlab reads (${version}); upgrade custlab`);
  return { options: j.options ?? {}, state: j.state ?? null, version: j.version };
}

/** A class entry of the estimator registry. */
export interface EstimatorClass {
  /** Rebuild an instance from its `toJSON()` output. */
  fromJSON(json: unknown): unknown;
}

const REGISTRY = new Map<string, EstimatorClass>();

/**
 * Register a class under its JSON tag (each estimator module does this once).
 * @example
 * ```ts
 * import { registerEstimator } from "custlab";
 * class Demo { static fromJSON(_j: unknown) { return new Demo(); } }
 * registerEstimator("Demo", Demo);
 * ```
 */
export function registerEstimator(type: string, cls: EstimatorClass): void {
  const prev = REGISTRY.get(type);
  if (prev && prev !== cls) throw new CustlabError("E_INTERNAL", `estimator tag "${type}" is registered twice`);
  REGISTRY.set(type, cls);
}

/**
 * The tags of every registered estimator class, sorted.
 * @example
 * ```ts
 * import { estimatorTypes } from "custlab";
 * estimatorTypes().includes("KMeans"); // true
 * ```
 */
export function estimatorTypes(): string[] {
  return [...REGISTRY.keys()].sort();
}

/**
 * The class registered for a tag, or undefined.
 * @example
 * ```ts
 * import { estimatorClass } from "custlab";
 * estimatorClass("LogisticRegression")?.fromJSON;
 * ```
 */
export function estimatorClass(type: string): EstimatorClass | undefined {
  return REGISTRY.get(type);
}

/**
 * Rebuild any registered estimator from its `toJSON()` output, dispatching on
 * the `type` tag. Unknown tags fail with `E_MODEL_TYPE` and a suggestion.
 * @example
 * ```ts
 * import { estimatorFromJSON, KMeans } from "custlab";
 * const km = new KMeans({ k: 2 });
 * const back = estimatorFromJSON(JSON.parse(JSON.stringify(km.toJSON())));
 * ```
 */
export function estimatorFromJSON(json: unknown): unknown {
  const type = (json as { type?: unknown } | null)?.type;
  const cls = typeof type === "string" ? REGISTRY.get(type) : undefined;
  if (!cls) throw new CustlabError("E_MODEL_TYPE", `unknown estimator type ${JSON.stringify(type ?? null)} in JSON${typeof type === "string" ? didYouMean(type, REGISTRY.keys()) : ""}`);
  return cls.fromJSON(json);
}

/** Number of rows of an estimator input: a Matrix, Sequences, or an array of items. @internal */
function rowsOf(X: unknown): number {
  const x = X as { rows?: number; shape?: number[]; length?: number };
  if (typeof x?.rows === "number") return x.rows;
  if (Array.isArray(x?.shape)) return x.shape[0];
  if (typeof x?.length === "number") return x.length;
  throw new CustlabError("E_SHAPE", "positiveProba: cannot tell the number of rows of the input");
}

/**
 * Column `col` of an n × k row-major probability matrix.
 * @example
 * ```ts
 * import { probaColumn } from "custlab";
 * probaColumn(Float64Array.from([0.9, 0.1, 0.3, 0.7]), 2, 1); // Float64Array [0.1, 0.7]
 * ```
 */
export function probaColumn(P: Float64Array, k: number, col: number): Float64Array {
  if (!(k >= 1) || P.length % k !== 0) throw new CustlabError("E_SHAPE", `probabilities have ${P.length} values, not a multiple of ${k} classes`);
  if (!(col >= 0 && col < k)) throw new CustlabError("E_SHAPE", `class column ${col} is out of range (k = ${k})`);
  const n = P.length / k, out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = P[i * k + col];
  return out;
}

/** Anything with an n × k `predictProba` (sync or async) and, after fit, `classes_`. */
export interface ProbaModel<X> {
  classes_?: ArrayLike<number>;
  predictProba(X: X): Float64Array | Promise<Float64Array>;
}

/**
 * P(positive class) per row: the `predictProba` column of class label
 * `positive` (default: the largest label, i.e. 1 for 0/1 labels). For a binary
 * model that is the second column. Returns a Promise when the model's
 * `predictProba` does (tfjs models).
 *
 * @example
 * ```ts
 * import { LogisticRegression, positiveProba, fromArrays } from "custlab";
 * const X = fromArrays([[0], [1], [2], [3]]);
 * const lr = new LogisticRegression().fit(X, [0, 0, 1, 1]);
 * positiveProba(lr, X); // Float64Array of P(y = 1), length 4
 * ```
 */
export function positiveProba<X>(model: { classes_?: ArrayLike<number>; predictProba(X: X): Float64Array }, X: X, positive?: number): Float64Array;
export function positiveProba<X>(model: { classes_?: ArrayLike<number>; predictProba(X: X): Promise<Float64Array> }, X: X, positive?: number): Promise<Float64Array>;
export function positiveProba<X>(model: ProbaModel<X>, X: X, positive?: number): Float64Array | Promise<Float64Array>;
export function positiveProba<X>(model: ProbaModel<X>, X: X, positive?: number): Float64Array | Promise<Float64Array> {
  const n = rowsOf(X);
  const pick = (P: Float64Array): Float64Array => {
    const classes = model.classes_;
    const k = classes ? classes.length : n > 0 ? P.length / n : 2;
    let col = k - 1;
    if (positive !== undefined) {
      col = classes ? Array.prototype.indexOf.call(classes, positive) : positive;
      if (col < 0) throw new CustlabError("E_LABEL", `positiveProba: label ${positive} is not one of the model's classes (${Array.from(classes ?? []).join(", ")})`);
    } else if (k > 2) throw new CustlabError("E_LABEL", `positiveProba: the model has ${k} classes; name the positive label`);
    return probaColumn(P, k, col);
  };
  const P = model.predictProba(X);
  return P instanceof Promise ? P.then(pick) : pick(P);
}
