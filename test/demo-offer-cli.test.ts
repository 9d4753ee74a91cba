// custlab demo writes the planted offer campaign (offer_campaign.csv, issue #21) so that a new
// user can run custlab uplift on demo output: the file equals the library's simulateOfferCampaign
// on the same shop, and custlab uplift on it finds the planted effect (Qini > 0).
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { generateDemoShop, simulateOfferCampaign } from "../src/demo";
import { loadTable } from "../src/io";

const main = path.join(path.resolve(__dirname, ".."), "dist/cli/main.js");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-demo-offer-"));

function cli(args: string[]) {
  const r = spawnSync("node", [main, ...args], { cwd: work, encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status, out: String(r.stdout ?? ""), err: String(r.stderr ?? "") };
}

describe("custlab demo → custlab uplift", () => {
  it("offer_campaign.csv equals simulateOfferCampaign on the same shop; custlab uplift on it: Qini > 0, at_risk on top", async () => {
    const out = path.join(work, "demo");
    const d = cli(["demo", "--out", out, "--seed", "7", "--customers", "1500", "--json"]);
    expect(d.code, d.err).toBe(0);
    const summary = JSON.parse(d.out);
    const { table: file } = await loadTable(path.join(out, "offer_campaign.csv"), { types: { customer_id: "text" } });
    const lib = simulateOfferCampaign(generateDemoShop({ seed: 7, customers: 1500 }), { arms: ["none", "discount"], seed: 7 });
    expect(summary.offer_campaign_rows).toBe(lib.numRows);
    expect(file.columnNames().filter((c) => c !== "_line")).toEqual(lib.columnNames());
    expect(file.str("customer_id")).toEqual(lib.str("customer_id"));
    expect(file.str("arm")).toEqual(lib.str("arm"));
    expect(file.str("segment")).toEqual(lib.str("segment"));
    for (const c of ["retained", "propensity", "churn_prob", "uplift_discount"]) {
      const a = file.num(c), b = lib.num(c);
      for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i]), `${c} row ${i}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i])));
    }
    const truth = JSON.parse(fs.readFileSync(path.join(out, "truth.json"), "utf8"));
    const u = cli(["uplift", path.join(out, "transactions.csv"), "--campaign", path.join(out, "offer_campaign.csv"), "--cutoff", truth.cutoff,
      "--outcome", "retained", "--segment", "segment", "--boot", "100", "--json"]);
    expect(u.code, u.err).toBe(0);
    const j = JSON.parse(u.out);
    console.log(`custlab uplift on custlab demo --seed 7 --customers 1500: ${JSON.stringify(j.qini_coefficient)}`);
    const q = j.qini_coefficient;
    expect(q.estimate).toBeGreaterThan(0);
    expect(j.by_segment[0].segment).toBe("at_risk");
  }, 180_000);
});
