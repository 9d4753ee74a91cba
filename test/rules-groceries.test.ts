import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { loadBasketFile, basketStats } from "../src/rules/baskets";
import { frequentItemsets } from "../src/rules/itemsets";
import { generateRules, numRules, sortRules, ruleRecord, RuleMode } from "../src/rules/rules";

const DATA = path.resolve(__dirname, "../../shared/datasets");
const FILE = path.join(DATA, "groceries/groceries.csv");
const have = fs.existsSync(FILE);
if (!have) console.warn(`rules-groceries: ${FILE} not found — skipping the Groceries acceptance tests`);

// Acceptance figures: R arules apriori (Lantz, "Machine Learning with R"; arules docs) and mlxtend association_rules.
const CASES: Array<{ s: number; c: number; minLen: number; arules: number; mlxtend: number; top: [string[], string, number] }> = [
  { s: 0.006, c: 0.25, minLen: 2, arules: 463, mlxtend: 467, top: [["herbs"], "root vegetables", 3.956] },
  { s: 0.001, c: 0.8, minLen: 1, arules: 410, mlxtend: 413, top: [["liquor", "red/blush wine"], "bottled beer", 11.235] },
  { s: 0.001, c: 0.5, minLen: 1, arules: 5668, mlxtend: 5829, top: [["Instant food products", "soda"], "hamburger meat", 18.996] },
];

describe.skipIf(!have)("association rules on arules Groceries", () => {
  const b = have ? loadBasketFile(FILE) : (null as never);

  it("reads 9,835 baskets and 169 items", () => {
    const st = basketStats(b);
    expect(st.baskets).toBe(9835);
    expect(st.items).toBe(169);
    expect(st.maxSize).toBe(32);
    expect(b.items.length).toBe(43367); // item occurrences, as arules' Groceries (density 0.02609146)
  });

  it("finds the 13,492 frequent itemsets at support 0.001 (mlxtend apriori/fpgrowth count)", () => {
    const fi = frequentItemsets(b, { minSupport: 0.001 });
    expect(fi.counts.length).toBe(13492);
  });

  for (const k of CASES) {
    for (const mode of ["arules", "mlxtend"] as RuleMode[]) {
      it(`${mode}: support ${k.s}, confidence ${k.c}, min length ${k.minLen} → ${mode === "arules" ? k.arules : k.mlxtend} rules`, () => {
        const fi = frequentItemsets(b, { minSupport: k.s, maxLen: 10 });
        const rules = generateRules(fi, { mode, minConfidence: k.c, minLen: k.minLen });
        expect(numRules(rules)).toBe(mode === "arules" ? k.arules : k.mlxtend);
        if (mode === "arules") {
          const top = ruleRecord(sortRules(rules, "lift"), 0);
          expect(top.antecedent).toEqual(k.top[0]);
          expect(top.consequent).toEqual([k.top[1]]);
          expect(top.lift).toBeCloseTo(k.top[2], 3);
        }
      });
    }
  }

  it("arules mode with min length 1 adds the {} ⇒ {whole milk} rule at confidence 0.25", () => {
    const fi = frequentItemsets(b, { minSupport: 0.006 });
    const r1 = generateRules(fi, { minConfidence: 0.25, minLen: 1 });
    expect(numRules(r1)).toBe(464);
    const empty = [];
    for (let i = 0; i < numRules(r1); i++) if (r1.antOffsets[i + 1] === r1.antOffsets[i]) empty.push(ruleRecord(r1, i));
    expect(empty.map((e) => e.consequent[0])).toEqual(["whole milk"]);
    expect(empty[0].confidence).toBeCloseTo(2513 / 9835, 12);
    expect(empty[0].lift).toBe(1);
  });

  it("top rule metrics match mlxtend's formulas", () => {
    const fi = frequentItemsets(b, { minSupport: 0.001 });
    const r = ruleRecord(sortRules(generateRules(fi, { minConfidence: 0.8 }), "lift"), 0);
    // {liquor, red/blush wine} ⇒ {bottled beer}: counts 19 / 21, bottled beer in 792 baskets
    const N = 9835, sAC = 19 / N, sA = 21 / N, sC = 792 / N;
    expect(r.count).toBe(19);
    expect(r.confidence).toBeCloseTo(19 / 21, 12);
    expect(r.leverage).toBeCloseTo(sAC - sA * sC, 12);
    expect(r.conviction).toBeCloseTo((1 - sC) / (1 - 19 / 21), 10);
    expect(r.zhangs_metric).toBeCloseTo((sAC - sA * sC) / Math.max(sAC * (1 - sA), sA * (sC - sAC)), 12);
    expect(r.jaccard).toBeCloseTo(sAC / (sA + sC - sAC), 12);
    expect(r.certainty).toBeCloseTo((19 / 21 - sC) / (1 - sC), 12);
    expect(r.kulczynski).toBeCloseTo((19 / 21 + 19 / 792) / 2, 12);
    expect(r.representativity).toBe(1);
  });

  const cli = path.resolve(__dirname, "../dist/cli/main.js");
  it.skipIf(!fs.existsSync(cli))("CLI: custlab rules --json gives counts and the top rules by lift", () => {
    const p = spawnSync("node", [cli, "rules", FILE, "--format", "basket", "--min-support", "0.001", "--min-confidence", "0.5", "--json"], { encoding: "utf8" });
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.transactions).toBe(9835);
    expect(j.items).toBe(169);
    expect(j.itemsets).toBe(13492);
    expect(j.rules).toBe(5668);
    expect(j.top.length).toBe(20);
    expect(j.top[0].antecedent).toEqual(["Instant food products", "soda"]);
    expect(j.top[0].consequent).toEqual(["hamburger meat"]);
    expect(j.top[0].lift).toBeCloseTo(18.996, 3);
    for (let i = 1; i < j.top.length; i++) expect(j.top[i].lift).toBeLessThanOrEqual(j.top[i - 1].lift);
    expect(typeof j.seconds.total).toBe("number");
    const m = spawnSync("node", [cli, "rules", FILE, "--min-support", "0.001", "--min-confidence", "0.8", "--mode", "mlxtend", "--json"], { encoding: "utf8" });
    expect(JSON.parse(m.stdout).rules).toBe(413);
  });
});
