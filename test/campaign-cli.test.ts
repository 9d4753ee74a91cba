// custlab campaign size | assign | analyze (issue #21): the CLI gives the library's numbers, the
// textbook sample size, stratified balanced seeded assignment, the planted demo uplift inside the
// interval, the peeking warning, and one clear line on bad input.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnCLI, expectOneLine } from "./helpers/cli";
import { simulateOfferCampaign, type DemoTruth } from "../src/demo";
import { upliftFromCampaign } from "../src/uplift";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { churnTransactions } from "../src/churn";
import { loadTable } from "../src/io";
import { analyzeCampaign, power } from "../src/experiments";

const root = path.resolve(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-campaign-"));
const demo = path.join(root, "datasets", "demo");
let truth: DemoTruth;

const cli = (args: string[]) => spawnCLI(args, work);
const oneLine = expectOneLine;

// The committed demo shop (seed 42, default options: byte-identical to writeDemoShop, see package-consumer.test.ts), read only.
beforeAll(() => { truth = JSON.parse(fs.readFileSync(path.join(demo, "truth.json"), "utf8")); });

describe("custlab campaign", () => {
  it("size: base 0.1, uplift 0.02, power 0.8 → 3,841 per arm (pooled-variance normal formula, alpha 0.05 two-sided)", () => {
    const r = cli(["campaign", "size", "--base", "0.1", "--uplift", "0.02", "--power", "0.8", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.per_arm).toBe(3841);
    expect(j.total).toBe(7682);
    expect(j.alpha).toBe(0.05);
    expect(j.achieved_power).toBeGreaterThanOrEqual(0.8);
    expect(power({ baseline: 0.1, uplift: 0.02 }, 3840)).toBeLessThan(0.8);
    // 2:1 allocation and 90% power follow the same formula.
    const k = JSON.parse(cli(["campaign", "size", "--base", "0.2", "--uplift", "0.05", "--power", "0.9", "--json"]).out);
    expect(k.per_arm).toBe(1464);
    oneLine(cli(["campaign", "size", "--base", "0.1"]), /needs --base <rate> and --uplift/);
    oneLine(cli(["campaign", "size", "--base", "1.5", "--uplift", "0.02"]), /--base must be/);
    oneLine(cli(["campaign", "size", "--base", "0.1", "--uplift", "0"]), /option uplift/);
    oneLine(cli(["campaign", "sizes"]), /expected size, assign or analyze, got "sizes"/);
  });

  it("assign: every stratum split in the target proportions (±1 per arm), seeded, written to --out", () => {
    const out = path.join(work, "assign.csv");
    const r = cli(["campaign", "assign", path.join(demo, "customers.csv"), "--arms", "control,discount,shipping", "--weights", "2,1,1", "--stratify", "age_band,gender", "--seed", "7", "--out", out, "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.customers).toBe(3000);
    expect(j.strata.length).toBeGreaterThan(6);
    for (const s of j.strata) {
      const n = s.control + s.discount + s.shipping;
      expect(Math.abs(s.control - n / 2), s.stratum).toBeLessThanOrEqual(1);
      expect(Math.abs(s.discount - n / 4), s.stratum).toBeLessThanOrEqual(1);
      expect(Math.abs(s.shipping - n / 4), s.stratum).toBeLessThanOrEqual(1);
    }
    const first = fs.readFileSync(out, "utf8");
    expect(first.split("\n")[0]).toBe("customer_id,stratum,arm");
    expect(first.split("\n").filter(Boolean).length).toBe(3001);
    // Same seed → same file; another seed → another assignment.
    cli(["campaign", "assign", path.join(demo, "customers.csv"), "--arms", "control,discount,shipping", "--weights", "2,1,1", "--stratify", "age_band,gender", "--seed", "7", "--out", out]);
    expect(fs.readFileSync(out, "utf8")).toBe(first);
    const other = cli(["campaign", "assign", path.join(demo, "customers.csv"), "--stratify", "age_band", "--seed", "8"]);
    expect(other.code).toBe(0);
    expect(other.out).not.toBe(first);
    oneLine(cli(["campaign", "assign", path.join(demo, "customers.csv"), "--stratify", "segment"]), /--stratify: no column "segment"/);
    oneLine(cli(["campaign", "assign", path.join(demo, "customers.csv"), "--out", path.join(demo, "customers.csv")]), /customers\.csv/);
    oneLine(cli(["campaign", "assign", path.join(work, "nope.csv")]), /nope\.csv.*not found/);
  });

  it("analyze: the library's numbers; the planted demo uplift inside the interval; by segment; power; peeking", async () => {
    const file = path.join(demo, "campaign.csv");
    const r = cli(["campaign", "analyze", file, "--segment", "segment", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const { table } = await loadTable(file);
    const lib = analyzeCampaign(table, { segment: "segment" });
    const c = j.comparisons[0];
    expect(c.diff).toBe(lib.comparisons[0].diff);
    expect(c.diff_ci).toEqual(lib.comparisons[0].diffCi);
    expect(c.p_value).toBe(lib.comparisons[0].pValue);
    expect(c.diff_ci[0]).toBeLessThan(truth.campaign.uplift_abs);
    expect(c.diff_ci[1]).toBeGreaterThan(truth.campaign.uplift_abs);
    expect(j.by_segment.map((s: { segment: string }) => s.segment).sort()).toEqual(truth.campaign.by_segment.map((s) => s.segment).sort());
    // Achieved power: the power formula at the observed rates and arm sizes.
    const [ctl, trt] = j.arms;
    expect(c.achieved_power).toBeCloseTo(power({ baseline: ctl.rate, uplift: trt.rate - ctl.rate, ratio: trt.n / ctl.n }, ctl.n), 12);
    expect(j.peeking).toMatch(/inflates the false-positive rate/);
    expect(j.warnings).toEqual([]);
    const early = JSON.parse(cli(["campaign", "analyze", file, "--planned-per-arm", "5000", "--json"]).out);
    expect(early.warnings.join(" ")).toMatch(/Peeking: this is look 2/);
    expect(early.alpha_used).toBe(0.025);
    oneLine(cli(["campaign", "analyze", path.join(demo, "customers.csv")]), /no column "arm"/);
    const bad = path.join(work, "bad.csv");
    fs.writeFileSync(bad, "customer_id,arm,converted\nA,control,0\nB,treatment,1\nC,treatment,7\n");
    oneLine(cli(["campaign", "analyze", bad]), /bad\.csv, line 4, column converted: outcome must be 0 or 1, got 7/);
  });

  it("custlab uplift: the library's cross-fitted evaluation on a campaign file; clear errors", async () => {
    const types = { customer_id: "text" as const };
    const shop = { campaign: (await loadTable(path.join(demo, "campaign.csv"), { types })).table, truthCustomers: (await loadTable(path.join(demo, "truth_customers.csv"), { types })).table };
    const offers = simulateOfferCampaign(shop, { arms: ["none", "discount"], seed: 1 });
    const file = path.join(work, "offers.csv");
    fs.writeFileSync(file, offers.select(["customer_id", "segment", "arm", "retained"]).toCSV());
    const out = path.join(work, "uplift.csv");
    const r = cli(["uplift", path.join(demo, "transactions.csv"), "--format", "custlab", "--campaign", file, "--cutoff", "2024-10-01", "--outcome", "retained",
      "--control", "none", "--segment", "segment", "--boot", "50", "--out", out, "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const tx = churnTransactions(cleanTransactions((await loadTransactions(path.join(demo, "transactions.csv"), { format: "custlab" })).table).table);
    const { table: camp } = await loadTable(file, { types: { customer_id: "text" } });
    const lib = upliftFromCampaign(tx, camp, { cutoff: Date.parse("2024-10-01"), outcomeColumn: "retained", control: "none", segmentColumn: "segment", nBoot: 50 });
    expect(j.qini_coefficient.estimate).toBe(lib.evaluation.qiniCoefficient.estimate);
    expect(j.qini_coefficient.ci).toEqual(lib.evaluation.qiniCoefficient.ci);
    expect(j.qini_coefficient.estimate).toBeGreaterThan(0);
    expect(j.by_segment[0].segment).toBe("at_risk");
    expect(j.deciles.length).toBe(10);
    expect(fs.readFileSync(out, "utf8").split("\n")[0]).toBe("customer_id,arm,treatment,outcome,uplift_oof,uplift,segment");
    oneLine(cli(["uplift", path.join(demo, "transactions.csv"), "--campaign", file]), /needs --cutoff/);
    oneLine(cli(["uplift", path.join(demo, "transactions.csv"), "--campaign", file, "--cutoff", "2024-10-01", "--method", "s-learner"]), /--method must be one of t-learner, x-learner, class-transformation/);
    oneLine(cli(["uplift", path.join(demo, "transactions.csv"), "--campaign", file, "--cutoff", "2024-10-01"]), /offers\.csv, column converted: campaign table has no column "converted"/);
  }, 180_000);
});
