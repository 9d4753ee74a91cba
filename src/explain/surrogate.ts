import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { createRng } from "../util/random";
import { DecisionTreeClassifier, LinearRegressor } from "../models";
import { argmaxRows, accuracyScore } from "../eval";
import type { Predictor } from "./shap";

/**
 * Model-agnostic explanations beyond SHAP: a shallow surrogate decision tree
 * fitted to a model's own predictions (global if-then rules with their
 * fidelity), and LIME-style local linear surrogates around one row.
 */

const probaOf = (model: Predictor, X: Matrix): Float64Array => (typeof model === "function" ? model(X) : model.predictProba(X));

/** One if-then rule of {@link surrogateRules}: the path to one leaf of the surrogate tree. */
export interface SurrogateRule {
  /** Conditions on the path, e.g. `recency_days > 87.5`. */
  conditions: string[];
  /** The class the surrogate predicts in this leaf. */
  className: string;
  /** Rows (of X) in the leaf. */
  support: number;
  /** Share of the leaf's rows the model puts in that class (the rule's confidence). */
  confidence: number;
  /** The rule as one line of plain words. */
  text: string;
}

/** Options for {@link surrogateRules}. */
export interface SurrogateRulesOptions {
  /** Depth of the surrogate tree (rules have at most this many conditions). Default 3. */
  maxDepth?: number;
  /** Minimum rows per leaf. Default 20. */
  minSamplesLeaf?: number;
  /** Feature names (default x0, x1, …). */
  featureNames?: string[];
  /** Class names in the model's column order (default the column numbers). */
  classNames?: string[];
}

/** Result of {@link surrogateRules}. */
export interface SurrogateRulesResult {
  /** The fitted surrogate tree (trained on the model's predicted classes). */
  tree: DecisionTreeClassifier;
  /** Share of rows where the surrogate predicts the same class as the model. */
  fidelity: number;
  /** One rule per leaf, grouped by class (class order), largest support first. */
  rules: SurrogateRule[];
}

/**
 * Rule extraction: fit a shallow decision tree to the model's predicted
 * classes on `X` and read each leaf as an if-then rule ("if recency_days >
 * 87.5 and orders ≤ 1.5 then lost (412 customers, 91%)"). `fidelity` is how
 * often the tree agrees with the model on X: read the rules only as far as
 * the fidelity allows.
 * @example
 * const r = surrogateRules(model, X, { featureNames: names, classNames: ["stays", "churns"] });
 * r.fidelity; r.rules.map((x) => x.text);
 */
export function surrogateRules(model: Predictor, X: Matrix, options: SurrogateRulesOptions = {}): SurrogateRulesResult {
  const P = probaOf(model, X);
  const k = P.length / X.rows;
  if (!Number.isInteger(k) || k < 2) throw new CustlabError("E_SHAPE", `surrogateRules: the model returned ${P.length} probabilities for ${X.rows} rows`);
  const target = argmaxRows(P, k);
  const names = options.featureNames ?? Array.from({ length: X.cols }, (_, j) => `x${j}`);
  const classNames = options.classNames ?? Array.from({ length: k }, (_, c) => String(c));
  if (names.length !== X.cols) throw new CustlabError("E_SHAPE", `surrogateRules: ${names.length} feature names for ${X.cols} columns`);
  const y = Float64Array.from(target);
  const tree = new DecisionTreeClassifier({ maxDepth: options.maxDepth ?? 3, minSamplesLeaf: options.minSamplesLeaf ?? 20 }).fit(X, y);
  const fidelity = accuracyScore(y, tree.predict(X));
  const t = tree.tree_!, cls = tree.classes_!;
  // rows per leaf and the model's classes in each
  const leafRows = new Map<number, number[]>();
  for (let i = 0; i < X.rows; i++) {
    let node = 0;
    while (t.left[node] >= 0) { const v = X.data[i * X.cols + t.feature[node]]; node = (v !== v ? t.missingLeft[node] === 1 : v <= t.threshold[node]) ? t.left[node] : t.right[node]; }
    let r = leafRows.get(node); if (!r) leafRows.set(node, (r = [])); r.push(i);
  }
  const rules: (SurrogateRule & { code: number })[] = [];
  const walk = (node: number, conds: string[]) => {
    if (t.left[node] < 0) {
      const rows = leafRows.get(node) ?? [];
      if (!rows.length) return;
      let best = 0;
      for (let c = 1; c < t.outDim; c++) if (t.value[node * t.outDim + c] > t.value[node * t.outDim + best]) best = c;
      const code = cls[best];
      const hits = rows.filter((i) => target[i] === code).length;
      const className = classNames[code] ?? String(code);
      const confidence = hits / rows.length;
      const text = `${conds.length ? `if ${conds.join(" and ")} then` : "always"} ${className} (${rows.length} rows, ${(100 * confidence).toFixed(0)}% of them ${className} by the model)`;
      rules.push({ conditions: conds, className, support: rows.length, confidence, text, code });
      return;
    }
    const f = names[t.feature[node]], th = Number(t.threshold[node].toPrecision(6)), miss = t.missingLeft[node] === 1;
    walk(t.left[node], [...conds, `${f} ≤ ${th}${miss ? " (or missing)" : ""}`]);
    walk(t.right[node], [...conds, `${f} > ${th}${miss ? "" : " (or missing)"}`]);
  };
  walk(0, []);
  rules.sort((a, b) => a.code - b.code || b.support - a.support);
  return { tree, fidelity, rules: rules.map(({ code: _c, ...r }) => r) };
}

/** Options for {@link limeExplain}. */
export interface LimeOptions {
  /** Perturbed samples around the row. Default 1000. */
  nSamples?: number;
  /** Kernel width on standardised distance. Default 0.75·√p (LIME's). */
  kernelWidth?: number;
  /** Class column of the model's probabilities to explain. Default 1. */
  classIndex?: number;
  /** Ridge penalty of the local linear model. Default 1. */
  alpha?: number;
  /** Seed. Default 42. */
  seed?: number;
}

/** Result of {@link limeExplain}. */
export interface LimeExplanation {
  /** Local effect of each feature: change in P(class) per standard deviation of the feature, near the row. */
  coef: Float64Array;
  /** Local model's value at the row (≈ the model's probability there). */
  localPrediction: number;
  /** The model's probability at the row. */
  modelPrediction: number;
  /** Weighted R² of the local linear model on the perturbed samples (how linear the model is near the row). */
  score: number;
}

/**
 * LIME-style local surrogate for any model (Ribeiro et al. 2016, tabular):
 * perturb the row with Gaussian noise scaled by each feature's standard
 * deviation in `background`, weight samples by an exponential kernel on the
 * standardised distance, and fit a weighted ridge regression of the model's
 * probability on the standardised features. Coefficients are local effects.
 * @example const e = limeExplain(model, X, 0); e.coef; e.score;
 */
export function limeExplain(model: Predictor, background: Matrix, row: number, options: LimeOptions = {}): LimeExplanation {
  const p = background.cols, n = options.nSamples ?? 1000, cls = options.classIndex ?? 1;
  if (!(row >= 0 && row < background.rows)) throw new CustlabError("E_OPTION", `limeExplain: row ${row} is outside 0..${background.rows - 1}`);
  const mean = new Float64Array(p), sd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0, s2 = 0, c = 0;
    for (let i = 0; i < background.rows; i++) { const v = background.data[i * p + j]; if (Number.isFinite(v)) { s += v; s2 += v * v; c++; } }
    mean[j] = c ? s / c : 0; sd[j] = c > 1 ? Math.sqrt(Math.max(0, s2 / c - mean[j] ** 2)) || 1 : 1;
  }
  const rng = createRng(options.seed ?? 42), x0 = background.data.subarray(row * p, (row + 1) * p);
  const S: Matrix = { data: new Float64Array(n * p), rows: n, cols: p }, Z: Matrix = { data: new Float64Array(n * p), rows: n, cols: p };
  const width = options.kernelWidth ?? 0.75 * Math.sqrt(p), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let j = 0; j < p; j++) {
      const z = i === 0 ? 0 : rng.normal(), base = Number.isFinite(x0[j]) ? x0[j] : mean[j];
      S.data[i * p + j] = base + z * sd[j];
      Z.data[i * p + j] = (base - mean[j]) / sd[j] + z;
      d2 += z * z;
    }
    w[i] = Math.exp(-d2 / (width * width));
  }
  const P = probaOf(model, S), k = P.length / n;
  if (!(cls >= 0 && cls < k)) throw new CustlabError("E_OPTION", `limeExplain: classIndex ${cls} is outside 0..${k - 1}`);
  const target = Float64Array.from({ length: n }, (_, i) => P[i * k + cls]);
  const lin = new LinearRegressor({ alpha: options.alpha ?? 1 }).fit(Z, target, { sampleWeight: w });
  const fit = lin.predict(Z);
  let sw = 0, m = 0;
  for (let i = 0; i < n; i++) { sw += w[i]; m += w[i] * target[i]; }
  m /= sw;
  let res = 0, tot = 0;
  for (let i = 0; i < n; i++) { res += w[i] * (target[i] - fit[i]) ** 2; tot += w[i] * (target[i] - m) ** 2; }
  return { coef: lin.coef_!, localPrediction: fit[0], modelPrediction: target[0], score: tot > 0 ? 1 - res / tot : 1 };
}
