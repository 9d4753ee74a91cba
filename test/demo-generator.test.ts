import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeDemoShop, generateDemoShop, demoPath, DEMO_FILES, DemoTruth, DIRTY_KINDS, DEMO_LINES_PER_CUSTOMER } from "../src/demo";
import { TRANSACTION_COLUMNS, REVIEW_COLUMNS } from "../src/io/schema";
import { INGEST_REASONS, CLEAN_FLAGS } from "../src/io/reasons";
import { rocAucScore } from "../src/demo/stats";

const DAY = 86_400_000;

/** Minimal RFC 4180 line splitter (the demo files have no quoted newlines). */
function splitCSV(line: string): string[] {
  const out: string[] = [];
  let cur = "", q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"') { if (line[i + 1] === '"') { cur += '"'; i++; } else q = false; }
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ",") { out.push(cur); cur = ""; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

function readCSV(file: string): { header: string[]; rows: string[][] } {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return { header: splitCSV(lines[0]), rows: lines.slice(1).map(splitCSV) };
}

describe("demo generator: reproducibility and files", () => {
  let dirA = "", dirB = "";
  let truthA: DemoTruth;
  beforeAll(() => {
    dirA = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-demo-a-"));
    dirB = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-demo-b-"));
    truthA = writeDemoShop(dirA, { seed: 42 });
    writeDemoShop(dirB, { seed: 42 });
  });
  afterAll(() => {
    fs.rmSync(dirA, { recursive: true, force: true });
    fs.rmSync(dirB, { recursive: true, force: true });
  });

  it("same seed → byte-identical files, equal to the committed datasets/demo", () => {
    for (const f of DEMO_FILES) {
      const a = fs.readFileSync(path.join(dirA, f));
      const b = fs.readFileSync(path.join(dirB, f));
      expect(a.equals(b), `${f} differs between two runs`).toBe(true);
      const committed = demoPath(f);
      if (fs.existsSync(committed)) expect(a.equals(fs.readFileSync(committed)), `${f} differs from the committed file: regenerate with 'custlab demo'`).toBe(true);
    }
  });

  it("a different seed gives different data", () => {
    const other = generateDemoShop({ seed: 7, customers: 300 });
    const base = generateDemoShop({ seed: 42, customers: 300 });
    expect(other.transactions.numRows).not.toBe(base.transactions.numRows);
  });

  it("every committed file is under 5 MB and the default has thousands of customers and tens of thousands of lines", () => {
    for (const f of DEMO_FILES) expect(fs.statSync(path.join(dirA, f)).size).toBeLessThan(5 * 1024 * 1024);
    expect(truthA.counts.customers).toBeGreaterThanOrEqual(3000);
    expect(truthA.counts.lines).toBeGreaterThan(30_000);
    expect(truthA.counts.products).toBeGreaterThanOrEqual(200);
    expect(truthA.counts.reviews).toBeGreaterThan(2000);
  });

  it("headers follow the canonical schema and the contract", () => {
    const first = (f: string) => fs.readFileSync(path.join(dirA, f), "utf8").split("\n")[0];
    expect(first("transactions.csv")).toBe(Object.keys(TRANSACTION_COLUMNS).join(","));
    expect(first("reviews.csv")).toBe(Object.keys(REVIEW_COLUMNS).join(","));
    expect(first("customers.csv")).toBe("customer_id,signup_date,country,channel,age_band,gender");
    expect(first("campaign.csv")).toBe("customer_id,segment,arm,converted");
    expect(first("truth_reviews.csv")).toBe("review_id,sentiment,topic,language");
    const tc = first("truth_customers.csv").split(",");
    for (const c of ["customer_id", "segment", "segment_final", "lambda", "p_dropout", "alive_at_cutoff", "churn_prob", "churned", "segment_q1", "segment_q8"]) expect(tc).toContain(c);
    const t = JSON.parse(fs.readFileSync(path.join(dirA, "truth.json"), "utf8"));
    for (const k of ["seed", "window", "cutoff", "horizon_days", "segments", "migrations", "co_purchase_pairs", "topics", "campaign", "dirty", "churn_bayes_auc"]) expect(t).toHaveProperty(k);
    expect(t.cutoff).toBe("2024-09-30");
    expect(t.horizon_days).toBe(90);
    for (const s of t.segments) {
      expect(Object.keys(s.bgnbd).sort()).toEqual(["a", "alpha", "b", "r"]);
      expect(s.bgnbd_week.alpha).toBeCloseTo(s.bgnbd.alpha / 7, 3);
      expect(Object.keys(s.gammagamma).sort()).toEqual(["p", "q", "v"]);
    }
    expect(t.topics.en).toHaveLength(5);
    expect(t.topics.zh).toHaveLength(5);
  });

  it("timestamps are ISO-8601 UTC minutes inside the window, sorted, none on closed days", () => {
    const { rows } = readCSV(path.join(dirA, "transactions.csv"));
    const dirtyLines = new Set(truthA.dirty_rows.map((d) => d.line));
    let prev = 0, checked = 0;
    const closed = new Set(truthA.closed_days);
    rows.forEach((r, i) => {
      if (dirtyLines.has(i + 2)) return;
      expect(r[2]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
      const ms = Date.parse(r[2]);
      expect(ms).toBeGreaterThanOrEqual(prev);
      prev = ms;
      expect(r[2].slice(0, 10) >= "2023-01-01" && r[2].slice(0, 10) <= "2024-12-31").toBe(true);
      expect(closed.has(r[2].slice(0, 10))).toBe(false);
      expect(Number(r[2].slice(11, 13))).toBeGreaterThanOrEqual(6);
      checked++;
    });
    expect(checked).toBe(rows.length - dirtyLines.size);
  });

  it("plants every dirty kind at the recorded lines, < 1% of rows, with reason codes from src/io/reasons.ts", () => {
    const raw = fs.readFileSync(path.join(dirA, "transactions.csv"));
    const lines: Buffer[] = [];
    let s = 0;
    for (let i = 0; i < raw.length; i++) if (raw[i] === 10) { lines.push(raw.subarray(s, i)); s = i + 1; }
    const known = new Set([...Object.keys(INGEST_REASONS), ...Object.keys(CLEAN_FLAGS)]);
    const total = Object.values(truthA.dirty).reduce((a, b) => a + b, 0);
    expect(total).toBe(truthA.dirty_rows.length);
    expect(total / (lines.length - 1)).toBeLessThan(0.01);
    for (const k of Object.keys(DIRTY_KINDS)) { expect(known.has(k), k).toBe(true); expect(truthA.dirty[k], k).toBeGreaterThan(0); }
    for (const d of truthA.dirty_rows) {
      const buf = lines[d.line - 1];
      const text = buf.toString("utf8");
      const f = splitCSV(text);
      const prevLine = lines[d.line - 2].toString("utf8");
      switch (d.reason) {
        case "empty_line": expect(text).toBe(""); break;
        case "ragged_row": expect(f.length).toBe(11); break;
        case "non_finite_number": expect(["NaN", "Infinity"]).toContain(f[6] === "NaN" ? "NaN" : f[7]); break;
        case "invalid_number": expect(Number.isFinite(Number(f[6])) && Number.isFinite(Number(f[7]))).toBe(false); break;
        case "invalid_date": expect(f[2]).not.toMatch(/^\d{4}-(0[1-9]|1[0-2])-([0-2]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:00Z$/); break;
        case "future_date": expect(Date.parse(f[2])).toBeGreaterThan(Date.now()); break;
        case "negative_price": expect(Number(f[7])).toBeLessThan(0); break;
        case "invalid_utf8": expect(new TextDecoder("utf-8", { fatal: false }).decode(buf)).toContain("\uFFFD"); expect(() => new TextDecoder("utf-8", { fatal: true }).decode(buf)).toThrow(); break;
        case "missing_required": expect(f[1] === "" || f[6] === "").toBe(true); break;
        case "duplicate_row": expect(text).toBe(prevLine); break;
        case "missing_customer_id": expect(f[0]).toBe(""); expect(Number(f[6])).toBeGreaterThan(0); break;
        case "zero_price": expect(Number(f[7])).toBe(0); break;
        case "non_positive_quantity": expect(Number(f[6])).toBe(0); break;
        default: throw new Error(`unexpected reason ${d.reason}`);
      }
    }
    // Only the invalid_utf8 line is not valid UTF-8.
    const bad = lines.filter((b) => { try { new TextDecoder("utf-8", { fatal: true }).decode(b); return false; } catch { return true; } });
    expect(bad.length).toBe(truthA.dirty.invalid_utf8);
  });

  it("returns are C-orders with negative quantity reversing an earlier purchase of the same product by the same customer", () => {
    const { rows } = readCSV(path.join(dirA, "transactions.csv"));
    const byOrder = new Map<string, string[][]>();
    for (const r of rows) if (r.length === 10) { let l = byOrder.get(r[1]); if (!l) byOrder.set(r[1], (l = [])); l.push(r); }
    const ret = readCSV(path.join(dirA, "truth_returns.csv")).rows;
    expect(ret.length).toBe(truthA.counts.return_lines);
    expect(ret.length).toBeGreaterThan(500);
    for (const [rid, pid, qty, orig] of ret.slice(0, 300)) {
      expect(rid.startsWith("C")).toBe(true);
      const r = byOrder.get(rid)![0];
      const o = byOrder.get(orig)!.find((x) => x[3] === pid)!;
      expect(o).toBeDefined();
      expect(r[0]).toBe(o[0]);
      expect(Number(r[6])).toBe(Number(qty));
      expect(-Number(qty)).toBeLessThanOrEqual(Number(o[6]));
      expect(Date.parse(r[2]) - Date.parse(o[2])).toBeGreaterThan(2 * DAY);
    }
  });

  it("Chinese reviews segment into words with Intl.Segmenter and planted topic words are real words", () => {
    const seg = new Intl.Segmenter("zh", { granularity: "word" });
    for (const t of truthA.topics.zh) {
      expect(t.words.length).toBeGreaterThanOrEqual(5);
      for (const w of t.words) expect([...seg.segment(w)].length, w).toBe(1);
    }
    const { rows } = readCSV(path.join(dirA, "reviews.csv"));
    const zh = rows.filter((r) => r[7] === "zh");
    expect(zh.length).toBeGreaterThan(500);
    const words = [...seg.segment(zh[0][6])].filter((s) => s.isWordLike).map((s) => s.segment);
    expect(words.some((w) => w.length >= 2)).toBe(true);
    expect(rows.filter((r) => r[7] === "en").length).toBeGreaterThan(1500);
  });

  it("streams a scaled shop in blocks (bounded memory path)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-demo-scale-"));
    try {
      const t = writeDemoShop(dir, { seed: 3, scaleTransactions: 30_000, blockCustomers: 500 });
      expect(t.counts.customers).toBe(Math.ceil(30_000 / DEMO_LINES_PER_CUSTOMER));
      expect(t.counts.lines).toBeGreaterThan(24_000);
      expect(t.counts.lines).toBeLessThan(36_000);
      const n = fs.readFileSync(path.join(dir, "truth_customers.csv"), "utf8").trim().split("\n").length - 1;
      expect(n).toBe(t.counts.customers);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it("rejects bad options with a clear error", () => {
    expect(() => generateDemoShop({ customers: 3 })).toThrow(/option customers/);
    expect(() => generateDemoShop({ cutoff: "2024-12-30" })).toThrow(/option cutoff/);
    expect(() => generateDemoShop({ cutoff: "soon" })).toThrow(/option cutoff/);
  });
});

describe("demo truth: churn, purchase process, migrations", () => {
  const shop = generateDemoShop({ seed: 42 });
  const tc = shop.truthCustomers;
  const ids = tc.str("customer_id");
  const churned = tc.num("churned"), prob = tc.num("churn_prob");

  it("churn_bayes_auc equals the AUC of churn_prob vs churned and the truth is calibrated", () => {
    expect(shop.truth.churn_bayes_auc).toBeCloseTo(rocAucScore(churned, prob), 5);
    expect(shop.truth.churn_bayes_auc).toBeGreaterThan(0.85);
    let cr = 0, mp = 0;
    for (let i = 0; i < ids.length; i++) { cr += churned[i]; mp += prob[i]; }
    expect(Math.abs(cr - mp) / ids.length).toBeLessThan(0.02);
    // Deciles of churn_prob: realised rate close to the mean probability.
    const order = Array.from(prob.keys()).sort((a, b) => prob[a] - prob[b]);
    for (let d = 0; d < 10; d++) {
      const part = order.slice(Math.floor((d * order.length) / 10), Math.floor(((d + 1) * order.length) / 10));
      const mr = part.reduce((s, i) => s + churned[i], 0) / part.length;
      const mpp = part.reduce((s, i) => s + prob[i], 0) / part.length;
      expect(Math.abs(mr - mpp), `decile ${d}`).toBeLessThan(0.07);
    }
  });

  it("churned and purchase counts agree with the transactions (history ≤ cutoff date, next 90 dates)", () => {
    const tx = shop.transactions;
    const cu = tx.str("customer_id"), od = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity");
    const cut = Date.parse("2024-10-01T00:00:00Z"), hEnd = cut + 90 * DAY;
    const before = new Map<string, Set<string>>(), inH = new Map<string, Set<string>>();
    for (let i = 0; i < tx.numRows; i++) {
      if (!cu[i] || od[i].startsWith("C") || !(q[i] > 0)) continue;
      const m = ts[i] < cut ? before : ts[i] < hEnd ? inH : null;
      if (!m) continue;
      let s = m.get(cu[i]); if (!s) m.set(cu[i], (s = new Set())); s.add(od[i]);
    }
    const pb = tc.num("purchases_before_cutoff"), ph = tc.num("purchases_in_horizon");
    for (let i = 0; i < ids.length; i++) {
      expect(before.get(ids[i])?.size ?? 0).toBe(pb[i]);
      expect(inH.get(ids[i])?.size ?? 0).toBe(ph[i]);
      expect(churned[i]).toBe(ph[i] === 0 ? 1 : 0);
    }
    // The midnight convention gives the same labels: no orders on the closed cutoff date.
    const sep30 = Date.parse("2024-09-30T00:00:00Z");
    let onClosedDay = 0;
    for (let i = 0; i < tx.numRows; i++) if (ts[i] >= sep30 && ts[i] < cut && !od[i].startsWith("C") && q[i] > 0 && cu[i] !== "") onClosedDay++;
    expect(onClosedDay).toBe(0);
  });

  it("individual rates follow each segment's Gamma and Beta (mean within 5%)", () => {
    const seg = tc.str("segment"), lam = tc.num("lambda_initial"), p = tc.num("p_dropout_initial");
    for (const s of shop.truth.segments) {
      const ii = ids.map((_, i) => i).filter((i) => seg[i] === s.name);
      expect(ii.length / ids.length).toBeCloseTo(s.share, 1);
      const ml = ii.reduce((a, i) => a + lam[i], 0) / ii.length;
      const mp = ii.reduce((a, i) => a + p[i], 0) / ii.length;
      expect(Math.abs(ml / (s.bgnbd.r / s.bgnbd.alpha) - 1), s.name).toBeLessThan(0.05);
      expect(Math.abs(mp / (s.bgnbd.a / (s.bgnbd.a + s.bgnbd.b)) - 1), s.name).toBeLessThan(0.1);
    }
  });

  it("plants the loyal → at_risk migration per quarter", () => {
    const m = shop.truth.migrations[0];
    expect(m.from).toBe("loyal");
    expect(m.to).toBe("at_risk");
    const seg = tc.str("segment"), q4 = tc.str("segment_q4"), q5 = tc.str("segment_q5"), fin = tc.str("segment_final"), mig = tc.num("migrated");
    let moved = 0, loyal = 0;
    for (let i = 0; i < ids.length; i++) {
      if (seg[i] === "loyal") loyal++;
      if (mig[i]) { moved++; expect(q4[i]).toBe("loyal"); expect(q5[i]).toBe("at_risk"); expect(fin[i]).toBe("at_risk"); }
      else expect(fin[i]).toBe(seg[i]);
    }
    expect(moved).toBe(m.cohort_size);
    expect(moved / loyal).toBeGreaterThan(0.06);
    expect(moved / loyal).toBeLessThan(0.14);
  });

  it("orders peak in November/December", () => {
    const ts = shop.transactions.num("timestamp");
    const byMonth = new Array(12).fill(0);
    for (let i = 0; i < ts.length; i++) byMonth[new Date(ts[i]).getUTCMonth()]++;
    const rest = (byMonth.slice(0, 10).reduce((a, b) => a + b, 0)) / 10;
    expect(byMonth[10]).toBeGreaterThan(1.15 * rest);
    expect(byMonth[11]).toBeGreaterThan(1.15 * rest);
  });
});

describe("custlab demo (CLI) and demoPath", () => {
  const root = path.resolve(__dirname, "..");
  const built = fs.existsSync(path.join(root, "dist/cli/commands/demo.js"));

  it("demoPath points at the committed files from src/", () => {
    expect(demoPath("truth.json")).toBe(path.join(root, "datasets/demo/truth.json"));
    expect(fs.existsSync(demoPath("transactions.csv"))).toBe(true);
  });

  it.runIf(built)("writes a shop and prints a JSON summary; demoPath works from dist/", () => {
    const { spawnSync } = require("child_process") as typeof import("child_process");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-demo-cli-"));
    try {
      const r = spawnSync("node", ["dist/cli/main.js", "demo", "--out", dir, "--customers", "300", "--seed", "5", "--json"], { cwd: root, encoding: "utf8" });
      expect(r.status).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.customers).toBe(300);
      expect(j.seed).toBe(5);
      expect(j.lines).toBeGreaterThan(2000);
      expect(fs.existsSync(path.join(dir, "truth.json"))).toBe(true);
      const bad = spawnSync("node", ["dist/cli/main.js", "demo", "--out", dir, "--customers", "abc"], { cwd: root, encoding: "utf8" });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
      const p = spawnSync("node", ["-e", 'console.log(require("./dist/demo").demoPath("truth.json"))'], { cwd: root, encoding: "utf8" });
      expect(p.stdout.trim()).toBe(path.join(root, "datasets/demo/truth.json"));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
