import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { Table } from "../src/table";
import { fromArrays } from "../src/util/matrix";
import { SimpleImputer, StandardScaler, MinMaxScaler, OneHotEncoder, FrequencyEncoder, Preprocessor, autoType } from "../src/features";

// Expected numbers computed once with scikit-learn 1.2.1 on the same matrix:
// X = [[1,10,nan],[2,20,3],[4,nan,3],[8,40,5]]; StandardScaler().fit(X).mean_/scale_/transform(X),
// SimpleImputer(strategy=median|most_frequent|mean).statistics_, MinMaxScaler().fit_transform(X)
const X = fromArrays([[1, 10, NaN], [2, 20, 3], [4, NaN, 3], [8, 40, 5]]);
const close = (a: ArrayLike<number>, b: number[]) => expect(Array.from(a)).toEqual(b.map((v) => (Number.isNaN(v) ? NaN : expect.closeTo(v, 12))));

describe("numeric transformers vs scikit-learn", () => {
  it("StandardScaler", () => {
    const s = new StandardScaler().fit(X);
    close(s.mean_!, [3.75, 23.333333333333332, 3.6666666666666665]);
    close(s.scale_!, [2.680951323690902, 12.472191289246473, 0.9428090415820634]);
    close(s.transform(X).data, [-1.025755289064345, -1.0690449676496974, NaN, -0.6527533657682196, -0.2672612419124243, -0.7071067811865474, 0.09325048082403138, NaN, -0.7071067811865474, 1.5852581740085334, 1.3363062095621219, 1.4142135623730951]);
    const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(Array.from(back.transform(X).data)).toEqual(Array.from(s.transform(X).data));
  });
  it("SimpleImputer", () => {
    close(new SimpleImputer({ strategy: "median" }).fit(X).statistics_!, [3, 20, 3]);
    close(new SimpleImputer({ strategy: "most_frequent" }).fit(X).statistics_!, [1, 10, 3]);
    close(new SimpleImputer({ strategy: "mean" }).fit(X).statistics_!, [3.75, 23.333333333333332, 3.6666666666666665]);
    const t = new SimpleImputer({ strategy: "constant", fillValue: -1 }).fit(X).transform(X);
    expect(t.data[2]).toBe(-1);
    expect(() => new SimpleImputer().transform(X)).toThrow(/fit/);
  });
  it("MinMaxScaler", () => {
    close(new MinMaxScaler().fit(X).transform(X).data, [0, 0, NaN, 0.14285714285714285, 0.3333333333333333, 0, 0.42857142857142855, NaN, 0, 1, 1, 1]);
  });
});

describe("encoders", () => {
  const train = new Table({ country: ["UK", "FR", "UK", "", "DE"], city: ["a", "b", "a", "a", "c"] });
  const test = new Table({ country: ["FR", "US", ""], city: ["a", "zz", "b"] });
  it("one-hot with unknown handling", () => {
    const enc = new OneHotEncoder({ columns: ["country"] }).fit(train);
    expect(enc.featureNames()).toEqual(["country=(missing)", "country=DE", "country=FR", "country=UK"]);
    expect(Array.from(enc.transform(test).data)).toEqual([0, 0, 1, 0, /* US unknown */ 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(() => new OneHotEncoder({ columns: ["country"], handleUnknown: "error" }).fit(train).transform(test)).toThrow(/"US".*country|country.*"US"/);
  });
  it("frequency encoding", () => {
    const enc = new FrequencyEncoder({ columns: ["city"] }).fit(train);
    expect(Array.from(enc.transform(test).data)).toEqual([0.6, 0, 0.2]);
  });
});

describe("autoType + Preprocessor", () => {
  const t = new Table({
    customer_id: ["c1", "c2", "c3", "c4", "c5", "c6"],
    total: [" 10.5", "20", " ", "7", "", "3"], // text parsing as numbers with blanks
    plan: ["a", "b", "a", "b", "a", "c"],
    constant: ["x", "x", "x", "x", "x", "x"],
    age: Float64Array.from([30, 40, NaN, 50, 20, 60]),
    churn: Float64Array.from([0, 1, 0, 1, 0, 1]),
  });
  it("types columns of any table", () => {
    const types = autoType(t, { exclude: ["churn"] });
    expect(Object.fromEntries(types.map((c) => [c.name, c.role]))).toEqual({ customer_id: "id", total: "numeric", plan: "categorical", constant: "constant", age: "numeric" });
    expect(types.find((c) => c.name === "total")!.missing).toBe(2);
  });
  it("fits on training rows only and round-trips through JSON", () => {
    const pre = new Preprocessor({ types: { exclude: ["churn"] } });
    const tr = t.take([0, 1, 2, 3]);
    const M = pre.fit(tr).transform(t);
    expect(M.columns).toEqual(["total", "age", "plan=a", "plan=b"]);
    // total in training: 10.5, 20, NaN, 7 → median 10.5 fills; scaled with training mean/std of the imputed column
    const imputed = [10.5, 20, 10.5, 7];
    const mean = imputed.reduce((a, b) => a + b) / 4, sd = Math.sqrt(imputed.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    expect(M.data[0]).toBeCloseTo((10.5 - mean) / sd, 12);
    expect(M.data[2 * 4]).toBeCloseTo((10.5 - mean) / sd, 12); // blank → median
    expect(M.data[5 * 4]).toBeCloseTo((3 - mean) / sd, 12); // unseen test row uses training stats
    expect(Array.from(M.data.subarray(5 * 4 + 2, 5 * 4 + 4))).toEqual([0, 0]); // plan "c" unseen → zeros
    const back = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
    expect(Array.from(back.transform(t).data)).toEqual(Array.from(M.data));
  });
});

const telco = path.resolve(__dirname, "../../shared/datasets/telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
describe.skipIf(!fs.existsSync(telco))("Telco (real CSV)", () => {
  it("types every column as a data scientist would", async () => {
    const { loadTable } = await import("../src/io");
    const { table } = await loadTable(telco);
    const types = Object.fromEntries(autoType(table, { exclude: ["Churn"] }).map((c) => [c.name, c]));
    expect(types.customerID.role).toBe("id");
    expect(types.TotalCharges.role).toBe("numeric");
    expect(types.TotalCharges.missing).toBe(11);
    expect(types.tenure.role).toBe("numeric");
    expect(types.Contract.role).toBe("categorical");
    const X = new Preprocessor({ types: { exclude: ["Churn"] } }).fit(table).transform(table);
    // 4 numeric (SeniorCitizen, tenure, MonthlyCharges, TotalCharges) + one-hot of 15 text columns:
    // gender 2, Partner 2, Dependents 2, PhoneService 2, MultipleLines 3, InternetService 3, 6 add-ons × 3, Contract 3, PaperlessBilling 2, PaymentMethod 4 = 41
    expect(X.cols).toBe(45);
    expect(X.rows).toBe(7043);
  });
});
