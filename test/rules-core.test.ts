import { describe, it, expect } from "vitest";
import { createRng } from "../src/util/random";
import { Table } from "../src/table";
import { basketsFromLists, basketsFromOneHot, basketsToOneHot, basketsFromTransactions, parseBaskets, numBaskets, basketItemNames, subsetBaskets } from "../src/rules/baskets";
import { frequentItemsets, findItemset, itemsetCount } from "../src/rules/itemsets";
import { generateRules, numRules, ruleRecord, rulesTable, rulesToCSV, rulesToJSON, pruneRedundantRules, sortRules, ruleText, mineRules } from "../src/rules/rules";
import { rulesScatterFigure, rulesNetworkFigure } from "../src/rules/figures";

/** Brute force: count every subset (size ≤ maxLen) of every basket. */
function bruteItemsets(lists: number[][], maxLen: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lists) {
    const s = [...new Set(l)].sort((a, b) => a - b);
    const n = s.length;
    for (let mask = 1; mask < 1 << n; mask++) {
      const sub: number[] = [];
      for (let j = 0; j < n; j++) if (mask & (1 << j)) sub.push(s[j]);
      if (sub.length > maxLen) continue;
      const k = sub.join(",");
      m.set(k, (m.get(k) ?? 0) + 1);
    }
  }
  return m;
}

function randomBaskets(seed: number, n: number, nItems: number, maxSize: number): number[][] {
  const rng = createRng(seed);
  const w = Array.from({ length: nItems }, (_, i) => 1 / (i + 1));
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const size = 1 + rng.int(maxSize);
    const b: number[] = [];
    for (let j = 0; j < size; j++) b.push(rng.categorical(w));
    // planted pair: 0 and 5 often together
    if (rng.next() < 0.3) b.push(0, 5);
    out.push(b);
  }
  return out;
}

describe("frequent itemsets against brute-force counting", () => {
  for (const [seed, minSupport, maxLen] of [[1, 0.02, 10], [2, 0.05, 3], [3, 0.01, 10], [4, 0.2, 2]] as const) {
    it(`seed ${seed}, support ${minSupport}, maxLen ${maxLen}`, () => {
      const lists = randomBaskets(seed, 400, 14, 9);
      const b = basketsFromLists(lists.map((l) => l.map((x) => `i${x}`)));
      const fi = frequentItemsets(b, { minSupport, maxLen });
      const minCount = Math.ceil(minSupport * 400);
      const brute = bruteItemsets(lists, maxLen);
      const expected = [...brute].filter(([, c]) => c >= minCount);
      expect(fi.counts.length).toBe(expected.length);
      for (const [key, c] of expected) {
        const ids = key.split(",").map((x) => b.itemNames.indexOf(`i${x}`));
        expect(itemsetCount(fi, ids)).toBe(c);
      }
      // an infrequent itemset is not found
      const infrequent = [...brute].find(([, c]) => c < minCount);
      if (infrequent) expect(findItemset(fi, infrequent[0].split(",").map((x) => b.itemNames.indexOf(`i${x}`)))).toBe(-1);
    });
  }
});

describe("rules on a hand-checked example", () => {
  // 5 baskets; milk in 4, bread in 3, milk+bread in 2, beer in 2 (always with diapers), diapers in 3
  const lists = [["milk", "bread"], ["milk", "diapers", "beer"], ["milk", "bread", "diapers", "beer"], ["milk"], ["bread", "diapers"]];
  const b = basketsFromLists(lists);
  const fi = frequentItemsets(b, { minSupport: 0.2 });

  it("computes every mlxtend metric from counts", () => {
    const rules = generateRules(fi, { mode: "mlxtend", minConfidence: 0 });
    const t = rulesTable(rules);
    const i = t.str("antecedent").findIndex((a, k) => a === "{beer}" && t.str("consequent")[k] === "{diapers}");
    const r = ruleRecord(rules, i);
    expect(r.support).toBeCloseTo(0.4);
    expect(r.antecedent_support).toBeCloseTo(0.4);
    expect(r.consequent_support).toBeCloseTo(0.6);
    expect(r.confidence).toBe(1);
    expect(r.lift).toBeCloseTo(1 / 0.6);
    expect(r.leverage).toBeCloseTo(0.4 - 0.4 * 0.6);
    expect(r.conviction).toBe(Infinity);
    // Zhang: lev / max(0.4·0.6, 0.4·(0.6−0.4)) = 0.16 / 0.24
    expect(r.zhangs_metric).toBeCloseTo(0.16 / 0.24);
    expect(r.jaccard).toBeCloseTo(0.4 / 0.6);
    expect(r.certainty).toBeCloseTo((1 - 0.6) / 0.4);
    expect(r.kulczynski).toBeCloseTo((1 + 0.4 / 0.6) / 2);
    // milk ⇒ bread: conf 2/4, lift 0.5/0.6 (negative association: Zhang < 0)
    const j = t.str("antecedent").findIndex((a, k) => a === "{milk}" && t.str("consequent")[k] === "{bread}");
    const q = ruleRecord(rules, j);
    expect(q.confidence).toBeCloseTo(0.5);
    expect(q.lift).toBeCloseTo(0.5 / 0.6);
    expect(q.zhangs_metric).toBeCloseTo((0.4 - 0.8 * 0.6) / Math.max(0.4 * 0.2, 0.8 * (0.6 - 0.4)));
    expect(q.conviction).toBeCloseTo(0.4 / 0.5);
  });

  it("mlxtend mode lists every split; arules mode single consequents (+ empty antecedents at minLen 1)", () => {
    // itemsets of size 2 give 2 rules each, size 3 give 6: count from the itemsets
    let expected = 0, single = 0, singletons = 0;
    for (let s = 0; s < fi.counts.length; s++) {
      const k = fi.offsets[s + 1] - fi.offsets[s];
      if (k === 1) singletons++;
      else { expected += 2 ** k - 2; single += k; }
    }
    expect(numRules(generateRules(fi, { mode: "mlxtend", minConfidence: 0 }))).toBe(expected);
    expect(numRules(generateRules(fi, { mode: "arules", minConfidence: 0, minLen: 2 }))).toBe(single);
    expect(numRules(generateRules(fi, { mode: "arules", minConfidence: 0 }))).toBe(single + singletons);
  });

  it("filters by confidence, lift and length and prunes redundant rules", () => {
    const all = generateRules(fi, { mode: "arules", minConfidence: 0, minLen: 2 });
    const hi = generateRules(fi, { minConfidence: 0.99, minLen: 2 });
    for (let i = 0; i < numRules(hi); i++) expect(hi.confidence[i]).toBe(1);
    const lifted = generateRules(fi, { minConfidence: 0, minLift: 1.01, minLen: 2 });
    for (let i = 0; i < numRules(lifted); i++) expect(lifted.lift[i]).toBeGreaterThanOrEqual(1.01);
    expect(numRules(lifted)).toBeLessThan(numRules(all));
    // {beer} ⇒ {diapers} has confidence 1, so {beer, milk} ⇒ {diapers} (also 1) is redundant
    const pruned = pruneRedundantRules(all);
    const texts = Array.from({ length: numRules(pruned) }, (_, i) => ruleText(pruned, i));
    expect(texts).toContain("{beer} => {diapers}");
    expect(texts).not.toContain("{beer, milk} => {diapers}");
    const allTexts = Array.from({ length: numRules(all) }, (_, i) => ruleText(all, i));
    expect(allTexts).toContain("{beer, milk} => {diapers}");
  });

  it("sorts by any metric and exports CSV / JSON", () => {
    const rules = sortRules(generateRules(fi, { minConfidence: 0.5, minLen: 2 }), "confidence");
    for (let i = 1; i < numRules(rules); i++) expect(rules.confidence[i]).toBeLessThanOrEqual(rules.confidence[i - 1]);
    const csv = rulesToCSV(rules).split("\n");
    expect(csv[0]).toBe("antecedent,consequent,antecedent_support,consequent_support,support,confidence,lift,representativity,leverage,conviction,zhangs_metric,jaccard,certainty,kulczynski,count,length");
    expect(csv[1]).toContain(",inf,");
    const j = JSON.parse(rulesToJSON(rules));
    expect(j.length).toBe(numRules(rules));
    expect(j[0].conviction).toBe("inf");
    const fig = rulesScatterFigure(rules);
    expect((fig.data[0] as { x: number[] }).x.length).toBe(numRules(rules));
    const net = rulesNetworkFigure(rules, { topN: 3 });
    expect((net.data[1] as { x: number[] }).x.length).toBe(3);
    expect(JSON.stringify(rulesNetworkFigure(rules, { topN: 3 }))).toBe(JSON.stringify(net)); // seeded layout
  });
});

describe("basket builders", () => {
  it("parses basket text with quotes, blanks and duplicates", () => {
    const b = parseBaskets('a,b,a\n\n"x, y",c\r\n c , d \n');
    expect(numBaskets(b)).toBe(3);
    expect(basketItemNames(b, 0)).toEqual(["a", "b"]);
    expect(basketItemNames(b, 1)).toEqual(["x, y", "c"]);
    expect(basketItemNames(b, 2)).toEqual(["c", "d"]);
    expect(() => parseBaskets("\n\n", { file: "e.csv" })).toThrow(/e\.csv: no baskets/);
  });

  it("round-trips one-hot tables", () => {
    const b = basketsFromLists([["a", "b"], ["b"], ["c", "a"]]);
    const t = basketsToOneHot(b);
    expect(Array.from(t.num("a"))).toEqual([1, 0, 1]);
    const b2 = basketsFromOneHot(t);
    expect(Array.from(b2.items)).toEqual(Array.from(b.items));
    expect(() => basketsFromOneHot(new Table({ a: ["x"] }), { columns: ["a"] })).toThrow(/column "a" is text/);
  });

  it("groups transactions per order or per customer-day, dropping returns", () => {
    const d = (s: string) => Date.parse(s);
    const t = new Table({
      customer_id: ["c1", "c1", "c1", "c2", "c2", "c1"],
      order_id: ["o1", "o1", "o2", "o3", "C9", "o4"],
      timestamp: Float64Array.from([d("2024-01-01T10:00:00Z"), d("2024-01-01T10:00:00Z"), d("2024-01-01T18:00:00Z"), d("2024-01-02T09:00:00Z"), d("2024-01-02T09:00:00Z"), d("2024-01-03T09:00:00Z")]),
      product_id: ["p1", "p2", "p3", "p1", "p2", "p2"],
      product_name: ["Apple", "Bread", "Cheese", "Apple", "Bread", "Bread"],
      quantity: Float64Array.from([1, 2, 1, 1, -2, 1]),
    }, { timestamp: "date" });
    const byOrder = basketsFromTransactions(t);
    expect(numBaskets(byOrder)).toBe(4);
    expect(byOrder.basketIds).toEqual(["o1", "o2", "o3", "o4"]);
    expect(basketItemNames(byOrder, 0)).toEqual(["Apple", "Bread"]);
    const byDay = basketsFromTransactions(t, { by: "customer-day" });
    expect(byDay.basketIds).toEqual(["c1|2024-01-01", "c2|2024-01-02", "c1|2024-01-03"]);
    expect(basketItemNames(byDay, 0)).toEqual(["Apple", "Bread", "Cheese"]);
    expect(subsetBaskets(byDay, [2]).customerIds).toEqual(["c1"]);
    const noBread = basketsFromTransactions(t, { keepItem: (id) => id !== "p2" });
    expect(noBread.basketIds).toEqual(["o1", "o2", "o3"]);
    expect(noBread.itemNames).not.toContain("Bread");
  });

  it("mineRules times both stages", () => {
    const r = mineRules(basketsFromLists([["a", "b"], ["a", "b"], ["a"]]), { minSupport: 0.5, minConfidence: 0.5, minLen: 2 });
    expect(numRules(r.rules)).toBe(2);
    expect(r.seconds.total).toBeGreaterThanOrEqual(0);
  });
});
