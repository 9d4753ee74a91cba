import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DecisionTreeClassifier, HistGradientBoostingClassifier, RandomForestClassifier } from "../src/models";
import type { TreeArrays } from "../src/models";
import { compileTreeShap, treeShapRange, treeShapScratch } from "../src/models/treeshap";
import { explainModel, readXGBoostModel, treeShap, treeEnsembleOf } from "../src/explain";
import { CustlabError } from "../src/util/errors";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";
import { algorithm2Row, bruteShap, maxDiff } from "./helpers/treeshap-reference";

// The oracles: brute-force Shapley values of the path-dependent value function (cover-weighted
// expectations, all 2^p coalitions) and Lundberg et al.'s Algorithm 2 as written in the paper; XGBoost's
// own pred_contribs for models it trained (fixture made by test/fixtures/explain/xgb_shap.py).

function data(seed: number, n: number, p: number, missing = 0.05): { X: Matrix; y: Float64Array; ym: Float64Array } {
  const rng = createRng(seed);
  const X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p };
  const y = new Float64Array(n), ym = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = X.data.subarray(i * p, (i + 1) * p);
    for (let j = 0; j < p; j++) r[j] = j % 4 === 3 ? rng.int(5) : rng.normal();
    let z = 0;
    for (let j = 0; j < p; j++) z += (j % 2 ? -0.6 : 0.8) * r[j] / (1 + j / 3);
    z += r[0] * r[1] + (r[2 % p] > 0.3 ? 0.7 : -0.2);
    for (let j = 0; j < p; j++) if (rng.next() < missing) r[j] = NaN;
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    ym[i] = z < -0.7 ? 0 : z < 0.7 ? 1 : 2;
  }
  return { X, y, ym };
}

const row = (X: Matrix, i: number) => X.data.subarray(i * X.cols, (i + 1) * X.cols);

describe("TreeSHAP equals the brute-force oracle (1e-9) across models and shapes", () => {
  const cases: { name: string; p: number; make: (X: Matrix, y: Float64Array, ym: Float64Array) => unknown; classIndex?: number }[] = [
    { name: "gbdt 31 leaves", p: 8, make: (X, y) => new HistGradientBoostingClassifier({ maxIter: 25, earlyStopping: false, seed: 1 }).fit(X, y) },
    { name: "gbdt 4 leaves, shallow", p: 6, make: (X, y) => new HistGradientBoostingClassifier({ maxIter: 40, maxLeafNodes: 4, earlyStopping: false }).fit(X, y) },
    { name: "gbdt max depth 3 + l2", p: 7, make: (X, y) => new HistGradientBoostingClassifier({ maxIter: 30, maxDepth: 3, l2Regularization: 1, earlyStopping: false }).fit(X, y) },
    { name: "gbdt multiclass, class 2", p: 6, classIndex: 2, make: (X, _y, ym) => new HistGradientBoostingClassifier({ maxIter: 10, maxLeafNodes: 12, earlyStopping: false }).fit(X, ym) },
    { name: "random forest, depth 8", p: 8, make: (X, y) => new RandomForestClassifier({ nEstimators: 12, maxDepth: 8, seed: 3 }).fit(X, y) },
    { name: "deep decision tree (entropy), class 0 of 3", p: 9, classIndex: 0, make: (X, _y, ym) => new DecisionTreeClassifier({ criterion: "entropy" }).fit(X, ym) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { X, y, ym } = data(11 + c.p, 900, c.p);
      const model = c.make(X, y, ym);
      const ens = treeEnsembleOf(model, c.classIndex)!;
      const sv = treeShap(model, X, { classIndex: c.classIndex, nThreads: 1 });
      // additivity against the model's own output
      const own = (model as { shapValues(X: Matrix, o?: object): { values: Matrix; expectedValue: number } }).shapValues(X, c.classIndex !== undefined ? { classIndex: c.classIndex } : undefined);
      expect(sv.expectedValue).toBeCloseTo(own.expectedValue, 12);
      expect(maxDiff(sv.values.data, own.values.data)).toBeLessThan(1e-12);
      const rows = [0, 7, 101, 333, 512, 899];
      for (const i of rows) {
        const bf = bruteShap(ens.trees, row(X, i), c.p, ens.out, ens.scale);
        expect(maxDiff(sv.values.data.subarray(i * c.p, (i + 1) * c.p), bf)).toBeLessThan(1e-9);
        const a2 = new Float64Array(c.p);
        for (const t of ens.trees) algorithm2Row(t, row(X, i), ens.out, a2, ens.scale);
        expect(maxDiff(a2, bf)).toBeLessThan(1e-9);
      }
    });
  }
});

/** A tree whose deepest path splits on `d` distinct features (a caterpillar), with random covers and values. */
function caterpillar(d: number, seed: number): TreeArrays {
  const rng = createRng(seed);
  const n = 2 * d + 1;
  const t: TreeArrays = { nodeCount: n, outDim: 1, feature: new Int32Array(n).fill(-1), threshold: new Float64Array(n), missingLeft: new Uint8Array(n), left: new Int32Array(n).fill(-1), right: new Int32Array(n).fill(-1), value: new Float64Array(n), cover: new Float64Array(n), maxDepth: d };
  // node 2k splits on feature k (every other level repeats an earlier feature with a tighter threshold), leaf 2k+1, spine continues at 2k+2
  for (let k = 0; k < d; k++) {
    const nd = 2 * k;
    t.feature[nd] = k % 5 === 4 ? k - 2 : k;
    t.threshold[nd] = rng.normal() * 0.5;
    t.missingLeft[nd] = rng.next() < 0.5 ? 1 : 0;
    t.left[nd] = 2 * k + 1; t.right[nd] = 2 * k + 2;
  }
  t.cover[n - 1] = 1 + rng.int(50);
  for (let k = d - 1; k >= 0; k--) { t.cover[2 * k + 1] = 1 + rng.int(50); t.cover[2 * k] = t.cover[2 * k + 1] + t.cover[2 * k + 2]; }
  for (let i = 0; i < n; i++) if (t.left[i] < 0) t.value[i] = rng.normal();
  return t;
}

describe("paths longer than brute force can enumerate", () => {
  it("caterpillar trees with up to 39 unique features on a path equal the paper's Algorithm 2 (1e-9), tabulated or not, on 1 or 2 threads", () => {
    for (const d of [12, 24, 40, 48]) {
      const p = d;
      const trees = [caterpillar(d, d), caterpillar(d, d + 100)];
      const rng = createRng(d);
      const n = 120;
      const X: Matrix = { data: Float64Array.from({ length: n * p }, () => (rng.next() < 0.05 ? NaN : rng.normal() * 0.6)), rows: n, cols: p };
      const ref = new Float64Array(n * p);
      for (let i = 0; i < n; i++) for (const t of trees) algorithm2Row(t, row(X, i), 0, ref.subarray(i * p, (i + 1) * p));
      for (const rows of [1, n]) {
        const c = compileTreeShap(trees, { rows });
        const phi = new Float64Array(n * p);
        treeShapRange(c, X.data, p, 0, n, phi, p, 0, treeShapScratch(c));
        expect(maxDiff(phi, ref)).toBeLessThan(1e-9);
      }
    }
  });
  it("the leaf tables (2^d outcomes) and the direct leaf step agree to 1e-12; values do not depend on the thread count", () => {
    const { X, y } = data(5, 3000, 12, 0.03);
    const m = new HistGradientBoostingClassifier({ maxIter: 30, earlyStopping: false }).fit(X, y);
    const trees = m.trees_!.map((t) => t[0]);
    const direct = compileTreeShap(trees, { rows: 1 }), tabled = compileTreeShap(trees, { rows: 1e6 });
    expect(direct.table.length).toBe(1);
    expect(tabled.table.length).toBeGreaterThan(1000);
    const a = new Float64Array(X.rows * 12), b = new Float64Array(X.rows * 12);
    treeShapRange(direct, X.data, 12, 0, X.rows, a, 12, 0, treeShapScratch(direct));
    treeShapRange(tabled, X.data, 12, 0, X.rows, b, 12, 0, treeShapScratch(tabled));
    expect(maxDiff(a, b)).toBeLessThan(1e-12);
    const one = treeShap(m, X, { nThreads: 1 }), two = treeShap(m, X, { nThreads: 2 });
    expect(one.threads).toBe(1);
    if (fs.existsSync(path.join(__dirname, "../dist/explain/treeshap-worker.js"))) expect(two.threads).toBe(2);
    expect(maxDiff(one.values.data, two.values.data)).toBe(0);
    // and each row adds up to the model's log-odds
    const raw = m.decisionFunction(X);
    for (let i = 0; i < X.rows; i += 97) {
      let s = one.expectedValue;
      for (let j = 0; j < 12; j++) s += one.values.data[i * 12 + j];
      expect(s).toBeCloseTo(raw[i], 9);
    }
  });
});

describe("XGBoost models (fixture: xgb_shap.py, XGBoost 1.7.4)", () => {
  const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/explain/xgb-shap.json"), "utf8"));
  const p = fx.rows[0].length;
  const X: Matrix = { data: Float64Array.from(fx.rows.flat(), (v: number | null) => (v === null ? NaN : v)), rows: fx.rows.length, cols: p };
  for (const name of ["depthwise", "lossguide", "multiclass"]) {
    it(`${name}: margins and pred_contribs match XGBoost (float32), values equal brute force (1e-9)`, () => {
      const c = fx.cases[name];
      const xm = readXGBoostModel(c.model);
      const margin = xm.decisionFunction(X);
      expect(maxDiff(margin, (c.margin as number[] | number[][]).flat())).toBeLessThan(2e-5);
      const G = xm.nGroups;
      for (let g = 0; g < G; g++) {
        const sv = explainModel(xm, X, { classIndex: G > 1 ? g : undefined });
        expect(sv.method).toBe("tree");
        const ens = treeEnsembleOf(xm, G > 1 ? g : undefined)!;
        for (let i = 0; i < X.rows; i++) {
          const ref: number[] = G > 1 ? c.contribs[i][g] : c.contribs[i];
          expect(maxDiff(sv.values.data.subarray(i * p, (i + 1) * p), ref.slice(0, p))).toBeLessThan(2e-5);
          expect(sv.baseValue).toBeCloseTo(ref[p], 5);
          if (i % 8 === 0) expect(maxDiff(sv.values.data.subarray(i * p, (i + 1) * p), bruteShap(ens.trees, row(X, i), p, 0, 1))).toBeLessThan(1e-9);
        }
      }
    });
  }
  it("bad models: one clear error", () => {
    const c = fx.cases.depthwise.model;
    expect(() => readXGBoostModel("{not json")).toThrow(CustlabError);
    expect(() => readXGBoostModel({ learner: {} })).toThrow(/not an XGBoost JSON model/);
    expect(() => readXGBoostModel({ ...c, learner: { ...c.learner, objective: { name: "rank:pairwise" } } })).toThrow(/objective "rank:pairwise" is not supported/);
    expect(() => readXGBoostModel("/no/such/model.json")).toThrow(/cannot read XGBoost model \/no\/such\/model.json/);
    const xm = readXGBoostModel(c);
    expect(() => treeShap(xm, { data: new Float64Array(4), rows: 2, cols: 2 })).toThrow(/2 columns but the trees split on feature/);
    expect(() => treeShap({ predictProba: () => new Float64Array(0) }, X)).toThrow(/needs a tree model/);
  });
});
