import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { basketsFromTransactions } from "../src/rules/baskets";
import { frequentItemsets } from "../src/rules/itemsets";
import { generateRules, numRules, ruleRecord, sortRules } from "../src/rules/rules";
import { RuleRecommender } from "../src/recommend/recommenders";

const DEMO = path.resolve(__dirname, "../datasets/demo");
const have = fs.existsSync(path.join(DEMO, "transactions.csv")) && fs.existsSync(path.join(DEMO, "truth.json"));
if (!have) console.warn("rules-demo: datasets/demo not generated — skipping");

describe.skipIf(!have)("demo shop: planted co-purchase pairs", () => {
  it("are exactly the top rules by lift, in both directions, per order and per customer-day", async () => {
    const truth = JSON.parse(fs.readFileSync(path.join(DEMO, "truth.json"), "utf8"));
    const pairs: Array<{ a: { product_name: string }; b: { product_name: string } }> = truth.co_purchase_pairs;
    expect(pairs.length).toBeGreaterThan(0);
    const { table } = await loadTransactions(path.join(DEMO, "transactions.csv"), { format: "custlab" });
    const clean = cleanTransactions(table).table;
    for (const by of ["order", "customer-day"] as const) {
      const b = basketsFromTransactions(clean, { by });
      const rules = sortRules(generateRules(frequentItemsets(b, { minSupport: 0.001 }), { minConfidence: 0.05, minLen: 2 }), "lift");
      const n = 2 * pairs.length;
      expect(numRules(rules)).toBeGreaterThanOrEqual(n);
      const top = new Set<string>();
      for (let i = 0; i < n; i++) { const r = ruleRecord(rules, i); top.add(`${r.antecedent.join("+")}=>${r.consequent.join("+")}`); }
      const planted = new Set<string>();
      for (const p of pairs) { planted.add(`${p.a.product_name}=>${p.b.product_name}`); planted.add(`${p.b.product_name}=>${p.a.product_name}`); }
      expect(top).toEqual(planted);
      // planted P(b | a) = 0.7 is recovered
      for (let i = 0; i < n; i++) {
        const r = ruleRecord(rules, i);
        const p = pairs.find((q) => q.a.product_name === r.antecedent[0]);
        if (p) expect(r.confidence).toBeGreaterThan(0.6);
      }
      // cross-sell: a basket with the first planted antecedent gets its partner first
      const rec = new RuleRecommender().fitRules(rules);
      expect(rec.recommend([pairs[0].a.product_name], 3)[0].item).toBe(pairs[0].b.product_name);
    }
  });
});

const cli = path.resolve(__dirname, "../dist/cli/main.js");
describe.skipIf(!have || !fs.existsSync(cli))("custlab rules on the demo transactions (io adapter)", () => {
  it("--format custlab groups orders and puts a planted pair on top", async () => {
    const { spawnSync } = await import("child_process");
    const p = spawnSync("node", [cli, "rules", path.join(DEMO, "transactions.csv"), "--format", "custlab", "--min-support", "0.001", "--min-confidence", "0.3", "--min-len", "2", "--json"], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    const truth = JSON.parse(fs.readFileSync(path.join(DEMO, "truth.json"), "utf8"));
    const names = new Set<string>(truth.co_purchase_pairs.flatMap((q: { a: { product_name: string }; b: { product_name: string } }) => [q.a.product_name, q.b.product_name]));
    expect(j.rules).toBe(2 * truth.co_purchase_pairs.length);
    for (const r of j.top) { expect(names.has(r.antecedent[0])).toBe(true); expect(names.has(r.consequent[0])).toBe(true); }
  });
});
