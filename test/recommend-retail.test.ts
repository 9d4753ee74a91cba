import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { basketsFromTransactions, basketStats } from "../src/rules/baskets";
import { evaluateRecommenders } from "../src/recommend/evaluate";
import { ItemCFRecommender, PopularityRecommender, RuleRecommender } from "../src/recommend/recommenders";

const FILE = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const have = fs.existsSync(FILE);
if (!have) console.warn(`recommend-retail: ${FILE} not found — skipping`);

describe.skipIf(!have)("recommendations on Online Retail invoices (leave-last-basket-out, k = 10)", () => {
  it("item-CF and rules each beat the popularity baseline on hit-rate@10 and NDCG@10", async () => {
    const { table } = await loadTransactions(FILE, { format: "online-retail" });
    const b = basketsFromTransactions(cleanTransactions(table).table, { by: "order" });
    const st = basketStats(b);
    expect(st.baskets).toBeGreaterThan(19000); // ~20.7k non-cancelled invoices
    expect(st.items).toBeGreaterThan(3800);
    const ev = evaluateRecommenders(b, [
      new PopularityRecommender(),
      new RuleRecommender({ minSupport: 0.005, minConfidence: 0.1 }),
      new ItemCFRecommender({ neighbours: 100 }),
    ], { k: 10 });
    console.log(ev.table.toMarkdown());
    expect(ev.customers).toBeGreaterThan(2000);
    const hit = ev.table.num("hit_rate_at_10"), ndcg = ev.table.num("ndcg_at_10");
    expect(hit[1]).toBeGreaterThan(hit[0]); // rules > popularity
    expect(hit[2]).toBeGreaterThan(hit[0]); // item-CF > popularity
    expect(ndcg[1]).toBeGreaterThan(ndcg[0]);
    expect(ndcg[2]).toBeGreaterThan(ndcg[0]);
  });
});
