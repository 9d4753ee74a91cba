import { Table } from "../table";
import type { Matrix } from "../util/matrix";
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";
import { Preprocessor, PreprocessorOptions, PREPROCESSOR_SPEC } from "./preprocess";

/** Options for {@link LogAugmentedPreprocessor}. */
export interface LogAugmentedPreprocessorOptions extends PreprocessorOptions {
  /**
   * Columns to add `log1p` copies of (`<name>_log1p`), or `"auto"` (default):
   * every numeric column that is non-negative on the training rows, has at
   * least 10 distinct values and a sample skewness above `minSkew`.
   */
  logColumns?: string[] | "auto";
  /** Skewness threshold for `"auto"`. Default 0.5. */
  minSkew?: number;
}

/**
 * A {@link Preprocessor} that first adds `log1p` copies of right-skewed
 * non-negative numeric columns (chosen on the training rows only), so linear
 * models can use both the raw and the log scale — on Telco this adds
 * `TotalCharges_log1p`, the transform that lifts scikit-learn's logistic
 * regression from 0.845 to 0.849 AUC. Tree models are unaffected (monotone copy).
 * Ids and excluded columns (`types.idColumns`, `types.exclude`) are never transformed.
 * @example
 * const pre = new LogAugmentedPreprocessor({ types: { idColumns: ["customerID"], exclude: ["Churn"] } }).fit(train);
 * pre.logColumns_; // ["TotalCharges"]
 */
export class LogAugmentedPreprocessor implements Estimator<Table> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<LogAugmentedPreprocessorOptions> = {
    ...PREPROCESSOR_SPEC,
    logColumns: { default: "auto", type: "array", oneOf: ["auto"], check: (v) => (v === "auto" || (Array.isArray(v) && v.every((c) => typeof c === "string")) ? undefined : "must be \"auto\" or an array of column names") },
    minSkew: { default: 0.5 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(LogAugmentedPreprocessor.spec);
  readonly options: Resolved<LogAugmentedPreprocessorOptions>;
  /** Columns that get a log1p copy. */
  logColumns_: string[] = [];
  /** The wrapped Preprocessor (fitted on the augmented table). */
  preprocessor_?: Preprocessor;

  constructor(options: LogAugmentedPreprocessorOptions = {}) {
    this.options = resolveOptions("LogAugmentedPreprocessor", LogAugmentedPreprocessor.spec, options);
  }

  /** The options of the wrapped Preprocessor. */
  private preprocessorOptions(): PreprocessorOptions {
    const { logColumns: _l, minSkew: _m, ...rest } = this.options;
    return rest;
  }

  private augment(t: Table): Table {
    const add: Record<string, Float64Array> = {};
    for (const c of this.logColumns_) {
      const v = t.num(c);
      add[`${c}_log1p`] = Float64Array.from(v, (x) => (Number.isNaN(x) ? NaN : Math.log1p(Math.max(0, x))));
    }
    return this.logColumns_.length ? t.assign(add) : t;
  }

  /**
   * Choose the log columns on `t` (the training rows) and fit the wrapped
   * {@link Preprocessor} on `t` plus their `log1p` copies. Returns this.
   * @example
   * const pre = new LogAugmentedPreprocessor({ types: { exclude: ["Churn"] } }).fit(train);
   */
  fit(t: Table): this {
    const skip = new Set([...(this.options.types?.idColumns ?? []), ...(this.options.types?.exclude ?? [])]);
    if (Array.isArray(this.options.logColumns)) this.logColumns_ = [...this.options.logColumns];
    else {
      const minSkew = this.options.minSkew;
      this.logColumns_ = t.columnNames().filter((c) => {
        if (skip.has(c) || c.startsWith("_")) return false;
        const col = t.get(c);
        if (Array.isArray(col) || t.kind(c) === "date") return false;
        const v = Array.from(col as ArrayLike<number>).filter((x) => !Number.isNaN(x));
        if (v.length < 3 || v.some((x) => x < 0) || new Set(v).size < 10) return false;
        let m = 0;
        for (const x of v) m += x;
        m /= v.length;
        let m2 = 0, m3 = 0;
        for (const x of v) { const d = x - m; m2 += d * d; m3 += d * d * d; }
        m2 /= v.length; m3 /= v.length;
        return m2 > 0 && m3 / Math.pow(m2, 1.5) > minSkew;
      });
    }
    this.preprocessor_ = new Preprocessor(this.preprocessorOptions()).fit(this.augment(t));
    return this;
  }

  /**
   * Add the fitted `log1p` columns to `t` and encode it with the wrapped
   * {@link Preprocessor} (n × featureNames_.length matrix).
   * @example
   * const X = pre.transform(test); // X.columns: pre.featureNames_
   */
  transform(t: Table): Matrix {
    if (!this.preprocessor_) notFitted("LogAugmentedPreprocessor", "call fit() before transform()");
    return this.preprocessor_.transform(this.augment(t));
  }

  /** Fit on `t`, then transform it. */
  fitTransform(t: Table): Matrix { return this.fit(t).transform(t); }

  /** Output feature names. */
  get featureNames_(): string[] {
    return this.preprocessor_?.featureNames_ ?? [];
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON("LogAugmentedPreprocessor", 1, this.options, this.preprocessor_ && { logColumns: this.logColumns_, preprocessor: this.preprocessor_.toJSON() });
  }

  /** Rebuild from {@link LogAugmentedPreprocessor.toJSON} output. */
  static fromJSON(j: unknown): LogAugmentedPreprocessor {
    const { options, state: s } = readEstimatorJSON(j, "LogAugmentedPreprocessor", 1);
    const m = new LogAugmentedPreprocessor(options);
    if (s?.preprocessor) { m.logColumns_ = s.logColumns; m.preprocessor_ = Preprocessor.fromJSON(s.preprocessor); }
    return m;
  }
}

registerEstimator("LogAugmentedPreprocessor", LogAugmentedPreprocessor);
