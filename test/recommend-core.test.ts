import { describe, it, expect } from "vitest";
import { createRng } from "../src/util/random";
import { Table } from "../src/table";
import { basketsFromLists, basketsFromTransactions, Baskets } from "../src/rules/baskets";
import { frequentItemsets } from "../src/rules/itemsets";
import { generateRules } from "../src/rules/rules";
import { ItemCFRecommender, PopularityRecommender, RuleRecommender } from "../src/recommend/recommenders";
import { evaluateRecommenders, leaveLastBasketOut, customerHistory } from "../src/recommend/evaluate";
import { topKItems, ItemRecommender, ItemHistory, RankedItems } from "../src/recommend/types";

function randomCustomerBaskets(seed: number, customers: number, items: number): Baskets {
  const rng = createRng(seed);
  const cust: string[] = [], order: string[] = [], prod: string[] = [], ts: number[] = [];
  let o = 0;
  for (let c = 0; c < customers; c++) {
    const nb = 1 + rng.int(4);
    for (let k = 0; k < nb; k++) {
      o++;
      const size = 1 + rng.int(5);
      for (let j = 0; j < size; j++) {
        cust.push(`c${c}`); order.push(`o${o}`); prod.push(`p${Math.min(items - 1, Math.floor(-Math.log(1 - rng.next()) * items / 4))}`);
        ts.push(Date.UTC(2024, 0, 1) + (c * 10 + k) * 3600e3);
      }
    }
  }
  const n = prod.length;
  return basketsFromTransactions(new Table({
    customer_id: cust, order_id: order, timestamp: Float64Array.from(ts), product_id: prod, product_name: prod.slice(), quantity: new Float64Array(n).fill(1),
  }, { timestamp: "date" }));
}

describe("item-based CF", () => {
  it("neighbour similarities equal brute-force cosine on customer × item counts", () => {
    const b = randomCustomerBaskets(7, 60, 15);
    const cf = new ItemCFRecommender({ neighbours: 1000 }).fit(b);
    // dense customer × item count matrix
    const custs = [...new Set(b.customerIds)];
    const M = custs.map(() => new Float64Array(b.itemNames.length));
    for (let i = 0; i < b.offsets.length - 1; i++) {
      const u = custs.indexOf(b.customerIds![i]);
      for (let k = b.offsets[i]; k < b.offsets[i + 1]; k++) M[u][b.items[k]]++;
    }
    const cos = (i: number, j: number) => {
      let d = 0, a = 0, c = 0;
      for (const row of M) { d += row[i] * row[j]; a += row[i] ** 2; c += row[j] ** 2; }
      return d / Math.sqrt(a * c);
    };
    let checked = 0;
    for (let i = 0; i < b.itemNames.length; i++) {
      const s = cf.neighbourOffsets_[i], e = cf.neighbourOffsets_[i + 1];
      let expectedNeighbours = 0;
      for (let j = 0; j < b.itemNames.length; j++) if (j !== i && cos(i, j) > 0) expectedNeighbours++;
      expect(e - s).toBe(expectedNeighbours);
      for (let p = s; p < e; p++) { expect(cf.neighbourSims_[p]).toBeCloseTo(cos(i, cf.neighbourIds_[p]), 12); checked++; }
      for (let p = s + 1; p < e; p++) expect(cf.neighbourSims_[p]).toBeLessThanOrEqual(cf.neighbourSims_[p - 1]);
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("keeps only the top-k neighbours and scores a history by weighted similarity", () => {
    const b = randomCustomerBaskets(8, 80, 20);
    const full = new ItemCFRecommender({ neighbours: 1000 }).fit(b);
    const cf = new ItemCFRecommender({ neighbours: 3 }).fit(b);
    for (let i = 0; i < b.itemNames.length; i++) {
      const n = cf.neighbourOffsets_[i + 1] - cf.neighbourOffsets_[i];
      expect(n).toBeLessThanOrEqual(3);
      expect(Array.from(cf.neighbourIds_.subarray(cf.neighbourOffsets_[i], cf.neighbourOffsets_[i + 1])))
        .toEqual(Array.from(full.neighbourIds_.subarray(full.neighbourOffsets_[i], full.neighbourOffsets_[i] + n)));
    }
    const h: ItemHistory = { items: Int32Array.of(0, 1), weights: Float64Array.of(2, 1) };
    const r = full.rank(h, 5);
    const sim = (i: number, j: number) => {
      for (let p = full.neighbourOffsets_[i]; p < full.neighbourOffsets_[i + 1]; p++) if (full.neighbourIds_[p] === j) return full.neighbourSims_[p];
      return 0;
    };
    for (let t = 0; t < r.items.length; t++) expect(r.scores[t]).toBeCloseTo(2 * sim(0, r.items[t]) + sim(1, r.items[t]), 12);
  });
});

describe("rules cross-sell and popularity", () => {
  const lists = [["tent", "stakes"], ["tent", "stakes", "lamp"], ["tent", "lamp"], ["lamp"], ["tent", "stakes"], ["stove", "gas"], ["stove", "gas", "lamp"]];
  const b = basketsFromLists(lists);
  it("recommends consequents of rules whose antecedent is in the basket, with the rule that fired", () => {
    const rules = generateRules(frequentItemsets(b, { minSupport: 0.1 }), { minConfidence: 0.5, minLen: 2 });
    const rec = new RuleRecommender().fitRules(rules);
    const out = rec.recommend(["tent"], 3);
    expect(out[0].item).toBe("stakes");               // tent ⇒ stakes: 3/4
    expect(out[0].antecedent).toEqual(["tent"]);
    expect(out[0].confidence).toBeCloseTo(0.75);
    expect(out.map((x) => x.item)).not.toContain("tent");
    expect(rec.recommend(["stove"], 3)[0]).toMatchObject({ item: "gas", confidence: 1, antecedent: ["stove"] });
    expect(rec.recommend(["unknown item"], 3)).toEqual([]);
  });
  it("ranks by popularity, skipping excluded items, ties by id", () => {
    const pop = new PopularityRecommender().fit(b);
    const lamp = b.itemNames.indexOf("lamp"), tent = b.itemNames.indexOf("tent");
    const ex = new Uint8Array(b.itemNames.length); ex[lamp] = 1;
    const r = pop.rank({ items: new Int32Array(0) }, 2, ex);
    expect(b.itemNames[r.items[0]]).toBe("tent");
    expect(r.scores[0]).toBeCloseTo(4 / 7);
    expect(Array.from(topKItems(Float64Array.of(1, 3, 3, 2), 3).items)).toEqual([1, 2, 3]);
    void tent;
  });
});

describe("leave-last-basket-out evaluation", () => {
  const b = randomCustomerBaskets(11, 300, 30);
  it("holds out each qualifying customer's last basket and trains on the rest", () => {
    const split = leaveLastBasketOut(b, { excludeSeen: false });
    expect(split.test.length + split.skipped.tooFewBaskets + split.skipped.noNewItems).toBe(new Set(b.customerIds).size);
    expect(split.train.offsets.length - 1).toBe(b.offsets.length - 1 - split.test.length);
    const c = split.test[0];
    const all = customerHistory(b, c.customer);
    const trainHist = customerHistory(split.train, c.customer);
    expect(new Set(trainHist.items)).toEqual(new Set(c.history.items));
    expect(all.items.length).toBeGreaterThanOrEqual(trainHist.items.length);
  });

  it("hit-rate@k and NDCG@k match an independent computation for a fixed ranking", () => {
    // a recommender that always ranks items 0..k-1 (by id)
    class Fixed implements ItemRecommender {
      readonly name = "fixed";
      fit(): this { return this; }
      rank(_h: ItemHistory, k: number, exclude?: Uint8Array): RankedItems {
        const ids: number[] = [];
        for (let i = 0; ids.length < k && i < b.itemNames.length; i++) if (!exclude || !exclude[i]) ids.push(i);
        return { items: Int32Array.from(ids), scores: new Float64Array(ids.length) };
      }
    }
    const k = 5;
    const ev = evaluateRecommenders(b, [new Fixed()], { k });
    const split = leaveLastBasketOut(b);
    let hits = 0, ndcg = 0;
    for (const c of split.test) {
      const seen = new Set(c.history.items);
      const recs: number[] = [];
      for (let i = 0; recs.length < k && i < b.itemNames.length; i++) if (!seen.has(i)) recs.push(i);
      const target = new Set(c.target);
      let dcg = 0, idcg = 0;
      recs.forEach((r, j) => { if (target.has(r)) dcg += 1 / Math.log2(j + 2); });
      for (let j = 0; j < Math.min(k, target.size); j++) idcg += 1 / Math.log2(j + 2);
      if (dcg > 0) hits++;
      ndcg += dcg / idcg;
    }
    expect(ev.customers).toBe(split.test.length);
    expect(ev.table.num("hit_rate_at_5")[0]).toBeCloseTo(hits / split.test.length, 12);
    expect(ev.table.num("ndcg_at_5")[0]).toBeCloseTo(ndcg / split.test.length, 12);
  });

  it("evaluates popularity, rules and item-CF side by side", () => {
    const ev = evaluateRecommenders(b, [new PopularityRecommender(), new RuleRecommender({ minSupport: 0.01, minConfidence: 0.05 }), new ItemCFRecommender()]);
    expect(ev.table.str("method")).toEqual(["popularity", "rules", "item-cf"]);
    for (const v of ev.table.num("hit_rate_at_10")) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1); }
    expect(ev.table.num("coverage")[0]).toBe(1);
  });
});
