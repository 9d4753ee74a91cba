// Issue #16, "outputs that never destroy anything" and "every option checked,
// with one clear line", through the real CLI (node dist/cli/main.js): an output
// is never an input, unwritable outputs fail before any work, bad option values
// and unknown flags exit 1 with one line, header-only inputs get a clear line,
// and no CSV custlab writes carries an active spreadsheet formula.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as crypto from "crypto";
import { spawnSync, SpawnSyncOptions } from "child_process";

const root = path.resolve(__dirname, "..");
const main = path.join(root, "dist/cli/main.js");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-cliout-"));
fs.chmodSync(work, 0o755); // readable by the unprivileged user of the read-only test

function cli(args: string[], o: SpawnSyncOptions = {}) {
  const r = spawnSync("node", [main, ...args], { cwd: work, encoding: "utf8", env: { ...process.env, CUSTLAB_SALT: "s" }, maxBuffer: 256 << 20, ...o });
  return { code: r.status, out: String(r.stdout ?? ""), err: String(r.stderr ?? "") };
}
const sha = (f: string) => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");

/** Expect exit 1 and exactly one stderr line "custlab: …" matching `re` (no stack, no "internal error"). */
function oneLine(r: { code: number | null; err: string }, re: RegExp) {
  const lines = r.err.split("\n").filter((l) => l.trim() !== "" && !/^\S+ \[[#.]+\s*\d+%\]/.test(l)); // progress bars aside
  expect(r.code, r.err).toBe(1);
  expect(lines.length, r.err).toBe(1);
  expect(lines[0]).toMatch(/^custlab: /);
  expect(lines[0]).not.toMatch(/internal error|    at /);
  expect(lines[0]).toMatch(re);
}

/** RFC 4180 reader for the assertions (quoted fields, doubled quotes, CR/LF inside quotes). */
function parseCSV(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], f = "", q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) { if (c === '"') { if (text[i + 1] === '"') { f += '"'; i++; } else q = false; } else f += c; continue; }
    if (c === '"') q = true;
    else if (c === ",") { row.push(f); f = ""; }
    else if (c === "\n") { row.push(f); rows.push(row); row = []; f = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { /* CRLF */ }
    else f += c;
  }
  if (f !== "" || row.length) { row.push(f); rows.push(row); }
  return rows;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?Infinity$/;
/** Cells starting with = + - @ tab CR that are not plain numbers. */
function activeCells(file: string): string[] {
  return parseCSV(fs.readFileSync(file, "utf8")).flat().filter((c) => c !== "" && "=+-@\t\r".includes(c[0]) && !NUMBER.test(c));
}

const PAYLOADS = ['=HYPERLINK("http://evil.example/?x","click me")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"];
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
let shop = "";

beforeAll(() => {
  // A small demo shop (300 customers), then hostile ids, product names and bad cells written into it.
  const r = cli(["demo", "--out", "shop", "--customers", "300", "--seed", "7", "--json"]);
  expect(r.code, r.err).toBe(0);
  const lines = fs.readFileSync(path.join(work, "shop/transactions.csv"), "utf8").split("\n");
  const ids = new Map<string, string>();
  const out = [lines[0]];
  for (const l of lines.slice(1)) {
    if (!l) continue;
    const id = l.slice(0, l.indexOf(","));
    if (!ids.has(id) && ids.size < PAYLOADS.length && /^cust\d+$/.test(id)) ids.set(id, PAYLOADS[ids.size]);
    let line = ids.has(id) ? q(ids.get(id)!) + l.slice(id.length) : l;
    line = line.replace(",Argan Shampoo 250ml,", `,${q("=cmd|' /C calc'!A0")},`); // an item in many rules
    out.push(line);
  }
  const bad = (id: string, ts: string, qty: string, price: string) => `${id},999999,${ts},P0001,Thing,Apparel,${qty},${price},Germany,web`;
  out.push(bad("cust00010", "2023-05-05T10:00:00Z", "1", q("=1+1")), bad("cust00011", "-1.5", "1", "2.50"), bad("cust00012", "2023-05-05T10:00:00Z", q("@SUM(A1)"), "2.50"));
  shop = path.join(work, "shop/hostile.csv");
  fs.writeFileSync(shop, out.join("\n") + "\n");
}, 120_000);

describe("no command writes over one of its inputs", () => {
  it("quality --quarantine <the input> is refused before reading; the input is unchanged", () => {
    const before = sha(shop);
    for (const target of [shop, path.relative(work, shop), "./" + path.relative(work, shop)]) {
      oneLine(cli(["quality", shop, "--quarantine", target]), /refusing to overwrite an input of this command \(.*\) with --quarantine;/);
    }
    fs.symlinkSync(shop, path.join(work, "alias.csv"));
    oneLine(cli(["quality", shop, "--quarantine", "alias.csv"]), /refusing to overwrite an input of this command \(.*\) with --quarantine;/);
    expect(sha(shop)).toBe(before);
  });
  it("churn --alerts, clv --table, rules --out and report --out naming the input (or its folder) are refused", () => {
    const before = sha(shop);
    oneLine(cli(["churn", shop, "--cutoff", "2024-09-30", "--alerts", shop]), /refusing to overwrite an input of this command \(.*\) with --alerts;/);
    oneLine(cli(["clv", shop, "--table", shop]), /refusing to overwrite an input of this command \(.*\) with --table;/);
    oneLine(cli(["rules", shop, "--format", "custlab", "--out", shop]), /refusing to overwrite an input of this command \(.*\) with --out;/);
    oneLine(cli(["features", shop, "--cutoff", "2024-09-30", "--out", "./shop/../shop/hostile.csv"]), /refusing to overwrite an input of this command \(.*\) with --out;/);
    oneLine(cli(["report", shop, "--out", path.dirname(shop)]), /refusing to write the report folder into a folder that holds an input/);
    expect(sha(shop)).toBe(before);
  });
  it("report into a non-empty folder custlab did not write is refused (the demo customers.csv survives)", () => {
    const dir = path.join(work, "foreign");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "customers.csv"), "mine\n");
    oneLine(cli(["report", shop, "--out", dir]), /holds files custlab did not write \(customers\.csv\).*--force/);
    expect(fs.readFileSync(path.join(dir, "customers.csv"), "utf8")).toBe("mine\n");
  });
});

describe("unwritable outputs are reported in one line before any computation", () => {
  const asUser: SpawnSyncOptions = process.getuid && process.getuid() === 0 ? { uid: 65534, gid: 65534 } : {};
  it("read-only folder: churn --alerts, clv --table, quality --quarantine, rules --out, report --out", () => {
    const ro = path.join(work, "ro");
    fs.mkdirSync(ro);
    fs.chmodSync(ro, 0o555);
    fs.chmodSync(path.join(work, "shop"), 0o755);
    fs.chmodSync(shop, 0o644);
    const cases: Array<[string[], RegExp]> = [
      [["churn", shop, "--cutoff", "2024-09-30", "--alerts", "ro/alerts.csv"], /cannot write --alerts: permission denied .*checked before reading/],
      [["clv", shop, "--table", "ro/t.csv"], /cannot write --table: permission denied/],
      [["quality", shop, "--format", "custlab", "--quarantine", "ro/q.csv"], /cannot write --quarantine: permission denied/],
      [["rules", shop, "--format", "custlab", "--out", "ro/r.csv"], /cannot write --out: permission denied/],
      [["report", shop, "--out", "ro/report"], /cannot write the report folder: permission denied/],
      [["report", shop, "--out", "ro"], /cannot write the report folder: permission denied/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args, asUser);
      oneLine(r, re);
      expect(r.err, "no stage ran").not.toMatch(/\[[#.]+\s*\d+%\]/);
    }
    expect(fs.readdirSync(ro)).toEqual([]);
  });
});

describe("every option checked, with one clear line", () => {
  it("bad values exit 1 with one line naming the option", () => {
    const cases: Array<[string[], RegExp]> = [
      [["clv", shop, "--horizon", "-5"], /--horizon must be a number > 0, got -5/],
      [["clv", shop, "--horizon", "0"], /--horizon must be a number > 0/],
      [["clv", shop, "--churn-horizon", "0"], /--churn-horizon must be/],
      [["churn", shop, "--cutoff", "2024-09-30", "--horizon", "-5"], /--horizon must be a whole number > 0/],
      [["churn", shop, "--cutoff", "2024-09-30", "--every", "0"], /--every must be a whole number > 0/],
      [["churn", shop, "--cutoff", "2024-09-30", "--every", "-30"], /--every must be a whole number > 0/],
      [["report", shop, "--out", "r1", "--horizon", "-5"], /--horizon: must be a positive whole number of days, got -5/],
      [["report", shop, "--out", "r1", "--k", "1"], /--k: must be "auto" or a whole number ≥ 2, got 1/],
      [["report", shop, "--out", "r1", "--k", "x"], /--k must be a number/],
      [["report", shop, "--out", "r1", "--cutoff", "2024-02-30"], /--cutoff: must be a calendar date YYYY-MM-DD, got "2024-02-30"/],
      [["report", shop, "--out", "r1", "--cutoff", "yesterday"], /--cutoff: must be a calendar date/],
      [["demo", "--out", "d1", "--horizon", "0"], /--horizon must be a whole number > 0/],
      [["topics", shop, "--text", "product_name", "--alpha", "0"], /--alpha must be a number > 0/],
      [["topics", shop, "--text", "product_name", "--beta", "-1"], /--beta must be a number > 0/],
      [["topics", shop, "--text", "product_name", "--top", "0"], /--top must be a whole number ≥ 1/],
      [["topics", shop, "--text", "product_name", "--iterations", "0"], /--iterations must be a whole number ≥ 1/],
      [["topics", shop, "--text", "product_name", "--optimize-interval", "-1"], /--optimize-interval must be a whole number ≥ 0/],
      [["topics", shop, "--text", "product_name", "--optimize-interval", "10", "--inference", "cvb0"], /--optimize-interval needs --inference gibbs/],
    ];
    for (const [args, re] of cases) oneLine(cli(args), re);
    expect(fs.existsSync(path.join(work, "r1"))).toBe(false);
    expect(fs.existsSync(path.join(work, "d1"))).toBe(false);
  });
  it("report --cutoff must leave a horizon of data after it (like churn), instead of a section that 'could not be produced'", () => {
    oneLine(cli(["report", shop, "--out", "r2", "--cutoff", "2030-01-01"]), /--cutoff: the data ends 2024-12-31, before cutoff \+ horizon/);
    oneLine(cli(["report", shop, "--out", "r2", "--cutoff", "2001-01-01"]), /--cutoff: 2001-01-01 is not after the first order/);
    expect(fs.existsSync(path.join(work, "r2"))).toBe(false);
  });
  it("unknown flags are rejected by every command, main included, with a suggestion when one is close", () => {
    const commands = Object.keys(require(path.join(root, "dist/cli/commands/index.js")).commands as Record<string, unknown>);
    expect(commands.length).toBeGreaterThanOrEqual(15);
    for (const c of commands) oneLine(cli([c, "--frobnicate"]), /unknown option --frobnicate/);
    oneLine(cli(["main", "--frobnicate"]), /unknown option --frobnicate \(known: --out\)/);
    oneLine(cli(["churn", shop, "--horizn", "30"]), /unknown option --horizn \(did you mean --horizon\?\)/);
    oneLine(cli(["clv", shop, "--tabel", "x.csv"]), /did you mean --table\?/);
  });
  it("a header-only input is one clear line for churn and report, not 'Invalid time value'", () => {
    fs.writeFileSync(path.join(work, "header.csv"), fs.readFileSync(shop, "utf8").split("\n")[0] + "\n");
    oneLine(cli(["churn", "header.csv", "--cutoff", "2024-01-01"]), /header\.csv: no purchase lines to score \(0 rows in/);
    oneLine(cli(["report", "header.csv", "--out", "r3"]), /header\.csv: no purchase lines to report on \(0 rows in/);
    expect(fs.existsSync(path.join(work, "r3"))).toBe(false);
  });
});

describe("CSV formula injection: no CSV custlab writes starts a cell with an active formula character", () => {
  it("quarantine file, alerts, CLV table, rules, features, report customers.csv and rules.csv", () => {
    const files: Record<string, string> = {};
    let r = cli(["quality", shop, "--format", "custlab", "--quarantine", "exp/quarantine.csv", "--json"]);
    expect(r.code, r.err).toBe(0);
    files.quarantine = path.join(work, "exp/quarantine.csv");
    r = cli(["churn", shop, "--cutoff", "2024-09-30", "--alerts", "exp/alerts.csv", "--json"]);
    expect(r.code, r.err).toBe(0);
    files.alerts = path.join(work, "exp/alerts.csv");
    r = cli(["clv", shop, "--table", "exp/clv.csv", "--json"]);
    expect(r.code, r.err).toBe(0);
    files.clv = path.join(work, "exp/clv.csv");
    r = cli(["rules", shop, "--format", "custlab", "--min-support", "0.0005", "--min-confidence", "0.05", "--out", "exp/rules.csv", "--json"]);
    expect(r.code, r.err).toBe(0);
    files.rules = path.join(work, "exp/rules.csv");
    r = cli(["features", shop, "--cutoff", "2024-09-30", "--out", "exp/features.csv", "--json"]);
    expect(r.code, r.err).toBe(0);
    files.features = path.join(work, "exp/features.csv");
    r = cli(["report", shop, "--out", "exp/report", "--json"]);
    expect(r.code, r.err).toBe(0);
    files.customers = path.join(work, "exp/report/customers.csv");
    files.reportRules = path.join(work, "exp/report/rules.csv");
    for (const [name, f] of Object.entries(files)) expect(activeCells(f), name).toEqual([]);

    // The payloads went through, neutralised (not dropped): quarantine details, customer ids, product names.
    const qcells = parseCSV(fs.readFileSync(files.quarantine, "utf8"));
    const detail = qcells[0].indexOf("detail");
    expect(qcells.map((row) => row[detail])).toEqual(expect.arrayContaining(["'=1+1", "'@SUM(A1)", "-1.5"])); // -1.5 stays a number
    const ids = (f: string) => parseCSV(fs.readFileSync(f, "utf8")).slice(1).map((row) => row[0]);
    for (const f of [files.alerts, files.clv, files.features]) {
      const got = ids(f);
      for (const p of PAYLOADS) expect(got, `${path.basename(f)}: ${JSON.stringify(p)}`).toContain("'" + p);
    }
    expect(fs.readFileSync(files.rules, "utf8")).toContain("=cmd|' /C calc'!A0"); // inside {…}: inert
    // numbers stay numbers: every churn probability parses as a number
    const al = parseCSV(fs.readFileSync(files.alerts, "utf8"));
    const pc = al[0].indexOf("churn_probability");
    expect(al.slice(1).every((row) => Number.isFinite(Number(row[pc])))).toBe(true);
  });
});
