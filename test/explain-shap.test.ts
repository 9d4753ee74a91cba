import { describe, it, expect } from "vitest";
import { positiveProba } from "../src/util/estimator";
import { Table } from "../src/table";
import { createRng } from "../src/util/random";
import type { Matrix } from "../src/util/matrix";
import { takeRows } from "../src/util/matrix";
import { kernelShap, explainModel, permutationImportance, reasonCodes, shapBarFigure, shapBeeswarmFigure, shapWaterfallFigure, permutationImportanceFigure } from "../src/explain";
import { LogisticRegression, HistGradientBoostingClassifier } from "../src/models";

function data(seed: number, n: number, p: number, coef: number[]): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed);
  const X = { data: new Float64Array(n * p), rows: n, cols: p, columns: Array.from({ length: p }, (_, j) => `f${j}`) };
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = -0.3;
    for (let j = 0; j < p; j++) { const v = rng.normal() * (1 + j * 0.2) + j * 0.1; X.data[i * p + j] = v; z += (coef[j] ?? 0) * v; }
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X, y };
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("Kernel SHAP oracles", () => {
  it("logistic regression, independent features: SHAP (log-odds) = coef × (x − background mean), exact enumeration", () => {
    const { X, y } = data(1, 600, 5, [1.2, -0.8, 0.5, 0, 2]);
    const lr = new LogisticRegression({ C: 10 }).fit(X, y);
    const bg = takeRows(X, Array.from({ length: 80 }, (_, i) => i * 7));
    const rows = takeRows(X, [3, 50, 99, 250]);
    const ex = kernelShap(lr, rows, bg, { space: "log-odds" });
    const mean = new Float64Array(5);
    for (let b = 0; b < bg.rows; b++) for (let j = 0; j < 5; j++) mean[j] += bg.data[b * 5 + j] / bg.rows;
    for (let i = 0; i < rows.rows; i++) for (let j = 0; j < 5; j++) {
      expect(ex.values.data[i * 5 + j]).toBeCloseTo(lr.coef_![j] * (rows.data[i * 5 + j] - mean[j]), 8);
    }
  });
  it("the same with sampled coalitions (p = 16 > exactLimit)", () => {
    const coef = Array.from({ length: 16 }, (_, j) => (j % 3 === 0 ? 0.6 : -0.3) * (j % 5 === 4 ? 0 : 1));
    const { X, y } = data(2, 800, 16, coef);
    const lr = new LogisticRegression({ C: 10 }).fit(X, y);
    const bg = takeRows(X, Array.from({ length: 30 }, (_, i) => i * 11));
    const rows = takeRows(X, [5, 77]);
    const ex = kernelShap(lr, rows, bg, { nSamples: 600, seed: 3 });
    const mean = new Float64Array(16);
    for (let b = 0; b < bg.rows; b++) for (let j = 0; j < 16; j++) mean[j] += bg.data[b * 16 + j] / bg.rows;
    for (let i = 0; i < rows.rows; i++) for (let j = 0; j < 16; j++) expect(ex.values.data[i * 16 + j]).toBeCloseTo(lr.coef_![j] * (rows.data[i * 16 + j] - mean[j]), 6);
  });
  it("a non-linear model: equals brute-force Shapley values from the permutation formula, and adds up", () => {
    const f = (M: Matrix) => Float64Array.from({ length: M.rows }, (_, i) => { const r = M.data.subarray(i * 4, i * 4 + 4); return sigmoid(r[0] * r[1] + 0.5 * r[2] * r[2] - r[3] + (r[0] > 0 ? 0.7 : 0)); });
    const { X } = data(4, 60, 4, []);
    const bg = takeRows(X, Array.from({ length: 20 }, (_, i) => i));
    const x = takeRows(X, [40]);
    for (const space of ["log-odds", "probability"] as const) {
      const ex = kernelShap(f, x, bg, { space });
      const g = (p: number) => (space === "log-odds" ? Math.log(p / (1 - p)) : p);
      const v = (S: number) => {
        let s = 0;
        for (let b = 0; b < bg.rows; b++) {
          const row = Float64Array.from({ length: 4 }, (_, j) => (S & (1 << j) ? x.data[j] : bg.data[b * 4 + j]));
          s += g(f({ data: row, rows: 1, cols: 4 })[0]);
        }
        return s / bg.rows;
      };
      const fact = [1, 1, 2, 6, 24];
      for (let j = 0; j < 4; j++) {
        let phi = 0;
        for (let S = 0; S < 16; S++) {
          if (S & (1 << j)) continue;
          const size = [0, 1, 2, 3].filter((t) => S & (1 << t)).length;
          phi += ((fact[size] * fact[4 - size - 1]) / fact[4]) * (v(S | (1 << j)) - v(S));
        }
        expect(ex.values.data[j]).toBeCloseTo(phi, 9);
      }
      const sum = Array.from(ex.values.data).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(ex.outputs[0] - ex.baseValue, 12);
      expect(ex.baseValue).toBeCloseTo(v(0), 12);
    }
  });
});

describe("Kernel SHAP sampling", () => {
  it("sampled coalitions (p = 14) approach the exact enumeration on a non-linear model", () => {
    const p = 14;
    const f = (M: Matrix) => Float64Array.from({ length: M.rows }, (_, i) => {
      const r = M.data.subarray(i * p, (i + 1) * p);
      return sigmoid(r[0] * r[1] - 0.8 * r[2] + 0.5 * Math.abs(r[3]) + 0.3 * r[4] * r[5] * r[6] + 0.2 * (r[7] - r[8]) + (r[9] > 0.5 ? 0.6 : -0.2) + 0.1 * (r[10] + r[11] + r[12] + r[13]));
    });
    const { X } = data(9, 40, p, []);
    const bg = takeRows(X, Array.from({ length: 10 }, (_, i) => i));
    const x = takeRows(X, [30]);
    const exact = kernelShap(f, x, bg, { exactLimit: 14 });
    const sampled = kernelShap(f, x, bg, { nSamples: 6000, seed: 4 });
    let maxAbs = 0, maxErr = 0;
    for (let j = 0; j < p; j++) { maxAbs = Math.max(maxAbs, Math.abs(exact.values.data[j])); maxErr = Math.max(maxErr, Math.abs(exact.values.data[j] - sampled.values.data[j])); }
    expect(maxErr).toBeLessThan(0.05 * maxAbs);
    const sum = (a: Float64Array) => a.reduce((u, v) => u + v, 0);
    expect(sum(sampled.values.data)).toBeCloseTo(sum(exact.values.data), 10); // both add up to output − base
  });
});

describe("explainModel", () => {
  it("uses the model's exact TreeSHAP when offered; values add up to the log-odds output", () => {
    const { X, y } = data(5, 800, 4, [1, -1, 0.5, 0]);
    const gb = new HistGradientBoostingClassifier({ maxIter: 30, seed: 1 }).fit(X, y);
    const rows = takeRows(X, [0, 1, 2, 3, 4]);
    const ex = explainModel(gb, rows);
    expect(ex.method).toBe("tree");
    const p = positiveProba(gb, rows);
    for (let i = 0; i < 5; i++) {
      let s = ex.baseValue;
      for (let j = 0; j < 4; j++) s += ex.values.data[i * 4 + j];
      const target = ex.space === "log-odds" ? Math.log(p[i] / (1 - p[i])) : p[i];
      expect(s).toBeCloseTo(target, 6);
    }
    const kx = explainModel(gb, rows, { forceKernel: true, background: X, backgroundSize: 40, seed: 2 });
    expect(kx.method).toBe("kernel");
    for (let i = 0; i < 5; i++) {
      let s = kx.baseValue;
      for (let j = 0; j < 4; j++) s += kx.values.data[i * 4 + j];
      expect(s).toBeCloseTo(Math.log(p[i] / (1 - p[i])), 6);
    }
  });
});

describe("permutation importance", () => {
  it("a feature the model ignores has exactly zero importance", () => {
    const { X, y } = data(6, 500, 3, [2, 0, 0]);
    const model = (M: Matrix) => Float64Array.from({ length: M.rows }, (_, i) => sigmoid(2 * M.data[i * 3]));
    const imp = permutationImportance(model, X, y, { nRepeats: 4, seed: 1 });
    expect(imp.table.str("feature")[0]).toBe("f0");
    expect(imp.table.num("importance_mean")[0]).toBeGreaterThan(0.1);
    for (let j = 1; j < 3; j++) expect(imp.table.num("importance_mean")[j]).toBe(0);
    expect(permutationImportanceFigure(imp).data.length).toBe(1);
  });
});

describe("reason codes", () => {
  it("plain words with the customer's and the typical value", () => {
    const raw = new Table({ customer_id: ["a", "b", "c"], recency_days: Float64Array.from([143, 21, 10]), frequency: Float64Array.from([2, 9, 30]), "country=UK": Float64Array.from([1, 0, 1]) });
    const values = { data: Float64Array.from([0.9, 0.3, -0.1, -0.2, 0.4, 0.05, 0, 0, 0]), rows: 3, cols: 3, columns: ["recency_days", "frequency", "country=UK"] };
    const ex = { values, baseValue: -1, outputs: Float64Array.from([0.1, -0.75, -1]), space: "log-odds" as const, featureNames: values.columns, data: { ...values, data: Float64Array.from([1.5, -0.6, 1, -0.3, 0.1, 0, -0.5, 1.2, 1]) }, method: "kernel" as const };
    const rc = reasonCodes(ex, { raw, topK: 2 });
    expect(rc.row(0)).toEqual({ customer_id: "a", reason_1: "no purchase for 143 days (typical 21)", reason_2: "2 orders so far (typical 9)", reasons: "no purchase for 143 days (typical 21); 2 orders so far (typical 9)" });
    expect(rc.row(1).reason_1).toBe("9 orders so far (typical 9)");
    expect(rc.row(1).reason_2).toBe("country is not UK");
    expect(rc.row(2).reasons).toBe(""); // nothing pushes c up
  });
  it("explaining some rows only (option rows): each row's own values and id, typical values still over every raw row", () => {
    const raw = new Table({ customer_id: ["a", "b", "c"], recency_days: Float64Array.from([143, 21, 10]), frequency: Float64Array.from([2, 9, 30]), "country=UK": Float64Array.from([1, 0, 1]) });
    // the explanation of rows c and a only (in that order)
    const values = { data: Float64Array.from([0.2, 0.5, 0, 0.9, 0.3, -0.1]), rows: 2, cols: 3, columns: ["recency_days", "frequency", "country=UK"] };
    const ex = { values, baseValue: -1, outputs: Float64Array.from([-0.3, 0.1]), space: "log-odds" as const, featureNames: values.columns, data: { ...values, data: Float64Array.from([-0.5, 1.2, 1, 1.5, -0.6, 1]) }, method: "kernel" as const };
    const rc = reasonCodes(ex, { raw, rows: [2, 0], topK: 2 });
    expect(rc.numRows).toBe(2);
    expect(rc.row(0)).toEqual({ customer_id: "c", reason_1: "30 orders so far (typical 9)", reason_2: "no purchase for 10 days (typical 21)", reasons: "30 orders so far (typical 9); no purchase for 10 days (typical 21)" });
    expect(rc.row(1).reasons).toBe("no purchase for 143 days (typical 21); 2 orders so far (typical 9)");
    expect(() => reasonCodes(ex, { raw, rows: [0] })).toThrow(/option rows has 1 entries for 2 explained rows/);
  });
  it("figures", () => {
    const { X, y } = data(7, 300, 4, [1, 0, 0, 0]);
    const lr = new LogisticRegression().fit(X, y);
    const ex = kernelShap(lr, takeRows(X, [0, 1, 2, 3, 4, 5]), takeRows(X, [10, 11, 12, 13, 14]));
    expect((shapBarFigure(ex).data[0].y as string[]).at(-1)).toBe("f0");
    expect((shapBeeswarmFigure(ex).data[0].x as number[]).length).toBe(24);
    const w = shapWaterfallFigure(ex, 0, 2);
    expect((w.data[0].x as number[]).length).toBe(5); // base, 2 features, "2 other features", output
  });
  // Issue 15: "SHAP bar and beeswarm charts cut off long feature names"; "the waterfall labels features with
  // standardised values; it should show raw values (e.g. recency_days = 212)".
  const long = ["recency_days", "share_of_spend_in_the_most_bought_product_category", "days_between_the_first_and_the_last_order_on_record_in_this_shop"];
  const scaled = { data: Float64Array.from([1.7, -0.4, 0.2, -0.9, 0.8, -1.1]), rows: 2, cols: 3, columns: long };
  const ex2 = { values: { ...scaled, data: Float64Array.from([0.9, -0.3, 0.2, -0.2, 0.4, 0.05]) }, baseValue: -1, outputs: Float64Array.from([-0.2, -0.75]), space: "log-odds" as const, featureNames: long, data: scaled, method: "kernel" as const };
  const raw = new Table({ customer_id: ["a", "b"], recency_days: Float64Array.from([212, 14]), share_of_spend_in_the_most_bought_product_category: Float64Array.from([0.625, 0.25]) });
  it("bar and beeswarm leave a left margin for the longest label (≈ 7 px per character) and shorten only extreme names", () => {
    for (const fig of [shapBarFigure(ex2), shapBeeswarmFigure(ex2)]) {
      const labels = (fig.data[0].y as unknown[]).every((v) => typeof v === "string") ? (fig.data[0].y as string[]) : ((fig.layout!.yaxis as { ticktext: string[] }).ticktext);
      const longest = Math.max(...labels.map((l) => l.length));
      expect((fig.layout!.margin as { l: number }).l).toBeGreaterThanOrEqual(7 * longest);
      expect(labels).toContain(long[1]); // 50 characters: shown whole
      expect(labels.find((l) => l.startsWith("days_between"))!.endsWith("…")).toBe(true); // 64 characters: shortened…
      expect((fig.layout!.yaxis as { automargin: boolean }).automargin).toBe(true);
    }
    expect(shapBarFigure(ex2).data[0].customdata).toContain(long[2]); // …with the full name in the hover
  });
  it("waterfall and beeswarm show raw feature values when given the raw table", () => {
    const w = shapWaterfallFigure(ex2, 0, 3, { raw });
    const labels = w.data[0].y as string[];
    expect(labels).toContain("recency_days = 212");
    expect(labels).toContain(`${long[1].slice(0, 47)}… = 0.625`); // a long name is shortened, its value kept
    expect(labels.some((l) => l.startsWith("days_between") && l.includes("0.2"))).toBe(true); // not in the raw table: the model input
    expect(shapWaterfallFigure(ex2, 0, 3).data[0].y).toContain("recency_days = 1.7"); // without raw: the (scaled) model input, as labelled
    const b = shapBeeswarmFigure(ex2, 12, 42, { raw });
    expect(b.data[0].text).toEqual(expect.arrayContaining(["recency_days = 212", "recency_days = 14"]));
  });
});
