import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { Table } from "../table";
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";

/**
 * Preprocessing fitted on training rows only (the scikit-learn contract:
 * `fit` learns from the training fold, `transform` applies the same mapping
 * to any rows, `toJSON`/`fromJSON` persist it). Numeric transformers work on
 * a {@link Matrix}; encoders and the {@link Preprocessor} work on a {@link Table}.
 */

/** Strategy of {@link SimpleImputer}. */
export type ImputeStrategy = "mean" | "median" | "most_frequent" | "constant";

/** Options for {@link SimpleImputer}. */
export interface SimpleImputerOptions {
  /** How missing values (NaN) are filled per column (default "mean"). */
  strategy?: ImputeStrategy;
  /** Value for "constant" (default 0). */
  fillValue?: number;
}

function checkFitted(v: unknown, what: string): void {
  if (v === undefined || v === null) notFitted(what, "call fit() before transform()");
}

const arr = (a: ArrayLike<number>): number[] => Array.from(a);

function checkCols(X: Matrix, cols: number, what: string): void {
  if (X.cols !== cols) throw new CustlabError("E_SHAPE", `${what}: X has ${X.cols} columns but was fitted on ${cols}`);
}

/**
 * Fill NaN per column with a statistic learned on the training rows. A column
 * that is entirely missing in training is filled with `fillValue` (default 0).
 * @example
 * const imp = new SimpleImputer({ strategy: "median" }).fit(Xtrain);
 * const Xt = imp.transform(Xtest);
 */
export class SimpleImputer implements Estimator<Matrix> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<SimpleImputerOptions> = {
    strategy: { default: "mean", oneOf: ["mean", "median", "most_frequent", "constant"] },
    fillValue: { default: 0 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(SimpleImputer.spec);
  readonly options: Resolved<SimpleImputerOptions>;
  /** Fill value per column. */
  statistics_?: Float64Array;
  constructor(options: SimpleImputerOptions = {}) { this.options = resolveOptions("SimpleImputer", SimpleImputer.spec, options); }

  fit(X: Matrix): this {
    const strat = this.options.strategy, fill = this.options.fillValue;
    const st = new Float64Array(X.cols);
    for (let j = 0; j < X.cols; j++) {
      const vals: number[] = [];
      for (let i = 0; i < X.rows; i++) { const v = X.data[i * X.cols + j]; if (!Number.isNaN(v)) vals.push(v); }
      st[j] = strat === "constant" || vals.length === 0 ? fill : columnStat(vals, strat);
    }
    this.statistics_ = st;
    return this;
  }

  transform(X: Matrix): Matrix {
    checkFitted(this.statistics_, "SimpleImputer");
    checkCols(X, this.statistics_!.length, "SimpleImputer");
    const out = Float64Array.from(X.data);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) if (Number.isNaN(out[i * X.cols + j])) out[i * X.cols + j] = this.statistics_![j];
    return { data: out, rows: X.rows, cols: X.cols, columns: X.columns };
  }

  fitTransform(X: Matrix): Matrix { return this.fit(X).transform(X); }
  /** `{ type, version, options, state }`. */
  toJSON() { return estimatorJSON("SimpleImputer", 1, this.options, this.statistics_ && { statistics: arr(this.statistics_) }); }
  /** Rebuild from {@link SimpleImputer.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(j: unknown): SimpleImputer {
    const { options, state: s } = readEstimatorJSON(j, "SimpleImputer", 1, true);
    const m = new SimpleImputer(options);
    if (s?.statistics) m.statistics_ = Float64Array.from(s.statistics);
    return m;
  }
}

function columnStat(vals: number[], strat: ImputeStrategy): number {
  if (strat === "mean") { let s = 0; for (const v of vals) s += v; return s / vals.length; }
  if (strat === "median") {
    const s = Float64Array.from(vals).sort(), n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  // most frequent; ties → smallest value (as scikit-learn)
  const cnt = new Map<number, number>();
  for (const v of vals) cnt.set(v, (cnt.get(v) ?? 0) + 1);
  let best = NaN, bc = -1;
  for (const [v, c] of cnt) if (c > bc || (c === bc && v < best)) { best = v; bc = c; }
  return best;
}

/** Options for {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Subtract the column mean. Default true. */
  withMean?: boolean;
  /** Divide by the column standard deviation. Default true. */
  withStd?: boolean;
}

/**
 * Standardise columns to zero mean and unit variance (population std, NaN
 * ignored in fit and kept in transform; a constant column is only centred).
 * @example new StandardScaler().fit(Xtrain).transform(Xtest);
 */
export class StandardScaler implements Estimator<Matrix> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<StandardScalerOptions> = { withMean: { default: true }, withStd: { default: true } };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(StandardScaler.spec);
  readonly options: Resolved<StandardScalerOptions>;
  mean_?: Float64Array;
  scale_?: Float64Array;
  /** @param options - withMean (default true), withStd (default true) */
  constructor(options: StandardScalerOptions = {}) { this.options = resolveOptions("StandardScaler", StandardScaler.spec, options); }

  fit(X: Matrix): this {
    const mean = new Float64Array(X.cols), scale = new Float64Array(X.cols).fill(1);
    for (let j = 0; j < X.cols; j++) {
      let s = 0, n = 0;
      for (let i = 0; i < X.rows; i++) { const v = X.data[i * X.cols + j]; if (!Number.isNaN(v)) { s += v; n++; } }
      const m = n ? s / n : 0;
      let ss = 0;
      for (let i = 0; i < X.rows; i++) { const v = X.data[i * X.cols + j]; if (!Number.isNaN(v)) ss += (v - m) * (v - m); }
      const sd = n ? Math.sqrt(ss / n) : 0;
      mean[j] = this.options.withMean === false ? 0 : m;
      scale[j] = this.options.withStd === false || !(sd > 1e-12 * Math.max(1, Math.abs(m))) ? 1 : sd;
    }
    this.mean_ = mean; this.scale_ = scale;
    return this;
  }

  transform(X: Matrix): Matrix {
    checkFitted(this.mean_, "StandardScaler");
    checkCols(X, this.mean_!.length, "StandardScaler");
    const out = new Float64Array(X.data.length);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) out[i * X.cols + j] = (X.data[i * X.cols + j] - this.mean_![j]) / this.scale_![j];
    return { data: out, rows: X.rows, cols: X.cols, columns: X.columns };
  }

  fitTransform(X: Matrix): Matrix { return this.fit(X).transform(X); }
  /** `{ type, version, options, state }`. */
  toJSON() { return estimatorJSON("StandardScaler", 1, this.options, this.mean_ && { mean: arr(this.mean_), scale: arr(this.scale_!) }); }
  /** Rebuild from {@link StandardScaler.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(j: unknown): StandardScaler {
    const { options, state: s } = readEstimatorJSON(j, "StandardScaler", 1, true);
    const m = new StandardScaler(options);
    if (s?.mean) { m.mean_ = Float64Array.from(s.mean); m.scale_ = Float64Array.from(s.scale); }
    return m;
  }
}

/** Options for {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** Output range. Default [0, 1]. */
  featureRange?: [number, number];
}

/**
 * Scale columns to [min, max] of the feature range (default [0, 1]) using the
 * training minimum and maximum; NaN ignored in fit and kept.
 * @example new MinMaxScaler({ featureRange: [0, 1] }).fit(Xtrain).transform(Xtest);
 */
export class MinMaxScaler implements Estimator<Matrix> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<MinMaxScalerOptions> = {
    featureRange: { default: [0, 1], check: (v) => (v!.length === 2 && v!.every(Number.isFinite) && v![0] < v![1] ? undefined : `must be [min, max] with min < max, got [${v}]`) },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(MinMaxScaler.spec);
  readonly options: Resolved<MinMaxScalerOptions>;
  dataMin_?: Float64Array;
  dataMax_?: Float64Array;
  constructor(options: MinMaxScalerOptions = {}) { this.options = resolveOptions("MinMaxScaler", MinMaxScaler.spec, options); }

  fit(X: Matrix): this {
    const lo = new Float64Array(X.cols).fill(Infinity), hi = new Float64Array(X.cols).fill(-Infinity);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) {
      const v = X.data[i * X.cols + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
    for (let j = 0; j < X.cols; j++) if (!Number.isFinite(lo[j])) { lo[j] = 0; hi[j] = 0; }
    this.dataMin_ = lo; this.dataMax_ = hi;
    return this;
  }

  transform(X: Matrix): Matrix {
    checkFitted(this.dataMin_, "MinMaxScaler");
    checkCols(X, this.dataMin_!.length, "MinMaxScaler");
    const [a, b] = this.options.featureRange;
    const out = new Float64Array(X.data.length);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) {
      const range = this.dataMax_![j] - this.dataMin_![j];
      out[i * X.cols + j] = a + ((X.data[i * X.cols + j] - this.dataMin_![j]) / (range > 0 ? range : 1)) * (b - a);
    }
    return { data: out, rows: X.rows, cols: X.cols, columns: X.columns };
  }

  fitTransform(X: Matrix): Matrix { return this.fit(X).transform(X); }
  /** `{ type, version, options, state }`. */
  toJSON() { return estimatorJSON("MinMaxScaler", 1, this.options, this.dataMin_ && { min: arr(this.dataMin_), max: arr(this.dataMax_!) }); }
  /** Rebuild from {@link MinMaxScaler.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(j: unknown): MinMaxScaler {
    const { options, state: s } = readEstimatorJSON(j, "MinMaxScaler", 1, true);
    const m = new MinMaxScaler(options);
    if (s?.min) { m.dataMin_ = Float64Array.from(s.min); m.dataMax_ = Float64Array.from(s.max); }
    return m;
  }
}

/** A text value of a cell for encoding: text as is (trimmed), numbers as their string, NaN → "". */
function textColumn(t: Table, name: string): string[] {
  const c = t.get(name);
  if (Array.isArray(c)) return c.map((v) => v.trim());
  return Array.from(c as ArrayLike<number>, (v) => (Number.isNaN(v) ? "" : String(v)));
}

/** Options for {@link OneHotEncoder}. */
export interface OneHotEncoderOptions {
  /** Columns to encode (default: every text column). */
  columns?: string[];
  /** "ignore" (default): an unseen category encodes as all zeros; "error": throw a CustlabError naming the column and value. */
  handleUnknown?: "ignore" | "error";
  /** Categories seen fewer times than this in training are pooled into "(other)" (default 1 = keep all). */
  minFrequency?: number;
  /** Drop the first category of binary columns (default false, like scikit-learn). */
  dropBinary?: boolean;
}

/**
 * One-hot encoding of text columns; missing ("") is its own category
 * "(missing)". Output column names are `column=value`.
 * @example
 * const enc = new OneHotEncoder({ columns: ["country"] }).fit(train);
 * enc.transform(test).columns; // ["country=DE", "country=FR", ...]
 */
export class OneHotEncoder implements Estimator<Table> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<OneHotEncoderOptions> = {
    columns: { default: undefined, type: "array", check: (v) => (Array.isArray(v) && v.every((c) => typeof c === "string") ? undefined : "must be an array of column names") },
    handleUnknown: { default: "ignore", oneOf: ["ignore", "error"] },
    minFrequency: { default: 1, integer: true, min: 1 },
    dropBinary: { default: false },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(OneHotEncoder.spec);
  readonly options: Resolved<OneHotEncoderOptions>;
  /** Learned categories per column (sorted; "(other)" last when pooling happened). */
  categories_?: Record<string, string[]>;
  constructor(options: OneHotEncoderOptions = {}) { this.options = resolveOptions("OneHotEncoder", OneHotEncoder.spec, options); }

  fit(t: Table): this {
    const cols = this.options.columns ?? t.columnNames().filter((c) => t.kind(c) === "string");
    const cats: Record<string, string[]> = {};
    const minF = this.options.minFrequency;
    for (const c of cols) {
      const cnt = new Map<string, number>();
      for (const v of textColumn(t, c)) { const k = v === "" ? "(missing)" : v; cnt.set(k, (cnt.get(k) ?? 0) + 1); }
      const keep = [...cnt.entries()].filter(([, n]) => n >= minF).map(([k]) => k).sort();
      if (keep.length < cnt.size) keep.push("(other)");
      if (this.options.dropBinary && keep.length === 2) keep.shift();
      cats[c] = keep;
    }
    this.categories_ = cats;
    return this;
  }

  /** Output column names. */
  featureNames(): string[] {
    checkFitted(this.categories_, "OneHotEncoder");
    return Object.entries(this.categories_!).flatMap(([c, ks]) => ks.map((k) => `${c}=${k}`));
  }

  transform(t: Table): Matrix {
    checkFitted(this.categories_, "OneHotEncoder");
    const names = this.featureNames();
    const n = t.numRows, d = names.length;
    const out = new Float64Array(n * d);
    let off = 0;
    for (const [c, ks] of Object.entries(this.categories_!)) {
      const index = new Map(ks.map((k, i) => [k, i]));
      const other = index.get("(other)");
      const vals = textColumn(t, c);
      for (let i = 0; i < n; i++) {
        const v = vals[i] === "" ? "(missing)" : vals[i];
        let j = index.get(v);
        if (j === undefined) {
          if (other !== undefined) j = other;
          else if (this.options.handleUnknown === "error") throw new CustlabError("E_UNKNOWN_CATEGORY", `OneHotEncoder: value "${v}" in row ${i + 1} was not seen in training (categories: ${ks.slice(0, 10).join(", ")}${ks.length > 10 ? ", …" : ""})`, { column: c });
          else continue;
        }
        out[i * d + off + j] = 1;
      }
      off += ks.length;
    }
    return { data: out, rows: n, cols: d, columns: names };
  }

  fitTransform(t: Table): Matrix { return this.fit(t).transform(t); }
  /** `{ type, version, options, state }`. */
  toJSON() { return estimatorJSON("OneHotEncoder", 1, this.options, this.categories_ && { categories: this.categories_ }); }
  /** Rebuild from {@link OneHotEncoder.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(j: unknown): OneHotEncoder {
    const { options, state: s } = readEstimatorJSON(j, "OneHotEncoder", 1, true);
    const m = new OneHotEncoder(options);
    if (s?.categories) m.categories_ = s.categories;
    return m;
  }
}

/** Options for {@link FrequencyEncoder}. */
export interface FrequencyEncoderOptions {
  /** Columns to encode (default: every text column). */
  columns?: string[];
}

/**
 * Frequency encoding: each category becomes its share of the training rows
 * (unseen categories → 0). One output column per input column, named
 * `column_freq`. Good for high-cardinality columns (product, city).
 * @example new FrequencyEncoder({ columns: ["country"] }).fit(train).transform(test);
 */
export class FrequencyEncoder implements Estimator<Table> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<FrequencyEncoderOptions> = { columns: { default: undefined, type: "array", check: (v) => (Array.isArray(v) && v.every((c) => typeof c === "string") ? undefined : "must be an array of column names") } };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(FrequencyEncoder.spec);
  readonly options: Resolved<FrequencyEncoderOptions>;
  frequencies_?: Record<string, Record<string, number>>;
  constructor(options: FrequencyEncoderOptions = {}) { this.options = resolveOptions("FrequencyEncoder", FrequencyEncoder.spec, options); }

  fit(t: Table): this {
    const cols = this.options.columns ?? t.columnNames().filter((c) => t.kind(c) === "string");
    const f: Record<string, Record<string, number>> = {};
    for (const c of cols) {
      const m: Record<string, number> = {};
      for (const v of textColumn(t, c)) m[v] = (m[v] ?? 0) + 1;
      for (const k of Object.keys(m)) m[k] /= t.numRows || 1;
      f[c] = m;
    }
    this.frequencies_ = f;
    return this;
  }

  featureNames(): string[] { checkFitted(this.frequencies_, "FrequencyEncoder"); return Object.keys(this.frequencies_!).map((c) => `${c}_freq`); }

  transform(t: Table): Matrix {
    checkFitted(this.frequencies_, "FrequencyEncoder");
    const cols = Object.keys(this.frequencies_!);
    const n = t.numRows, d = cols.length, out = new Float64Array(n * d);
    cols.forEach((c, j) => {
      const m = this.frequencies_![c], vals = textColumn(t, c);
      for (let i = 0; i < n; i++) out[i * d + j] = Object.prototype.hasOwnProperty.call(m, vals[i]) ? m[vals[i]] : 0;
    });
    return { data: out, rows: n, cols: d, columns: this.featureNames() };
  }

  fitTransform(t: Table): Matrix { return this.fit(t).transform(t); }
  /** `{ type, version, options, state }`. */
  toJSON() { return estimatorJSON("FrequencyEncoder", 1, this.options, this.frequencies_ && { frequencies: this.frequencies_ }); }
  /** Rebuild from {@link FrequencyEncoder.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(j: unknown): FrequencyEncoder {
    const { options, state: s } = readEstimatorJSON(j, "FrequencyEncoder", 1, true);
    const m = new FrequencyEncoder(options);
    if (s?.frequencies) m.frequencies_ = s.frequencies;
    return m;
  }
}

/** The role {@link autoType} gives a column. */
export type ColumnRole = "numeric" | "categorical" | "id" | "constant" | "date";

/** What {@link autoType} decided for one column, and why. */
export interface ColumnTypeInfo {
  name: string;
  role: ColumnRole;
  /** Missing cells (NaN, blank or whitespace-only text). */
  missing: number;
  /** Distinct non-missing values. */
  distinct: number;
  /** Plain-words reason, e.g. "text with 3 levels". */
  reason: string;
}

/** Options for {@link autoType}. */
export interface AutoTypeOptions {
  /** Columns to treat as ids (never features). */
  idColumns?: string[];
  /** Columns to skip entirely (e.g. the target). */
  exclude?: string[];
  /** Force roles for some columns. */
  roles?: Record<string, ColumnRole>;
}

const ID_NAME = /(^id$|_id$|Id$|ID$|^id_|identifier|uuid)/;

/**
 * Types every column of a table (e.g. one read from any CSV): numeric vs
 * categorical vs id vs constant vs date. Blank text counts as missing, and a
 * text column whose non-blank values all parse as numbers is numeric (so
 * Telco's `TotalCharges` with " " blanks is numeric with 11 missing). A
 * column is an id when it is named like one (`customerID`, `order_id`) and
 * unique, or is text whose non-missing values are all distinct (more than 20
 * rows); columns starting with "_" (loader metadata such as `_line`) are ids
 * too. Constant = at most one distinct non-missing value.
 * @example autoType(table, { exclude: ["Churn"] }).map((c) => `${c.name}: ${c.role}`);
 */
export function autoType(table: Table, options: AutoTypeOptions = {}): ColumnTypeInfo[] {
  const ids = new Set(options.idColumns ?? []), skip = new Set(options.exclude ?? []);
  const out: ColumnTypeInfo[] = [];
  for (const name of table.columnNames()) {
    if (skip.has(name)) continue;
    const c = table.get(name), n = table.numRows;
    let missing = 0;
    const seen = new Set<string | number>();
    let allNumeric = true;
    if (Array.isArray(c)) {
      for (const raw of c) {
        const v = raw.trim();
        if (v === "") { missing++; continue; }
        seen.add(v);
        if (allNumeric && !Number.isFinite(Number(v))) allNumeric = false;
      }
    } else {
      for (let i = 0; i < n; i++) { const v = (c as ArrayLike<number>)[i]; if (Number.isNaN(v)) missing++; else seen.add(v); }
    }
    const distinct = seen.size, present = n - missing;
    const forced = options.roles?.[name];
    let role: ColumnRole, reason: string;
    if (forced) { role = forced; reason = "set by option"; }
    else if (ids.has(name)) { role = "id"; reason = "listed in idColumns"; }
    else if (name.startsWith("_")) { role = "id"; reason = "loader metadata (e.g. _line)"; }
    else if (table.kind(name) === "date") { role = "date"; reason = "date column (not used as a feature)"; }
    else if (distinct <= 1) { role = "constant"; reason = distinct === 0 ? "all missing" : "a single value"; }
    else if (ID_NAME.test(name) && distinct === present) { role = "id"; reason = "named like an id and unique"; }
    else if (Array.isArray(c) && !allNumeric && distinct === present && present > 20) { role = "id"; reason = "text, every value distinct"; }
    else if (!Array.isArray(c) || allNumeric) { role = "numeric"; reason = Array.isArray(c) ? `text parsing as numbers${missing ? ` (${missing} blank)` : ""}` : "numbers"; }
    else { role = "categorical"; reason = `text with ${distinct} levels`; }
    out.push({ name, role, missing, distinct, reason });
  }
  return out;
}

/** Options for {@link Preprocessor}. */
export interface PreprocessorOptions {
  /** Numeric imputation (default "median"). */
  numericImpute?: ImputeStrategy;
  /** Value for numericImpute "constant" (default 0). */
  fillValue?: number;
  /** Numeric scaling (default "standard"). */
  scale?: "standard" | "minmax" | "none";
  /** Add a 0/1 `column_missing` indicator for numeric columns with missing values in training (default false). */
  missingIndicator?: boolean;
  /** Categorical encoding: "onehot", "frequency" or "auto" (default: one-hot up to `maxOneHot` levels, frequency above). */
  encode?: "onehot" | "frequency" | "auto";
  /** Level limit for one-hot under "auto" (default 30). */
  maxOneHot?: number;
  /** Unknown categories at transform time: "ignore" (default, all-zero one-hot) or "error". */
  handleUnknown?: "ignore" | "error";
  /** Options for {@link autoType} (id columns, excluded columns such as the target, forced roles). */
  types?: AutoTypeOptions;
}

/** Constraints of {@link PreprocessorOptions}. @internal */
export const PREPROCESSOR_SPEC: OptionSpec<PreprocessorOptions> = {
  numericImpute: { default: "median", oneOf: ["mean", "median", "most_frequent", "constant"] },
  fillValue: { default: 0 },
  scale: { default: "standard", oneOf: ["standard", "minmax", "none"] },
  missingIndicator: { default: false },
  encode: { default: "auto", oneOf: ["onehot", "frequency", "auto"] },
  maxOneHot: { default: 30, integer: true, min: 1 },
  handleUnknown: { default: "ignore", oneOf: ["ignore", "error"] },
  types: { default: undefined, type: "object", check: (v) => { const bad = Object.keys(v ?? {}).filter((k) => !["idColumns", "exclude", "roles"].includes(k)); return bad.length ? `unknown key ${bad[0]} (idColumns, exclude, roles)` : undefined; } },
};

/**
 * The `ColumnTransformer` of custlab: types the columns of any table with
 * {@link autoType}, then imputes + scales numeric columns and encodes
 * categorical ones; ids, constants and dates are dropped. Fit on training
 * rows only; `transform` yields a {@link Matrix} whose `columns` are the
 * feature names.
 * @example
 * const pre = new Preprocessor({ types: { idColumns: ["customerID"], exclude: ["Churn"] } }).fit(train);
 * const X = pre.transform(test);
 * X.columns; // ["tenure", "MonthlyCharges", ..., "Contract=Month-to-month", ...]
 */
export class Preprocessor implements Estimator<Table> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<PreprocessorOptions> = PREPROCESSOR_SPEC;
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(Preprocessor.spec);
  readonly options: Resolved<PreprocessorOptions>;
  /** Column typing learned in fit. */
  types_?: ColumnTypeInfo[];
  numericColumns_: string[] = [];
  indicatorColumns_: string[] = [];
  imputer_?: SimpleImputer;
  scaler_?: StandardScaler | MinMaxScaler;
  onehot_?: OneHotEncoder;
  frequency_?: FrequencyEncoder;
  /** Output feature names in order. */
  featureNames_: string[] = [];

  constructor(options: PreprocessorOptions = {}) { this.options = resolveOptions("Preprocessor", Preprocessor.spec, options); }

  private numericMatrix(t: Table): Matrix {
    const n = t.numRows, cols = this.numericColumns_, d = cols.length;
    const out = new Float64Array(n * d);
    cols.forEach((c, j) => {
      if (!t.has(c)) throw new CustlabError("E_MISSING_COLUMN", `Preprocessor: column "${c}" seen in fit is missing (have: ${t.columnNames().join(", ")})`, { column: c });
      const v = t.get(c);
      if (Array.isArray(v)) for (let i = 0; i < n; i++) { const s = v[i].trim(); out[i * d + j] = s === "" ? NaN : Number(s); }
      else for (let i = 0; i < n; i++) out[i * d + j] = (v as ArrayLike<number>)[i];
    });
    return { data: out, rows: n, cols: d, columns: cols };
  }

  fit(t: Table): this {
    const types = autoType(t, this.options.types);
    this.types_ = types;
    this.numericColumns_ = types.filter((c) => c.role === "numeric").map((c) => c.name);
    this.indicatorColumns_ = this.options.missingIndicator ? types.filter((c) => c.role === "numeric" && c.missing > 0).map((c) => c.name) : [];
    const cat = types.filter((c) => c.role === "categorical");
    const enc = this.options.encode, maxOH = this.options.maxOneHot;
    const oh = cat.filter((c) => enc === "onehot" || (enc === "auto" && c.distinct + (c.missing ? 1 : 0) <= maxOH)).map((c) => c.name);
    const fr = cat.filter((c) => !oh.includes(c.name)).map((c) => c.name);
    const Xn = this.numericMatrix(t);
    this.imputer_ = new SimpleImputer({ strategy: this.options.numericImpute, fillValue: this.options.fillValue }).fit(Xn);
    const scale = this.options.scale;
    this.scaler_ = scale === "standard" ? new StandardScaler().fit(this.imputer_.transform(Xn)) : scale === "minmax" ? new MinMaxScaler().fit(this.imputer_.transform(Xn)) : undefined;
    this.onehot_ = oh.length ? new OneHotEncoder({ columns: oh, handleUnknown: this.options.handleUnknown }).fit(t) : undefined;
    this.frequency_ = fr.length ? new FrequencyEncoder({ columns: fr }).fit(t) : undefined;
    this.featureNames_ = [
      ...this.numericColumns_,
      ...this.indicatorColumns_.map((c) => `${c}_missing`),
      ...(this.onehot_ ? this.onehot_.featureNames() : []),
      ...(this.frequency_ ? this.frequency_.featureNames() : []),
    ];
    if (this.featureNames_.length === 0) throw new CustlabError("E_NO_FEATURES", `Preprocessor: no usable feature columns (types: ${types.map((c) => `${c.name}=${c.role}`).join(", ")})`);
    return this;
  }

  transform(t: Table): Matrix {
    checkFitted(this.types_, "Preprocessor");
    const raw = this.numericMatrix(t);
    let num = this.imputer_!.transform(raw);
    if (this.scaler_) num = this.scaler_.transform(num);
    const parts: Matrix[] = [num];
    if (this.indicatorColumns_.length) {
      const d = this.indicatorColumns_.length, m = new Float64Array(t.numRows * d);
      this.indicatorColumns_.forEach((c, j) => { const k = this.numericColumns_.indexOf(c); for (let i = 0; i < t.numRows; i++) m[i * d + j] = Number.isNaN(raw.data[i * raw.cols + k]) ? 1 : 0; });
      parts.push({ data: m, rows: t.numRows, cols: d });
    }
    if (this.onehot_) parts.push(this.onehot_.transform(t));
    if (this.frequency_) parts.push(this.frequency_.transform(t));
    return hstack(parts, this.featureNames_);
  }

  fitTransform(t: Table): Matrix { return this.fit(t).transform(t); }

  /** `{ type, version, options, state }` (the fitted parts as their own JSON). */
  toJSON() {
    return estimatorJSON("Preprocessor", 1, this.options, this.types_ && {
      types: this.types_, numericColumns: this.numericColumns_, indicatorColumns: this.indicatorColumns_,
      imputer: this.imputer_?.toJSON(), scaler: this.scaler_?.toJSON(), onehot: this.onehot_?.toJSON(), frequency: this.frequency_?.toJSON(), featureNames: this.featureNames_,
    });
  }

  /** Rebuild from {@link Preprocessor.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(j: unknown): Preprocessor {
    const { options, state: s } = readEstimatorJSON(j, "Preprocessor", 1, true);
    const p = new Preprocessor(options);
    if (s?.types) p.restore(s);
    return p;
  }

  /** @internal */
  restore(s: any): this {
    this.types_ = s.types; this.numericColumns_ = s.numericColumns; this.indicatorColumns_ = s.indicatorColumns ?? []; this.featureNames_ = s.featureNames;
    this.imputer_ = SimpleImputer.fromJSON(s.imputer);
    this.scaler_ = s.scaler ? (s.scaler.type === "MinMaxScaler" ? MinMaxScaler.fromJSON(s.scaler) : StandardScaler.fromJSON(s.scaler)) : undefined;
    this.onehot_ = s.onehot ? OneHotEncoder.fromJSON(s.onehot) : undefined;
    this.frequency_ = s.frequency ? FrequencyEncoder.fromJSON(s.frequency) : undefined;
    return this;
  }
}

registerEstimator("SimpleImputer", SimpleImputer);
registerEstimator("StandardScaler", StandardScaler);
registerEstimator("MinMaxScaler", MinMaxScaler);
registerEstimator("OneHotEncoder", OneHotEncoder);
registerEstimator("FrequencyEncoder", FrequencyEncoder);
registerEstimator("Preprocessor", Preprocessor);

/** Concatenate matrices with the same rows side by side.
 * @example hstack([pre.transform(t), extra]).cols;
 */
export function hstack(parts: Matrix[], columns?: string[]): Matrix {
  const n = parts[0]?.rows ?? 0;
  const d = parts.reduce((s, p) => s + p.cols, 0);
  const out = new Float64Array(n * d);
  let off = 0;
  for (const p of parts) {
    if (p.rows !== n) throw new CustlabError("E_SHAPE", `hstack: parts have ${p.rows} and ${n} rows`);
    for (let i = 0; i < n; i++) out.set(p.data.subarray(i * p.cols, (i + 1) * p.cols), i * d + off);
    off += p.cols;
  }
  return { data: out, rows: n, cols: d, columns: columns ?? parts.flatMap((p) => p.columns ?? Array.from({ length: p.cols }, (_, j) => `x${j}`)) };
}
