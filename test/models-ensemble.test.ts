import { describe, expect, it } from "vitest";
import { DecisionTreeClassifier, HistGradientBoostingClassifier, LogisticRegression, RandomForestClassifier, StackingClassifier, VotingClassifier, cloneModel, createModel, modelFromJSON, MODEL_NAMES } from "../src/models";
import { createRng } from "../src/util/random";
import { positiveProba } from "../src/util/estimator";
import type { Matrix } from "../src/util/matrix";

function auc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  let num = 0, pairs = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) for (let j = 0; j < y.length; j++) if (y[j] === 0) { pairs++; num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0; }
  return num / pairs;
}

// Additive signal + an interaction: linear models get part, trees get the rest.
function data(n: number, seed: number, k = 2): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed), p = 5, X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p }, y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: p }, () => rng.normal());
    X.data.set(x, i * p);
    const s = 1.2 * x[0] - 0.8 * x[1] + 1.5 * (x[2] > 0 && x[3] > 0 ? 1 : 0) + 0.8 * rng.normal();
    y[i] = k === 2 ? (s > 0.4 ? 1 : 0) : s < -0.5 ? 0 : s < 1 ? 1 : 2;
  }
  return { X, y };
}

describe("ensembles", () => {
  it("soft voting = weighted mean of the members' probabilities", async () => {
    const { X, y } = data(500, 1, 3);
    const members = [new LogisticRegression(), new DecisionTreeClassifier({ maxDepth: 4 }), new HistGradientBoostingClassifier({ maxIter: 20 })];
    const vote = await new VotingClassifier({ estimators: members, weights: [1, 2, 3] }).fit(X, y);
    const ps = members.map((m) => cloneModel(m).fit(X, y).predictProba(X));
    const p = vote.predictProba(X);
    expect(p.length).toBe(500 * 3);
    for (let i = 0; i < p.length; i++) expect(p[i]).toBeCloseTo((ps[0][i] + 2 * ps[1][i] + 3 * ps[2][i]) / 6, 12);
    const back = modelFromJSON(JSON.parse(JSON.stringify(vote.toJSON())));
    expect(Array.from(back.predictProba(X))).toEqual(Array.from(p));
  });

  it("stacking on out-of-fold probabilities beats or matches its best member on held-out rows", async () => {
    const tr = data(1500, 2), te = data(1500, 3);
    const base = [new LogisticRegression(), new RandomForestClassifier({ nEstimators: 60, minSamplesLeaf: 5, seed: 1 })];
    const st = await new StackingClassifier({ estimators: base, cv: 5, seed: 4 }).fit(tr.X, tr.y);
    const aStack = auc(te.y, positiveProba(st, te.X));
    const aBase = base.map((m) => auc(te.y, positiveProba(cloneModel(m).fit(tr.X, tr.y), te.X)));
    expect(aStack).toBeGreaterThan(Math.max(...aBase) - 0.005);
    // the meta model is a logistic regression on 2 inputs, both with positive weight
    const meta = st.finalEstimator_ as LogisticRegression;
    expect(meta.coef_!.length).toBe(2);
    expect(meta.coef_![0]).toBeGreaterThan(0);
    expect(meta.coef_![1]).toBeGreaterThan(0);
    const back = modelFromJSON(JSON.parse(JSON.stringify(st.toJSON())));
    expect(Array.from(back.predictProba(te.X))).toEqual(Array.from(st.predictProba(te.X)));
  });

  it("the zoo builds every named model", () => {
    for (const name of MODEL_NAMES) expect(createModel(name, { seed: 1 })).toBeTruthy();
    expect(() => createModel("svm")).toThrow(/unknown model "svm"/);
  });
});
