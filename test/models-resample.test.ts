/**
 * Class imbalance: random over/under-sampling and SMOTE (planted truth: class counts, every SMOTE row
 * on the segment between a minority row and one of its k nearest same-class neighbours), applied inside
 * the cross-validation folds only — a planted leak (oversampling before the split lets a deep tree
 * memorise duplicated test rows of pure-noise data) shows the test can see a leak, and crossValidate's
 * resample option does not have it. Plus `custlab train --class-weight / --resample`.
 */
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resampleClasses, DecisionTreeClassifier, LogisticRegression } from "../src/models";
import { crossValidate, rocAucScore } from "../src/eval";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";
import { run as train } from "../src/cli/commands/train";
import { runJSON, runCLI } from "./helpers/cli";

function noise(n: number, p: number, share: number, seed: number): { X: Matrix; y: Float64Array } {
  const r = createRng(seed), X: Matrix = { data: new Float64Array(n * p), rows: n, cols: p }, y = new Float64Array(n);
  for (let i = 0; i < n; i++) { for (let j = 0; j < p; j++) X.data[i * p + j] = r.normal(); y[i] = r.next() < share ? 1 : 0; }
  return { X, y };
}
const count = (y: ArrayLike<number>, c: number) => Array.from(y).filter((v) => v === c).length;

describe("resampleClasses", () => {
  const { X, y } = noise(300, 3, 0.1, 1);
  const y3 = Float64Array.from(y, (v, i) => (v === 1 ? 1 : i % 7 === 0 ? 2 : 0));
  const sizes = [0, 1, 2].map((c) => count(y3, c));
  it("over and SMOTE grow every class to the largest; under shrinks to the smallest; same seed → same rows", () => {
    for (const method of ["over", "smote"] as const) {
      const r = resampleClasses(X, y3, { method, seed: 3 });
      for (const c of [0, 1, 2]) expect(count(r.y, c), `${method} class ${c}`).toBe(Math.max(...sizes));
      expect(r.synthetic).toBe(method === "smote" ? 3 * Math.max(...sizes) - 300 : 0);
      expect(Array.from(resampleClasses(X, y3, { method, seed: 3 }).X.data)).toEqual(Array.from(r.X.data));
    }
    const u = resampleClasses(X, y3, { method: "under", seed: 3 });
    for (const c of [0, 1, 2]) expect(count(u.y, c)).toBe(Math.min(...sizes));
    // under-sampling keeps original rows unchanged
    for (let t = 0; t < u.y.length; t++) expect(Array.from(u.X.data.subarray(t * 3, t * 3 + 3))).toEqual(Array.from(X.data.subarray(u.source[t] * 3, u.source[t] * 3 + 3)));
  });
  it("every SMOTE row lies between its source row and one of the source's k nearest same-class neighbours", () => {
    const k = 4, r = resampleClasses(X, y, { method: "smote", kNeighbors: k, seed: 9 });
    const minority = Array.from({ length: 300 }, (_, i) => i).filter((i) => y[i] === 1);
    const d2 = (a: number, b: number) => { let s = 0; for (let j = 0; j < 3; j++) s += (X.data[a * 3 + j] - X.data[b * 3 + j]) ** 2; return s; };
    let checked = 0;
    for (let t = r.y.length - r.synthetic; t < r.y.length; t++) {
      const s = r.source[t];
      expect(y[s]).toBe(1);
      const nn = minority.filter((j) => j !== s).sort((a, b) => d2(s, a) - d2(s, b) || a - b).slice(0, k);
      const ok = nn.some((j) => {
        // the point is s + u (j − s) for one u in [0, 1]
        let u = NaN;
        for (let q = 0; q < 3; q++) { const den = X.data[j * 3 + q] - X.data[s * 3 + q]; if (Math.abs(den) > 1e-9) { u = (r.X.data[t * 3 + q] - X.data[s * 3 + q]) / den; break; } }
        if (!(u >= -1e-12 && u <= 1 + 1e-12)) return false;
        for (let q = 0; q < 3; q++) if (Math.abs(X.data[s * 3 + q] + u * (X.data[j * 3 + q] - X.data[s * 3 + q]) - r.X.data[t * 3 + q]) > 1e-9) return false;
        return true;
      });
      expect(ok, `synthetic row ${t}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
    const m0 = minority[0];
    expect(() => resampleClasses({ ...X, data: X.data.map((v, i) => (i === m0 * 3 + 1 ? NaN : v)) }, y, { method: "smote" })).toThrow(new RegExp(`row ${m0}, column 1\\); impute first`));
  });
});

describe("resampling inside the CV folds only (planted leak)", () => {
  // pure noise, 15% positives: no model can rank better than chance out of sample
  const { X, y } = noise(600, 5, 0.15, 7);
  const deepTree = () => new DecisionTreeClassifier({ maxDepth: 30, minSamplesLeaf: 1 });
  it("oversampling BEFORE the split leaks (duplicated test rows are memorised): AUC far above 0.5 — the test can see a leak", async () => {
    const r = resampleClasses(X, y, { method: "over", seed: 1 });
    const cv = await crossValidate(deepTree, r.X, r.y, { folds: 5, seed: 42 });
    console.log(`leaky (resample then split): AUC ${cv.mean.auc.toFixed(4)}`);
    expect(cv.mean.auc).toBeGreaterThan(0.7);
  });
  for (const method of ["over", "smote", "under"] as const) {
    it(`crossValidate({ resample: ${method} }) resamples training folds only: AUC ≈ 0.5 on noise`, async () => {
      const cv = await crossValidate(deepTree, X, y, { folds: 5, seed: 42, resample: { method } });
      console.log(`${method} inside folds: AUC ${cv.mean.auc.toFixed(4)}`);
      expect(Math.abs(cv.mean.auc - 0.5)).toBeLessThan(0.08);
      // every out-of-fold prediction belongs to an original row, scored once
      expect(cv.oof.length).toBe(600);
    });
  }
  it("on a planted signal with a rare class, class weights and resampling keep the ranking and lift minority recall", async () => {
    const r = createRng(5), n = 1500, p = 4, Xs: Matrix = { data: new Float64Array(n * p), rows: n, cols: p }, ys = new Float64Array(n);
    for (let i = 0; i < n; i++) { for (let j = 0; j < p; j++) Xs.data[i * p + j] = r.normal(); ys[i] = Xs.data[i * p] + 0.5 * Xs.data[i * p + 1] + r.normal() > 2.2 ? 1 : 0; }
    const plain = await crossValidate(() => new LogisticRegression(), Xs, ys, { folds: 5, seed: 42 });
    const weighted = await crossValidate(() => new LogisticRegression({ classWeight: "balanced" }), Xs, ys, { folds: 5, seed: 42 });
    const smote = await crossValidate(() => new LogisticRegression(), Xs, ys, { folds: 5, seed: 42, resample: { method: "smote" } });
    const recall = (oof: Float64Array) => { let tp = 0, pos = 0; for (let i = 0; i < n; i++) if (ys[i] === 1) { pos++; if (oof[i] >= 0.5) tp++; } return tp / pos; };
    console.log(`rare class ${(count(ys, 1) / n).toFixed(3)}: recall plain ${recall(plain.oof).toFixed(3)}, balanced ${recall(weighted.oof).toFixed(3)}, smote ${recall(smote.oof).toFixed(3)}; AUC ${rocAucScore(ys, plain.oof).toFixed(4)} / ${rocAucScore(ys, weighted.oof).toFixed(4)} / ${rocAucScore(ys, smote.oof).toFixed(4)}`);
    expect(recall(weighted.oof)).toBeGreaterThan(recall(plain.oof) + 0.2);
    expect(recall(smote.oof)).toBeGreaterThan(recall(plain.oof) + 0.2);
    expect(Math.abs(rocAucScore(ys, weighted.oof) - rocAucScore(ys, plain.oof))).toBeLessThan(0.02);
  });
});

const telco = path.resolve(__dirname, "../../shared/datasets/telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
describe.skipIf(!fs.existsSync(telco))("custlab train --class-weight / --resample", () => {
  it("balanced class weights raise the churners' recall; --resample smote runs inside the folds; bad values are one-line errors", async () => {
    const base = ["--table", telco, "--target", "Churn", "--id", "customerID", "--model", "tree", "--json"];
    const a = await runJSON(train, base);
    const b = await runJSON(train, [...base, "--class-weight", "balanced"]);
    const c = await runJSON(train, [...base, "--resample", "smote"]);
    console.log(`telco tree: recall(Yes) plain ${a.per_class.Yes.recall.toFixed(3)}, balanced ${b.per_class.Yes.recall.toFixed(3)}, smote ${c.per_class.Yes.recall.toFixed(3)}`);
    expect(b.class_weight).toBe("balanced");
    expect(c.resample).toBe("smote");
    expect(b.per_class.Yes.recall).toBeGreaterThan(a.per_class.Yes.recall + 0.1);
    expect(c.per_class.Yes.recall).toBeGreaterThan(a.per_class.Yes.recall + 0.1);
    const bad = await runCLI(train, [...base, "--resample", "smoot"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--resample: unknown method "smoot"/);
    void os;
  }, 180_000);
});
