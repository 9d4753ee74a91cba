// The report's "Retention actions and fairness" section (issue #21): with a customers file and an
// actions.json, the report shows fairness of the churn model and of the action policy by every
// attribute (warning on a planted unfair attribute), and writes actions.csv (pseudonymised ids,
// one row per at-risk customer) whose action shares match the section's.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadTable } from "../src/io";
import { buildReport, type BuiltReport } from "../src/pipeline";
import { actionShareByGroup } from "../src/policy";
import { Table } from "../src/table";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-report-decisions-"));
// The committed demo shop (seed 42, default options: byte-identical to writeDemoShop, see package-consumer.test.ts), read only.
const demo = path.resolve(__dirname, "..", "datasets", "demo");
let built: BuiltReport;
let customers: Table;

beforeAll(async () => {
  // Attributes: the demo's gender and age band, plus a planted "tier" that is the churn truth itself (an unfair attribute by construction).
  const c = (await loadTable(path.join(demo, "customers.csv"), { types: { customer_id: "text" } })).table;
  const truth = (await loadTable(path.join(demo, "truth_customers.csv"), { types: { customer_id: "text" } })).table;
  const churned = new Map(truth.str("customer_id").map((id, i) => [id, truth.num("churned")[i]]));
  customers = new Table({ customer_id: c.str("customer_id"), gender: c.str("gender"), age_band: c.str("age_band"), tier: c.str("customer_id").map((id) => (churned.get(id) ? "basic" : "gold")) });
  fs.writeFileSync(path.join(work, "customers.csv"), customers.toCSV());
  fs.writeFileSync(path.join(work, "actions.json"), JSON.stringify([
    { id: "none", kind: "none", cost: 0, uplift: 0 },
    { id: "discount", cost: 5, uplift: 0.3 },
    { id: "free_shipping", cost: 2, uplift: 0.15 },
    { id: "bundle", kind: "bundle", cost: 3, uplift: 0.2, eligibility: { minValue: 100 } },
  ]));
  built = await buildReport({
    transactions: path.join(demo, "transactions.csv"), format: "custlab", out: path.join(work, "report"), seed: 42, salt: "s",
    customers: path.join(work, "customers.csv"), actions: path.join(work, "actions.json"),
  });
}, 300_000);

describe("report: retention actions and fairness", () => {
  it("the section is in index.html with fairness by every attribute and a warning on the planted unfair one", () => {
    const html = fs.readFileSync(path.join(work, "report", "index.html"), "utf8");
    expect(html).toContain("Retention actions and fairness");
    const d = built.summary.decisions as any;
    expect(Object.keys(d.fairness).sort()).toEqual(["age_band", "gender", "tier"]);
    const tier = d.fairness.tier;
    expect(tier.groups.map((g: any) => g.group)).toEqual(["basic", "gold"]);
    // "basic" is the planted churners: they churn far more often at the evaluation cutoff and are selected far more often.
    expect(tier.groups[0].base_rate).toBeGreaterThan(tier.groups[1].base_rate + 0.5);
    expect(tier.demographic_parity_difference).toBeGreaterThan(0.3);
    const sec = built.stages.find((s) => s.title === "Retention actions and fairness")!;
    expect(sec.findings.some((f) => f.level === "warn" && /^Churn model \(high band, P ≥ 0\.6\): Demographic parity by tier/.test(f.text))).toBe(true);
    for (const a of ["gender", "age_band", "tier"]) {
      const n = d.fairness[a].groups.reduce((s: number, g: any) => s + g.n, 0);
      expect(n, a).toBe(built.summary.churn && (built.summary.churn as any).customers_eval);
    }
  });

  it("actions.csv: pseudonymised, one row per medium/high-band customer; the action shares of the section recomputed from it", async () => {
    const a = (await loadTable(path.join(work, "report", "actions.csv"), { types: { customer: "text" } })).table;
    const d = built.summary.decisions as any;
    expect(a.numRows).toBe(d.actions.at_risk);
    expect(a.str("band").every((b) => b === "high" || b === "medium")).toBe(true);
    const raw = new Set(customers.str("customer_id"));
    expect(a.str("customer").some((c) => raw.has(c))).toBe(false);
    expect(a.str("reason").every((r) => /^P\(churn\) \d+%/.test(r))).toBe(true);
    const counts: Record<string, number> = {};
    for (const x of a.str("action")) counts[x] = (counts[x] ?? 0) + 1;
    expect(counts).toEqual(d.actions.by_action);
    // Recompute the action share by gender from the pseudonymised file: same salt, same pseudonyms.
    const { pseudonymizer } = await import("../src/privacy");
    const pseudo = pseudonymizer("s");
    const gOf = new Map(customers.str("customer_id").map((id, i) => [pseudo(id), customers.str("gender")[i]]));
    const share = actionShareByGroup(a.str("customer").map((c) => gOf.get(c)!), a.str("action"));
    expect(share.groups).toEqual(d.fairness.gender.action_share.groups);
  });
});
