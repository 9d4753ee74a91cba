// Next-best action (issue #21): custlab actions on the demo shop writes one row per at-risk
// customer; on outcomes simulated from the demo's planted response model, its choices are worth
// more than "no action" and than the same offer for everybody. actions.json is validated with
// errors naming the file and field; reasons are in plain words.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnCLI, expectOneLine } from "./helpers/cli";
import { DEMO_OFFERS, demoOfferResponse } from "../src/demo";
import { loadTable } from "../src/io";
import { parseActions, nextBestActions } from "../src/policy";
import { Table } from "../src/table";
import { createRng } from "../src/util/random";

const root = path.resolve(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-actions-"));
// The committed demo shop (seed 42, default options: byte-identical to writeDemoShop, see package-consumer.test.ts), read only.
const demo = path.join(root, "datasets", "demo");
const reg = path.join(work, "models");
const actionsFile = path.join(work, "actions.json");

const cli = (args: string[]) => spawnCLI(args, work);
const oneLine = expectOneLine;

beforeAll(() => {
  // The demo's offers with their planted save rates (what a shop would know from earlier campaigns).
  fs.writeFileSync(actionsFile, JSON.stringify(DEMO_OFFERS.map((o) => ({ id: o.id, kind: o.id, cost: o.cost, uplift: o.save }))));
  const r = cli(["churn", path.join(demo, "transactions.csv"), "--format", "custlab", "--cutoff", "2024-10-01", "--horizon", "90", "--model", "gbdt", "--registry", reg, "--json"]);
  if (r.code !== 0) throw new Error(r.err);
}, 180_000);

describe("custlab actions on the demo shop", () => {
  it("one row per at-risk customer; beats no action and the same offer for all on outcomes simulated from the planted response model", async () => {
    const out = path.join(work, "actions.csv");
    const r = cli(["actions", path.join(demo, "transactions.csv"), "--format", "custlab", "--model", `${reg}@latest`, "--actions", actionsFile,
      "--customers", path.join(demo, "campaign.csv"), "--as-of", "2024-10-01", "--at-risk", "medium", "--out", out, "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const { table: t } = await loadTable(out, { types: { customer_id: "text" } });
    const band = t.str("band");
    expect(t.numRows).toBe(j.at_risk);
    expect(new Set(t.str("customer_id")).size).toBe(t.numRows);
    expect(band.every((b) => b === "high" || b === "medium")).toBe(true);
    // Every customer scored medium or high is in the file (no silent drop).
    expect(j.at_risk).toBeGreaterThan(0.3 * j.scored);
    const reasons = t.str("reason");
    expect(reasons.every((s) => /^P\(churn\) \d+% \((high|medium) risk/.test(s))).toBe(true);
    const act = t.str("action");
    for (let i = 0; i < t.numRows; i++) if (act[i] === "bundle") expect(t.str("bundle_item")[i]).not.toBe("");
    expect(Object.keys(j.by_action).length).toBeGreaterThanOrEqual(3);

    // Simulated outcomes: the planted response model, common random numbers across policies,
    // value = the planted 365-day spend of a kept customer.
    const truth = (await loadTable(path.join(demo, "truth_customers.csv"), { types: { customer_id: "text" } })).table;
    const tpos = new Map(truth.str("customer_id").map((c, i) => [c, i]));
    const cp = truth.num("churn_prob"), lam = truth.num("lambda"), aov = truth.num("expected_order_value");
    const ids = t.str("customer_id"), seg = t.str("segment");
    const cost = new Map(DEMO_OFFERS.map((o) => [o.id, o.cost]));
    const hasBundle = t.str("bundle_item").map((b, i) => b !== "" || act[i] === "bundle");
    const policies: Record<string, (i: number) => string> = { nba: (i) => act[i], none: () => "none", discount: () => "discount", free_shipping: () => "free_shipping" };
    const totals: Record<string, number> = {}, expected: Record<string, number> = {};
    const rng = createRng(11);
    const u = Float64Array.from(ids, () => rng.next());
    for (const [name, pick] of Object.entries(policies)) {
      let tot = 0, ev = 0;
      for (let i = 0; i < ids.length; i++) {
        const k = tpos.get(ids[i])!, a = pick(i), v = aov[k] * lam[k] * 365;
        const p = demoOfferResponse(seg[i], cp[k], a);
        tot += (u[i] < p ? v : 0) - cost.get(a)!;
        ev += p * v - cost.get(a)!;
      }
      totals[name] = tot; expected[name] = ev;
    }
    console.log(`actions on the demo (${ids.length} at-risk customers): simulated value ${Object.entries(totals).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")}`);
    for (const other of ["none", "discount", "free_shipping"]) {
      expect(totals.nba, `vs ${other}`).toBeGreaterThan(totals[other]);
      expect(expected.nba, `vs ${other} (expected)`).toBeGreaterThan(expected[other]);
    }
    expect(hasBundle.some(Boolean)).toBe(true);
  }, 180_000);

  it("bad actions.json and missing inputs: one clear line naming the file and field", () => {
    const bad = path.join(work, "bad.json");
    fs.writeFileSync(bad, JSON.stringify([{ id: "none", cost: 0, uplift: 0 }, { id: "discount", cost: 5, uplift: 1.4 }]));
    oneLine(cli(["actions", path.join(demo, "transactions.csv"), "--model", `${reg}@latest`, "--actions", bad, "--out", path.join(work, "x.csv")]), /bad\.json, column actions\[1\]\.uplift: actions\[1\]\.uplift must be a save rate in \[0, 1\], got 1\.4/);
    fs.writeFileSync(bad, "[{ id: 1 }");
    oneLine(cli(["actions", path.join(demo, "transactions.csv"), "--model", `${reg}@latest`, "--actions", bad, "--out", path.join(work, "x.csv")]), /bad\.json: not valid JSON/);
    oneLine(cli(["actions", path.join(demo, "transactions.csv"), "--model", `${reg}@latest`, "--out", path.join(work, "x.csv")]), /needs --actions/);
    oneLine(cli(["actions", path.join(demo, "transactions.csv"), "--model", `${reg}@latest`, "--actions", actionsFile, "--out", path.join(demo, "transactions.csv")]), /transactions\.csv/);
  });
});

describe("nextBestActions: expected value, eligibility, reasons", () => {
  const scored = new Table({
    customer_id: ["a", "b", "c"], churn_probability: Float64Array.of(0.8, 0.5, 0.9), band: ["high", "medium", "high"],
    predicted_clv_365d: Float64Array.of(100, 1000, 10), reason_1: ["no order for 200 days", "", ""],
  });
  const acts = parseActions({ actions: [
    { id: "none", kind: "none", cost: 0, uplift: 0 },
    { id: "discount", cost: 5, uplift: { loyal: 0.5, "*": 0.1 } },
    { id: "vip_call", cost: 20, uplift: 0.2, eligibility: { minValue: 500 } },
  ] });
  it("EV = P(churn) × save rate × value − cost; the largest wins; no action when nothing pays", () => {
    const t = nextBestActions(scored, acts, { segmentOf: new Map([["a", "loyal"], ["b", "other"], ["c", "loyal"]]), currency: "£" });
    const row = (id: string) => t.row(t.str("customer_id").indexOf(id));
    expect(row("a").action).toBe("discount");
    expect(row("a").expected_value).toBeCloseTo(0.8 * 0.5 * 100 - 5, 12);
    expect(row("b").action).toBe("vip_call");
    expect(row("b").expected_value).toBeCloseTo(0.5 * 0.2 * 1000 - 20, 12);
    expect(row("b").runner_up).toBe("discount");
    expect(row("c").action).toBe("none");
    expect(row("c").expected_value).toBe(0);
    expect(String(row("a").reason)).toBe('P(churn) 80% (high risk: no order for 200 days) × discount keeps 50% of "loyal" customers × £100.00 value − £5.00 cost = £35.00 expected; next best: none (£0.00); not eligible: vip call (value below £500.00).');
    expect(String(row("c").reason)).toMatch(/no action pays for itself on a value of £10\.00/);
    // Sorted by expected value, highest first.
    expect(t.str("customer_id")).toEqual(["b", "a", "c"]);
  });
  it("parseActions refuses unknown fields, duplicate ids and bad eligibility", () => {
    expect(() => parseActions([{ id: "x", cost: 1, uplift: 0.1, upllift: 2 }])).toThrow(/actions\[0\]\.upllift is not a known field/);
    expect(() => parseActions([{ id: "x", cost: 1, uplift: 0.1 }, { id: "x", cost: 2, uplift: 0.1 }])).toThrow(/"x" is used twice/);
    expect(() => parseActions([{ id: "x", cost: -1, uplift: 0.1 }])).toThrow(/cost must be a number ≥ 0/);
    expect(() => parseActions([{ id: "x", cost: 1, uplift: 0.1, eligibility: { minvalue: 3 } }])).toThrow(/eligibility\.minvalue is not a known rule/);
    expect(() => parseActions([])).toThrow(/non-empty array/);
  });
});
