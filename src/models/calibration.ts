import { CustlabError } from "../util/errors";
import { stratifiedKFold } from "../util/folds";
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";

function checkXY(scores: ArrayLike<number>, y: ArrayLike<number>, who: string): void {
  if (scores.length !== y.length) throw new CustlabError("E_SHAPE", `${who}: ${scores.length} scores but ${y.length} labels`);
  if (scores.length < 2) throw new CustlabError("E_DATA", `${who}: needs at least 2 rows to fit, got ${scores.length}`);
  for (let i = 0; i < scores.length; i++) if (!Number.isFinite(scores[i])) throw new CustlabError("E_DATA", `${who}: score ${i} is not a finite number (${scores[i]})`);
}

/**
 * Platt scaling (scikit-learn's `_SigmoidCalibration`): P(y = 1 | s) =
 * 1 / (1 + exp(a·s + b)), fitted by maximum likelihood on targets smoothed as
 * Platt (1999) recommends — positives (N₊ + 1)/(N₊ + 2), negatives 1/(N₋ + 2).
 * Two parameters, convex loss: solved by Newton's method to the optimum
 * (matches scikit-learn 1.2 to about 1e-6, test/fixtures/calibration.json).
 * @example
 * const cal = new PlattCalibrator().fit(p, y);
 * cal.predict(p); // calibrated P(churn)
 */
export class PlattCalibrator implements Estimator<ArrayLike<number>, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<PlattCalibratorOptions> = { maxIter: { default: 100, integer: true, min: 1 } };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(PlattCalibrator.spec);
  readonly options: Resolved<PlattCalibratorOptions>;
  /** Slope a (P = 1/(1+exp(a·s+b))). */
  a_?: number;
  /** Intercept b. */
  b_?: number;

  /** @param options - maxIter (Newton iterations, default 100) */
  constructor(options: PlattCalibratorOptions = {}) {
    this.options = resolveOptions("PlattCalibrator", PlattCalibrator.spec, options);
  }

  /** Fit on scores and 0/1 labels; returns this. */
  fit(scores: ArrayLike<number>, y: ArrayLike<number>): this {
    checkXY(scores, y, "PlattCalibrator.fit");
    const n = scores.length;
    let n1 = 0;
    for (let i = 0; i < n; i++) if (y[i] > 0) n1++;
    const n0 = n - n1;
    const t1 = (n1 + 1) / (n1 + 2), t0 = 1 / (n0 + 2);
    let a = 0, b = Math.log((n0 + 1) / (n1 + 1));
    const loss = (A: number, B: number) => {
      let l = 0;
      for (let i = 0; i < n; i++) {
        const t = y[i] > 0 ? t1 : t0, z = A * scores[i] + B; // P = σ(−z)
        // −[t log σ(−z) + (1−t) log σ(z)] = t·softplus(z) + (1−t)·softplus(−z)
        const sp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        l += t * sp + (1 - t) * (sp - z);
      }
      return l;
    };
    let cur = loss(a, b);
    for (let it = 0; it < this.options.maxIter; it++) {
      let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
      for (let i = 0; i < n; i++) {
        const t = y[i] > 0 ? t1 : t0, s = scores[i], z = a * s + b;
        const q = 1 / (1 + Math.exp(-z)); // σ(z) = 1 − P
        const r = q - (1 - t); // d loss / dz
        const w = q * (1 - q);
        ga += r * s; gb += r; haa += w * s * s; hab += w * s; hbb += w;
      }
      const det = haa * hbb - hab * hab;
      if (!(Math.abs(ga) + Math.abs(gb) > 1e-12)) break;
      let da: number, db: number;
      if (det > 1e-300) { da = (hbb * ga - hab * gb) / det; db = (haa * gb - hab * ga) / det; } else { da = ga * 1e-3; db = gb * 1e-3; }
      let step = 1, next = loss(a - da, b - db);
      while (next > cur && step > 1e-10) { step /= 2; next = loss(a - step * da, b - step * db); }
      if (next > cur) break;
      a -= step * da; b -= step * db;
      const done = cur - next < 1e-14 * Math.max(1, cur);
      cur = next;
      if (done) break;
    }
    this.a_ = a; this.b_ = b;
    return this;
  }

  /** Calibrated probabilities. */
  predict(scores: ArrayLike<number>): Float64Array {
    if (this.a_ === undefined) notFitted("PlattCalibrator", "call fit() before predict()");
    const a = this.a_, b = this.b_!;
    return Float64Array.from(scores, (s) => 1 / (1 + Math.exp(a * s + b)));
  }

  /** `{type, version, options, state}` JSON (state null before fit). */
  toJSON() { return estimatorJSON("PlattCalibrator", 1, this.options, this.a_ === undefined ? null : { a: this.a_, b: this.b_! }); }

  /** Rebuild from {@link PlattCalibrator.toJSON} (type and version checked; earlier artifacts' `options: {}` read as the defaults). */
  static fromJSON(o: unknown): PlattCalibrator {
    const { options, state } = readEstimatorJSON(o, "PlattCalibrator", 1);
    const c = new PlattCalibrator(options);
    if (state) { c.a_ = state.a; c.b_ = state.b; }
    return c;
  }
}

registerEstimator("PlattCalibrator", PlattCalibrator);

/** Options of {@link PlattCalibrator}. */
export interface PlattCalibratorOptions {
  /** Newton iterations at most (the loss is convex with two parameters; it converges in a handful). Default 100. */
  maxIter?: number;
}

/** Options of {@link IsotonicCalibrator}. */
export interface IsotonicCalibratorOptions {
  /**
   * Scores outside the fitted range: "clip" (default; the end values, scikit-learn's
   * `out_of_bounds="clip"`) or "nan" (NaN, `out_of_bounds="nan"`).
   */
  outOfBounds?: "clip" | "nan";
}

/**
 * Isotonic calibration (scikit-learn's `IsotonicRegression(out_of_bounds="clip")`):
 * the non-decreasing step function of the score closest to the labels in
 * squared error (pool-adjacent-violators on scores sorted ascending, tied
 * scores merged first), predicted by linear interpolation between the fitted
 * points and clipped outside them. Matches scikit-learn 1.2 to 1e-12
 * (test/fixtures/calibration.json).
 * @example
 * const iso = new IsotonicCalibrator().fit(p, y);
 * iso.predict([0.1, 0.5, 0.9]);
 */
export class IsotonicCalibrator implements Estimator<ArrayLike<number>, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<IsotonicCalibratorOptions> = { outOfBounds: { default: "clip", oneOf: ["clip", "nan"] } };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(IsotonicCalibrator.spec);
  readonly options: Resolved<IsotonicCalibratorOptions>;

  /** @param options - outOfBounds ("clip", default, or "nan") */
  constructor(options: IsotonicCalibratorOptions = {}) {
    this.options = resolveOptions("IsotonicCalibrator", IsotonicCalibrator.spec, options);
  }

  /** Score knots (ascending). */
  x_?: Float64Array;
  /** Fitted values at the knots (non-decreasing). */
  y_?: Float64Array;

  /** Fit on scores and labels (any real targets); returns this. */
  fit(scores: ArrayLike<number>, y: ArrayLike<number>): this {
    checkXY(scores, y, "IsotonicCalibrator.fit");
    const n = scores.length;
    const idx = Array.from({ length: n }, (_, i) => i).sort((p, q) => scores[p] - scores[q] || p - q);
    // merge tied scores (weighted mean of y)
    const ux: number[] = [], uy: number[] = [], uw: number[] = [];
    for (const i of idx) {
      const m = ux.length - 1;
      if (m >= 0 && ux[m] === scores[i]) { uy[m] += y[i]; uw[m] += 1; } else { ux.push(scores[i]); uy.push(y[i]); uw.push(1); }
    }
    for (let j = 0; j < ux.length; j++) uy[j] /= uw[j];
    // pool adjacent violators: blocks of (value, weight, start)
    const val: number[] = [], wt: number[] = [], start: number[] = [];
    for (let j = 0; j < ux.length; j++) {
      val.push(uy[j]); wt.push(uw[j]); start.push(j);
      while (val.length > 1 && val[val.length - 2] >= val[val.length - 1]) {
        const v2 = val.pop()!, w2 = wt.pop()!; start.pop();
        const k = val.length - 1;
        val[k] = (val[k] * wt[k] + v2 * w2) / (wt[k] + w2);
        wt[k] += w2;
      }
    }
    const fitted = new Float64Array(ux.length);
    for (let k = 0; k < val.length; k++) {
      const end = k + 1 < val.length ? start[k + 1] : ux.length;
      for (let j = start[k]; j < end; j++) fitted[j] = val[k];
    }
    // keep the knots scikit-learn keeps: drop interior points of flat runs
    const kx: number[] = [], ky: number[] = [];
    for (let j = 0; j < ux.length; j++) {
      if (j > 0 && j < ux.length - 1 && fitted[j] === fitted[j - 1] && fitted[j] === fitted[j + 1]) continue;
      kx.push(ux[j]); ky.push(fitted[j]);
    }
    this.x_ = Float64Array.from(kx); this.y_ = Float64Array.from(ky);
    return this;
  }

  /** Calibrated values: linear interpolation between knots, clipped at the ends. */
  predict(scores: ArrayLike<number>): Float64Array {
    if (!this.x_) notFitted("IsotonicCalibrator", "call fit() before predict()");
    const x = this.x_, yv = this.y_!, m = x.length, clip = this.options.outOfBounds === "clip";
    return Float64Array.from(scores, (s) => {
      if (!clip && (s < x[0] || s > x[m - 1])) return NaN;
      if (m === 1 || s <= x[0]) return yv[0];
      if (s >= x[m - 1]) return yv[m - 1];
      let lo = 0, hi = m - 1;
      while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (x[mid] <= s) lo = mid; else hi = mid; }
      const t = (s - x[lo]) / (x[hi] - x[lo]);
      return yv[lo] + t * (yv[hi] - yv[lo]);
    });
  }

  /** `{type, version, options, state}` JSON (state null before fit). */
  toJSON() { return estimatorJSON("IsotonicCalibrator", 1, this.options, this.x_ ? { x: Array.from(this.x_), y: Array.from(this.y_!) } : null); }

  /** Rebuild from {@link IsotonicCalibrator.toJSON} (type and version checked). */
  static fromJSON(o: unknown): IsotonicCalibrator {
    const { options, state } = readEstimatorJSON(o, "IsotonicCalibrator", 1);
    const c = new IsotonicCalibrator(options);
    if (state) { c.x_ = Float64Array.from(state.x); c.y_ = Float64Array.from(state.y); }
    return c;
  }
}

registerEstimator("IsotonicCalibrator", IsotonicCalibrator);

/** A fitted probability calibrator. */
export type Calibrator = PlattCalibrator | IsotonicCalibrator;

/** Calibration methods: "auto" picks Platt or isotonic by cross-validated log-loss. */
export type CalibrationMethod = "none" | "platt" | "isotonic" | "auto";

/** What {@link chooseCalibrator} returns. */
export interface CalibrationChoice {
  /** The chosen method. */
  method: "platt" | "isotonic";
  /** Fitted on all the given scores. */
  calibrator: Calibrator;
  /** Cross-validated log-loss of each candidate (and of the raw scores). */
  cvLogLoss: { raw: number; platt: number; isotonic: number };
}

function logLossOf(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let l = 0;
  for (let i = 0; i < y.length; i++) { const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i])); l -= y[i] > 0 ? Math.log(q) : Math.log(1 - q); }
  return l / y.length;
}

/**
 * Choose between Platt and isotonic calibration by k-fold cross-validated
 * log-loss on (out-of-sample) scores and labels, then fit the winner on all
 * rows. With `method` "platt" or "isotonic" that one is fitted (the CV
 * numbers are still reported).
 * @example
 * const c = chooseCalibrator(p, y, { seed: 42 });
 * c.method; c.calibrator.predict(proba);
 */
export function chooseCalibrator(scores: ArrayLike<number>, y: ArrayLike<number>, options: { method?: "auto" | "platt" | "isotonic"; folds?: number; seed?: number } = {}): CalibrationChoice {
  checkXY(scores, y, "chooseCalibrator");
  const k = options.folds ?? 5;
  const fold = stratifiedKFold(Int32Array.from(y, (v) => (v > 0 ? 1 : 0)), k, options.seed ?? 42);
  const pP = new Float64Array(scores.length), pI = new Float64Array(scores.length);
  for (let f = 0; f < k; f++) {
    const tr: number[] = [], te: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? te : tr).push(i);
    if (!te.length || tr.length < 2) continue;
    const s = tr.map((i) => scores[i]), yy = tr.map((i) => y[i]), st = te.map((i) => scores[i]);
    const a = new PlattCalibrator().fit(s, yy).predict(st), b = new IsotonicCalibrator().fit(s, yy).predict(st);
    te.forEach((i, j) => { pP[i] = a[j]; pI[i] = b[j]; });
  }
  const cvLogLoss = { raw: logLossOf(y, scores), platt: logLossOf(y, pP), isotonic: logLossOf(y, pI) };
  const method = options.method && options.method !== "auto" ? options.method : cvLogLoss.isotonic < cvLogLoss.platt ? "isotonic" : "platt";
  const calibrator = method === "platt" ? new PlattCalibrator().fit(scores, y) : new IsotonicCalibrator().fit(scores, y);
  return { method, calibrator, cvLogLoss };
}

/**
 * Revive a calibrator from its JSON.
 * @example const cal = calibratorFromJSON(new PlattCalibrator().fit(p, y).toJSON());
 */
export function calibratorFromJSON(o: unknown): Calibrator {
  return (o as { type?: string } | null)?.type === "PlattCalibrator" ? PlattCalibrator.fromJSON(o) : IsotonicCalibrator.fromJSON(o);
}
