// Issue #16, "internal error replaced by a clear line": one customer in
// segment, a sentiment CV whose worker threads fail, an itemset explosion
// predicted and refused before mining, and unknown --options keys for train
// with a did-you-mean against the model's declared options.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { createRng } from "../src/util/random";

const root = path.resolve(__dirname, "..");
const main = path.join(root, "dist/cli/main.js");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-clierr-"));

function cli(args: string[]) {
  const t0 = Date.now();
  const r = spawnSync("node", [main, ...args], { cwd: work, encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr, seconds: (Date.now() - t0) / 1000 };
}

/** Exit 1 and exactly one stderr line (progress bars aside) matching `re`; never "internal error" or a stack frame. */
function oneLine(r: { code: number | null; err: string }, re: RegExp) {
  const lines = r.err.split("\n").filter((l) => l.trim() !== "" && !/^\S+ \[[#.]+\s*\d+%\]/.test(l));
  expect(r.code, r.err).toBe(1);
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).not.toMatch(/internal error|^\s+at |Error:/);
  expect(lines[0]).toMatch(re);
}

const HEADER = "customer_id,order_id,timestamp,product_id,product_name,category,quantity,unit_price,country,channel";
const line = (c: string, o: number, d: string) => `${c},${o},${d}T10:00:00Z,P1,Thing,Home,1,9.50,Germany,web`;

describe("clear lines instead of internal errors", () => {
  it("segment with one or two customers says how many it needs (today: 'kMax in 2..0')", () => {
    fs.writeFileSync(path.join(work, "one.csv"), [HEADER, line("c1", 1, "2024-01-02"), line("c1", 2, "2024-02-02")].join("\n") + "\n");
    oneLine(cli(["segment", "one.csv"]), /needs at least 3 customers with purchases .*got 1$/);
    fs.writeFileSync(path.join(work, "two.csv"), [HEADER, line("c1", 1, "2024-01-02"), line("c2", 2, "2024-02-02")].join("\n") + "\n");
    oneLine(cli(["segment", "two.csv"]), /got 2 \(k = 2 splits the two\)/);
    oneLine(cli(["segment", "two.csv", "--k", "3"]), /3 clusters need at least 3 rows, got 2/);
  });

  it("sentiment CV whose folds fail on the worker threads prints one line, not a stack trace", () => {
    // texts that are only numbers: no term survives pruning, in every fold, on every thread
    const rows = ["text,label", ...Array.from({ length: 60 }, (_, i) => `${i},${i % 2}`)];
    fs.writeFileSync(path.join(work, "numbers.csv"), rows.join("\n") + "\n");
    for (const threads of ["1", "2", "3"]) oneLine(cli(["sentiment", "numbers.csv", "--text", "text", "--label", "label", "--threads", threads]), /no terms remain/);
  });

  it("rules: an itemset explosion is predicted and refused at once, with an estimate and hints that fit", () => {
    // dense baskets: 28 of 40 items each; at support 0.001 every combination up to 10 items is frequent (> 10^9 itemsets)
    const rng = createRng(3);
    const baskets: string[] = [];
    for (let t = 0; t < 3000; t++) {
      const pool = Array.from({ length: 40 }, (_, i) => i);
      for (let i = 39; i > 0; i--) { const j = rng.int(i + 1); [pool[i], pool[j]] = [pool[j], pool[i]]; }
      baskets.push(pool.slice(0, 28).map((i) => `item${i}`).join(","));
    }
    fs.writeFileSync(path.join(work, "dense.basket"), baskets.join("\n") + "\n");
    const r = cli(["rules", "dense.basket", "--format", "basket", "--min-support", "0.001", "--quiet"]);
    oneLine(r, /itemset explosion predicted before mining: about [\d,]+ .*limit 10,000,000\)\. Raise the minimum support \(--min-support [\d.]+\) or lower the longest itemset \(--max-len \d+\)/);
    const est = Number(/about ([\d,]+)/.exec(r.err)![1].replace(/,/g, ""));
    // the true count here: all itemsets of ≤ 10 of the 40 items are frequent (a pair is in ≈ 0.49 · 3000 baskets, ten items in ≈ 0.017 · 3000 ≥ 3)
    let truth = 0, c = 1;
    for (let k = 1; k <= 10; k++) { c = (c * (40 - k + 1)) / k; truth += c; }
    expect(est).toBeGreaterThan(truth / 4);
    expect(est).toBeLessThan(truth * 4);
    expect(r.seconds).toBeLessThan(30); // refused before mining (today: 6.4 GB, 172 s, then "Map maximum size exceeded")
    // the suggested --max-len fits and mines
    const maxLen = /--max-len (\d+)/.exec(r.err)![1];
    const ok = cli(["rules", "dense.basket", "--format", "basket", "--min-support", "0.001", "--max-len", maxLen, "--min-confidence", "0.99", "--json"]);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out).itemsets).toBeLessThanOrEqual(10_000_000);
  }, 120_000);

  it("train --options with an unknown key names the model's options with a did-you-mean, before reading the table", () => {
    fs.writeFileSync(path.join(work, "t.csv"), "a,b,y\n" + Array.from({ length: 20 }, (_, i) => `${i},${(i * 7) % 5},${i % 2}`).join("\n") + "\n");
    oneLine(cli(["train", "t.csv", "--target", "y", "--model", "gbdt", "--options", '{"learning_rate":0.1}']), /model gbdt has no option "learning_rate" \(did you mean learningRate\?\) \(its options: learningRate, /);
    oneLine(cli(["train", "t.csv", "--target", "y", "--model", "forest", "--options", '{"n_estimators":10}']), /did you mean nEstimators\?/);
    oneLine(cli(["train", "t.csv", "--target", "y", "--model", "logreg", "--options", '{"learning_rate":0.1}']), /model logreg has no option "learning_rate" \(its options: penalty, C, /);
    oneLine(cli(["train", "missing.csv", "--target", "y", "--model", "gbdt", "--options", '{"learning_rate":0.1}']), /no option "learning_rate"/); // before the file is opened
  });
});
