import { describe, it, expect, afterEach } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ModelRegistry, dataFingerprint } from "../src/registry";
import { registryFaults } from "../src/registry/registry";
import { CustlabError } from "../src/util/errors";
import { LogisticRegression } from "../src/models";
import { Preprocessor } from "../src/features";
import { Table } from "../src/table";
import { createRng } from "../src/util/random";

function fitted(seed: number) {
  const rng = createRng(seed);
  const n = 200;
  const t = new Table({ a: Float64Array.from({ length: n }, () => rng.normal()), b: Float64Array.from({ length: n }, () => rng.normal()), plan: Array.from({ length: n }, () => (rng.next() < 0.5 ? "x" : "y")) });
  const y = Float64Array.from({ length: n }, (_, i) => (t.num("a")[i] + (t.str("plan")[i] === "x" ? 1 : 0) + rng.normal() > 0.5 ? 1 : 0));
  const pre = new Preprocessor().fit(t);
  const X = pre.transform(t);
  const model = new LogisticRegression({ C: 1 }).fit(X, y);
  return { t, X, y, pre, model };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "custlab-reg-"));
afterEach(() => { delete registryFaults.beforeIndexWrite; delete registryFaults.beforeVersionRename; });

describe("ModelRegistry", () => {
  it("save, list, load (bit-identical predictions), compare, promote, roll back", () => {
    const reg = new ModelRegistry(tmp());
    const a = fitted(1), b = fitted(2);
    const v1 = reg.save("churn", { model: a.model, featureNames: a.X.columns, preprocessing: a.pre, metrics: { auc: 0.8 }, data: a.X, seed: 1, backend: "js" });
    const v2 = reg.save("churn", { model: b.model, featureNames: b.X.columns, preprocessing: b.pre, metrics: { auc: 0.85 }, data: b.X, seed: 2, backend: "js" });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const list = reg.list("churn");
    expect(Array.from(list.num("version"))).toEqual([1, 2]);
    expect(Array.from(list.num("auc"))).toEqual([0.8, 0.85]);
    // no champion yet → latest
    const loaded = reg.load<LogisticRegression>("churn", { expectFeatures: b.X.columns });
    expect(loaded.artifact.version).toBe(2);
    expect(loaded.artifact.dataFingerprint).toBe(dataFingerprint(b.X));
    expect(loaded.artifact.seed).toBe(2);
    const X2 = (loaded.preprocessing as Preprocessor).transform(b.t);
    expect(Array.from(loaded.model.predictProba(X2))).toEqual(Array.from(b.model.predictProba(b.X)));
    reg.promote("churn", 1);
    reg.promote("churn", 2);
    expect(reg.champion("churn")).toBe(2);
    expect(reg.rollback("churn")).toBe(1);
    expect(reg.load("churn").artifact.version).toBe(1);
    expect(Array.from(reg.list("churn").num("champion"))).toEqual([1, 0]);
    expect(reg.compare("churn", [2]).numRows).toBe(1);
    expect(() => reg.rollback("churn")).toThrow(/no earlier champion/);
  });

  it("a crash mid-save leaves the previous version intact", () => {
    const root = tmp();
    const reg = new ModelRegistry(root);
    const a = fitted(3), b = fitted(4);
    reg.save("m", { model: a.model, featureNames: a.X.columns, metrics: { auc: 0.7 }, promote: true });
    const indexBefore = fs.readFileSync(path.join(root, "m", "index.json"), "utf8");
    // 1) the model fails to serialise
    const broken = { toJSON(): object { throw new Error("disk full"); } };
    expect(() => reg.save("m", { model: broken })).toThrow(/disk full/);
    // 2) crash after the artifact is written, before it is renamed into place
    registryFaults.beforeVersionRename = () => { throw new Error("power cut"); };
    expect(() => reg.save("m", { model: b.model, featureNames: b.X.columns })).toThrow(/power cut/);
    delete registryFaults.beforeVersionRename;
    // 3) crash after the version folder exists, before the index is replaced
    registryFaults.beforeIndexWrite = () => { throw new Error("killed"); };
    expect(() => reg.save("m", { model: b.model, featureNames: b.X.columns })).toThrow(/killed/);
    delete registryFaults.beforeIndexWrite;
    expect(fs.readFileSync(path.join(root, "m", "index.json"), "utf8")).toBe(indexBefore);
    expect(fs.readdirSync(path.join(root, "m")).filter((f) => f.startsWith(".tmp"))).toEqual([]);
    const l = reg.load<LogisticRegression>("m");
    expect(l.artifact.version).toBe(1);
    expect(Array.from(l.model.predictProba(a.X))).toEqual(Array.from(a.model.predictProba(a.X)));
    expect(reg.list("m").numRows).toBe(1);
    // the next good save skips the orphaned folder's number
    const v = reg.save("m", { model: b.model });
    expect(v.version).toBe(3);
    expect(reg.load("m", { version: 3 }).artifact.version).toBe(3);
  });

  it("a mismatched feature schema is a clear CustlabError", () => {
    const reg = new ModelRegistry(tmp());
    const a = fitted(5);
    reg.save("m", { model: a.model, featureNames: ["recency_days", "frequency", "monetary"] });
    let err: unknown;
    try { reg.load("m", { expectFeatures: ["recency_days", "frequency", "tenure_days"] }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CustlabError);
    expect((err as CustlabError).code).toBe("E_SCHEMA");
    expect((err as Error).message).toMatch(/lacks monetary and has unexpected tenure_days/);
    expect(() => reg.load("m", { expectFeatures: ["frequency", "recency_days", "monetary"] })).toThrow(/different order/);
    expect(() => reg.load("nope")).toThrow(/no model named "nope"/);
    expect(() => reg.load("m", { version: 9 })).toThrow(/no version 9/);
  });

  it("fingerprints are stable and sensitive", () => {
    const t = new Table({ a: Float64Array.from([1, 2]), b: ["x", "y"] });
    expect(dataFingerprint(t)).toBe(dataFingerprint(new Table({ a: Float64Array.from([1, 2]), b: ["x", "y"] })));
    expect(dataFingerprint(t)).not.toBe(dataFingerprint(new Table({ a: Float64Array.from([1, 2.0000001]), b: ["x", "y"] })));
  });
});
