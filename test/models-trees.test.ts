import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DecisionTreeClassifier, HistGradientBoostingClassifier, RandomForestClassifier, modelFromJSON } from "../src/models";
import type { Matrix } from "../src/util/matrix";
import { positiveProba } from "../src/util/estimator";
import { bruteShap, maxDiff } from "./helpers/treeshap-reference";

// Deterministic toy data shared with the scikit-learn 1.2.1 reference script (values in models-hgb-sklearn.json):
//   x0 = 3 sin(0.37 i), x1 = cos(0.11 i) + (7i mod 13)/13, x2 = 31i mod 17, x3 = NaN if i mod 9 = 0 else sin(1.7 i)
//   s = x0 + 2 x1 − 0.1 x2 + (x3 or 1) + 2·noise_i;  yb = s > 0;  ym = 0 if s < −1, 1 if s < 1.5, else 2
//   sklearn: HistGradientBoostingClassifier(random_state=0).fit(X, yb).predict_proba(X)[:, 1]
//            HistGradientBoostingClassifier(learning_rate=0.2, max_iter=30, max_leaf_nodes=7, l2_regularization=1).fit(X, ym).predict_proba(X)
const n = 400;
const frac = (v: number) => v - Math.floor(v);
const X: Matrix = { data: new Float64Array(n * 4), rows: n, cols: 4, columns: ["x0", "x1", "x2", "x3"] };
const yb = new Float64Array(n), ym = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const x0 = Math.sin(i * 0.37) * 3, x1 = Math.cos(i * 0.11) + ((i * 7) % 13) / 13, x2 = (i * 31) % 17, x3 = i % 9 === 0 ? NaN : Math.sin(i * 1.7);
  const noise = frac(Math.sin(i * 12.9898) * 43758.5453) - 0.5;
  X.data.set([x0, x1, x2, x3], i * 4);
  const s = x0 + 2 * x1 - 0.1 * x2 + (Number.isNaN(x3) ? 1 : x3) + 2 * noise;
  yb[i] = s > 0 ? 1 : 0;
  ym[i] = s < -1 ? 0 : s < 1.5 ? 1 : 2;
}
// rounded copy: every feature has ≤ 255 distinct values, where binned splits are exact CART splits
const Xr: Matrix = { ...X, data: X.data.map((v) => Math.round(v * 10) / 10) };
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, "models-hgb-sklearn.json"), "utf8"));


describe("HistGradientBoostingClassifier vs scikit-learn", () => {
  it("binary log-loss with missing values: probabilities match sklearn to 1e-5", () => {
    const m = new HistGradientBoostingClassifier().fit(X, yb);
    expect(maxDiff(positiveProba(m, X), ref.bin)).toBeLessThan(1e-5);
    expect(m.nIter_).toBe(ref.bin_iter);
  });
  it("multinomial with l2 and 7 leaves: probabilities match sklearn to 1e-6", () => {
    const m = new HistGradientBoostingClassifier({ learningRate: 0.2, maxIter: 30, maxLeafNodes: 7, l2Regularization: 1 }).fit(X, ym);
    expect(maxDiff(m.predictProba(X), ref.multi)).toBeLessThan(1e-6);
  });
  it("early stopping stops on the validation loss and reports it", () => {
    const events: number[] = [];
    const m = new HistGradientBoostingClassifier({ earlyStopping: true, maxIter: 500, learningRate: 0.3, nIterNoChange: 5, seed: 3 }).fit(X, yb, { onProgress: (e) => events.push(e.metrics!.val_loss) });
    expect(m.nIter_!).toBeLessThan(500);
    expect(m.validationLoss_!.length).toBe(m.nIter_);
    expect(events.length).toBe(m.nIter_);
    // the last nIterNoChange iterations did not beat the reference by more than tol
    const v = m.validationLoss_!, ref0 = v[v.length - 6];
    expect(Math.min(...v.slice(-5))).toBeGreaterThanOrEqual(ref0 - 1e-7);
  });
});

describe("exact TreeSHAP", () => {
  it("GBDT (log-odds): rows sum to decision − expected value, and equal brute-force Shapley values", () => {
    const m = new HistGradientBoostingClassifier({ maxIter: 20, maxLeafNodes: 6 }).fit(X, yb);
    const s = m.shapValues(X);
    const raw = m.decisionFunction(X);
    for (let i = 0; i < n; i++) {
      let sum = s.expectedValue;
      for (let j = 0; j < 4; j++) sum += s.values.data[i * 4 + j];
      expect(sum).toBeCloseTo(raw[i], 9);
    }
    const trees = m.trees_!.map((t) => t[0]);
    for (const i of [0, 5, 17, 99]) {
      const bf = bruteShap(trees, X.data.subarray(i * 4, i * 4 + 4), 4, 0, 1);
      expect(maxDiff(s.values.data.subarray(i * 4, i * 4 + 4), bf)).toBeLessThan(1e-9);
    }
    expect(s.space).toBe("log-odds");
  });
  it("random forest (probability) and a deep tree: additivity + brute force", () => {
    const rf = new RandomForestClassifier({ nEstimators: 10, maxDepth: 6, seed: 1 }).fit(X, yb);
    const s = rf.shapValues(X);
    const p = positiveProba(rf, X);
    for (let i = 0; i < n; i++) {
      let sum = s.expectedValue;
      for (let j = 0; j < 4; j++) sum += s.values.data[i * 4 + j];
      expect(sum).toBeCloseTo(p[i], 9);
    }
    for (const i of [1, 9, 200]) {
      const bf = bruteShap(rf.trees_!, X.data.subarray(i * 4, i * 4 + 4), 4, 1, 1 / 10);
      expect(maxDiff(s.values.data.subarray(i * 4, i * 4 + 4), bf)).toBeLessThan(1e-9);
    }
    const tree = new DecisionTreeClassifier({ criterion: "entropy" }).fit(X, ym);
    const st = tree.shapValues(X, { classIndex: 2 });
    const pt = tree.predictProba(X);
    for (let i = 0; i < n; i++) {
      let sum = st.expectedValue;
      for (let j = 0; j < 4; j++) sum += st.values.data[i * 4 + j];
      expect(sum).toBeCloseTo(pt[i * 3 + 2], 9);
    }
  });
});

describe("DecisionTree and RandomForest", () => {
  it("an unrestricted tree fits the training data exactly (distinct rows)", () => {
    const t = new DecisionTreeClassifier().fit(X, ym);
    const pred = t.predict(X);
    let ok = 0;
    for (let i = 0; i < n; i++) ok += pred[i] === ym[i] ? 1 : 0;
    expect(ok).toBe(n);
  });
  it("a depth-1 gini stump picks the best threshold (checked by exhaustive search; ≤ 255 distinct values → exact)", () => {
    const X = { ...Xr };
    const t = new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, yb);
    // exhaustive search over all midpoints of all features (non-missing rows only, missing sent either side)
    let best = Infinity;
    const gini = (a: number, b: number) => (a + b === 0 ? 0 : (a + b) * (1 - (a / (a + b)) ** 2 - (b / (a + b)) ** 2));
    for (let j = 0; j < 4; j++) {
      const vals = [...new Set(Array.from({ length: n }, (_, i) => X.data[i * 4 + j]).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
      for (let q = 0; q + 1 <= vals.length; q++) {
        const th = q + 1 < vals.length ? (vals[q] + vals[q + 1]) / 2 : Infinity;
        for (const missLeft of [false, true]) {
          let l0 = 0, l1 = 0, r0 = 0, r1 = 0;
          for (let i = 0; i < n; i++) {
            const v = X.data[i * 4 + j];
            const left = Number.isNaN(v) ? missLeft : v <= th;
            if (left) { if (yb[i]) l1++; else l0++; } else { if (yb[i]) r1++; else r0++; }
          }
          if (l0 + l1 === 0 || r0 + r1 === 0) continue;
          best = Math.min(best, gini(l0, l1) + gini(r0, r1));
        }
      }
    }
    const tr = t.tree_!;
    const L = tr.left[0], R = tr.right[0];
    const g = (node: number) => { const c = tr.cover[node], p1 = tr.value[node * 2 + 1]; return c * (1 - p1 ** 2 - (1 - p1) ** 2); };
    expect(g(L) + g(R)).toBeCloseTo(best, 9);
  });
  it("balanced class weights raise minority recall", () => {
    const yImb = Float64Array.from(ym, (v) => (v === 2 ? 1 : 0));
    const plain = new DecisionTreeClassifier({ maxDepth: 2 }).fit(X, yImb).predict(X);
    const bal = new DecisionTreeClassifier({ maxDepth: 2, classWeight: "balanced" }).fit(X, yImb).predict(X);
    const recall = (p: Float64Array) => { let tp = 0, pos = 0; for (let i = 0; i < n; i++) if (yImb[i]) { pos++; tp += p[i]; } return tp / pos; };
    expect(recall(bal)).toBeGreaterThan(recall(plain));
  });
  it("forest: same seed → identical, different seed → different; JSON round trip", () => {
    const a = new RandomForestClassifier({ nEstimators: 20, seed: 5 }).fit(X, ym);
    const b = new RandomForestClassifier({ nEstimators: 20, seed: 5 }).fit(X, ym);
    const c = new RandomForestClassifier({ nEstimators: 20, seed: 6 }).fit(X, ym);
    expect(Array.from(a.predictProba(X))).toEqual(Array.from(b.predictProba(X)));
    expect(maxDiff(a.predictProba(X), c.predictProba(X))).toBeGreaterThan(0);
    const back = modelFromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(back.predictProba(X))).toEqual(Array.from(a.predictProba(X)));
    const g = new HistGradientBoostingClassifier({ maxIter: 10 }).fit(X, ym);
    expect(Array.from(modelFromJSON(JSON.parse(JSON.stringify(g.toJSON()))).predictProba(X))).toEqual(Array.from(g.predictProba(X)));
  });
});
