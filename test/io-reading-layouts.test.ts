// Layouts that failed (issue 16, "Reading any layout"), each through the CLI with fixtures made
// here (test/fixtures/reading/make-fixtures.mjs and the files written below).
import { describe, it, expect } from "vitest";
import * as path from "path";
import { runJSON } from "./helpers/cli";
import { run as clv } from "../src/cli/commands/clv";

const FIX = path.join(__dirname, "fixtures", "reading");

describe("headerless whitespace CDNOW-like transactions", () => {
  it("clv --format transactions --no-header --delimiter whitespace --map … --date-format %Y%m%d gives the cdnow adapter's fit on the same lines", async () => {
    const flags = ["--no-header", "--delimiter", "whitespace", "--map", "customer_id=#2", "--map", "timestamp=#3", "--map", "quantity=#4", "--map", "amount=#5", "--date-format", "%Y%m%d"];
    const got = await runJSON(clv, [path.join(FIX, "cdnow-headerless.txt"), "--format", "transactions", ...flags, "--json"]);
    const want = await runJSON(clv, [path.join(FIX, "cdnow-master-300.txt"), "--format", "cdnow", "--json"]);
    expect(got.input).toEqual({ rows_in: 1046, accepted: 1046, quarantined: 0, reasons: {}, encoding: "utf-8" });
    expect(got.customers).toBe(300);
    expect(got.repeat_purchases).toBe(want.repeat_purchases);
    expect(got.observation_end).toBe("1998-06-29");
    for (const k of ["r", "alpha", "a", "b", "loglik"]) expect(got.bgnbd[k]).toBeCloseTo(want.bgnbd[k], 10);
    for (const k of ["p", "q", "v"]) expect(got.gammagamma[k]).toBeCloseTo(want.gammagamma[k], 10);
    expect(got.clv.mean_predicted_clv).toBeCloseTo(want.clv.mean_predicted_clv, 8);
  });
});

// ---- fixtures written at test time into a temporary folder ----
import * as fs from "fs";
import * as os from "os";
import { spawnSync } from "child_process";
import { runCLI } from "./helpers/cli";
import { run as rules } from "../src/cli/commands/rules";
import { run as sentiment } from "../src/cli/commands/sentiment";
import { run as topics } from "../src/cli/commands/topics";
import { run as segment } from "../src/cli/commands/segment";
import { run as churn } from "../src/cli/commands/churn";
import { readBaskets, readLongBaskets } from "../src/rules/read";
import { basketItemNames, numBaskets } from "../src/rules/baskets";
import { loadReviews, loadTransactions } from "../src/io/adapters";

const ROOT = path.resolve(__dirname, "..");
const GROCERIES = path.resolve(ROOT, "../shared/datasets/groceries/groceries.csv");
const DEMO = path.join(ROOT, "datasets", "demo");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-layouts-"));

const runAll = runCLI;

describe("long-format baskets", () => {
  it("a hand-made long file: one basket per distinct (member, date); a row without an item is quarantined", async () => {
    const f = path.join(tmp, "long-small.csv");
    fs.writeFileSync(f, [
      "Member_number,Date,itemDescription",
      "1,01-01-2015,milk", "1,01-01-2015,bread", "2,01-01-2015,milk", "1,02-01-2015,beer",
      "1,01-01-2015,milk", // duplicate item in a basket counts once
      "2,01-01-2015,eggs", "3,05-01-2015,", "3,05-01-2015,milk",
    ].join("\n") + "\n");
    const { baskets, report } = await readLongBaskets(f, { basket: ["Member_number", "Date"], item: "itemDescription" });
    expect(report).toMatchObject({ rows_in: 8, accepted: 7, quarantined: 1, reasons: { missing_required: 1 } });
    expect(report.quarantine[0]).toMatchObject({ line: 8, column: "itemDescription", reason: "missing_required" });
    expect(baskets.basketIds).toEqual(["1|01-01-2015", "2|01-01-2015", "1|02-01-2015", "3|05-01-2015"]);
    expect(Array.from({ length: numBaskets(baskets) }, (_, i) => basketItemNames(baskets, i).sort())).toEqual([["bread", "milk"], ["eggs", "milk"], ["beer"], ["milk"]]);
    // by position, without a header
    fs.writeFileSync(path.join(tmp, "long-nohdr.tsv"), "1\t01-01-2015\tmilk\n1\t01-01-2015\tbread\n2\t01-01-2015\tmilk\n");
    const nh = await readLongBaskets(path.join(tmp, "long-nohdr.tsv"), { header: false, delimiter: "tab", basket: ["#1", "#2"], item: "#3" });
    expect(nh.baskets.basketIds).toEqual(["1|01-01-2015", "2|01-01-2015"]);
  });

  it.skipIf(!fs.existsSync(GROCERIES))("rules --format long --basket Member_number,Date --item itemDescription on Groceries rewritten long gives the basket file's rules", async () => {
    const lines = fs.readFileSync(GROCERIES, "utf8").split("\n").filter((l) => l.trim() !== "");
    const out = ["Member_number,Date,itemDescription"];
    // two baskets per member on different days; items in a rotated order so rows of a basket are not sorted
    lines.forEach((l, i) => {
      const items = l.split(",").map((s) => s.trim()).filter(Boolean);
      const rot = items.slice(i % items.length).concat(items.slice(0, i % items.length));
      for (const it of rot) out.push(`${1000 + (i >> 1)},${String((i % 28) + 1).padStart(2, "0")}-0${(i % 9) + 1}-2015,${it.includes(",") ? `"${it}"` : it}`);
    });
    const f = path.join(tmp, "groceries-long.csv");
    fs.writeFileSync(f, out.join("\n") + "\n");
    const flags = ["--min-support", "0.001", "--min-confidence", "0.5", "--json", "--top", "10"];
    const long = JSON.parse((await runAll(rules, [f, "--format", "long", "--basket", "Member_number,Date", "--item", "itemDescription", ...flags])).out);
    const basket = JSON.parse((await runAll(rules, [GROCERIES, "--format", "basket", ...flags])).out);
    expect(long.input).toEqual({ rows_in: out.length - 1, accepted: out.length - 1, quarantined: 0, reasons: {}, encoding: "utf-8" });
    expect(long.transactions).toBe(9835);
    expect(basket.transactions).toBe(9835);
    expect(long.rules).toBe(basket.rules);
    expect(long.rules).toBe(5668); // R arules on Groceries at support 0.001, confidence 0.5 (test/rules-groceries.test.ts)
    expect(long.top).toEqual(basket.top);
  });

  it("rules on a CSV table with a header and no --format stops with one line naming the columns", async () => {
    const f = path.join(tmp, "table.csv");
    fs.writeFileSync(f, "Member_number,Date,itemDescription\n1808,21-07-2015,tropical fruit\n2552,05-01-2015,whole milk\n2300,19-09-2015,pip fruit\n");
    const r = await runAll(rules, [f, "--min-support", "0.1", "--json"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(`table.csv: this looks like a table with a header (columns: "Member_number", "Date", "itemDescription")`);
    expect(r.err).toContain("--format long --basket <col>[,<col>…] --item <col>");
    // the same file read as asked
    const ok = JSON.parse((await runAll(rules, [f, "--format", "long", "--basket", "Member_number,Date", "--item", "itemDescription", "--min-support", "0.1", "--min-confidence", "0.1", "--json"])).out);
    expect(ok.transactions).toBe(3);
  });
});

describe("basket reading goes through encoding detection and quarantine", () => {
  const text = "café,crème brûlée\nthé,café\ncafé\n";
  it("Latin-1 and UTF-16 basket files read as the UTF-8 one (café stays café); strict UTF-8 quarantines, never mines U+FFFD", async () => {
    const utf8 = path.join(tmp, "b-utf8.csv"), latin = path.join(tmp, "b-latin1.csv"), u16 = path.join(tmp, "b-utf16.csv"), u16be = path.join(tmp, "b-utf16be.csv");
    fs.writeFileSync(utf8, text);
    fs.writeFileSync(latin, Buffer.from(text, "latin1"));
    fs.writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    fs.writeFileSync(u16be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]));
    const want = (await readBaskets(utf8, { encoding: "auto" })).baskets;
    expect(want.itemNames).toEqual(["café", "crème brûlée", "thé"]);
    for (const [f, enc] of [[latin, "latin1"], [u16, "utf-16le"], [u16be, "utf-16be"]]) {
      const r = await readBaskets(f, { encoding: "auto" });
      expect(r.report.encoding).toBe(enc);
      expect(r.baskets.itemNames).toEqual(want.itemNames);
      expect(Array.from(r.baskets.items)).toEqual(Array.from(want.items));
    }
    const strict = await readBaskets(latin, { encoding: "utf-8" });
    expect(strict.report).toMatchObject({ rows_in: 3, accepted: 0, quarantined: 3, reasons: { invalid_utf8: 3 } });
    expect(strict.baskets.itemNames.some((n) => n.includes("\uFFFD"))).toBe(false);
    // the CLI refuses to mine what it could not read, naming the reason and the fix
    const cli = await runAll(rules, [latin, "--format", "basket", "--encoding", "utf-8", "--min-support", "0.1", "--json"]);
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/3 of 3 rows \(100\.0%\) were quarantined, most as invalid_utf8 \(3\); the file is probably not UTF-8: try --encoding latin1/);
    const auto = JSON.parse((await runAll(rules, [latin, "--format", "basket", "--min-support", "0.3", "--min-confidence", "0.1", "--json"])).out);
    expect(auto.input).toEqual({ rows_in: 3, accepted: 3, quarantined: 0, reasons: {}, encoding: "latin1" });
    expect(auto.top.flatMap((r: { antecedent: string[]; consequent: string[] }) => [...r.antecedent, ...r.consequent])).toContain("café");
  });

  it("a 100 MB single line is quarantined as field_too_large, within a 128 MB heap", () => {
    const f = path.join(tmp, "huge-line.csv");
    const fd = fs.openSync(f, "w");
    fs.writeSync(fd, "milk,bread\n");
    const chunk = Buffer.from("x,".repeat(1 << 19)); // 1 MiB of two-byte items
    for (let i = 0; i < 100; i++) fs.writeSync(fd, chunk);
    fs.writeSync(fd, "\nmilk,eggs\nbread\n");
    fs.closeSync(fd);
    const p = spawnSync(process.execPath, ["--max-old-space-size=128", path.join(ROOT, "dist/cli/main.js"), "rules", f, "--format", "basket", "--min-support", "0.3", "--min-confidence", "0.1", "--json"], { encoding: "utf8", maxBuffer: 1 << 24 });
    expect(p.stderr).toBe("custlab: warning: 1 of 4 rows of " + f + " (25.0%) were quarantined (field_too_large 1); a field or line is huge: check --delimiter and the line ends\n");
    expect(p.status).toBe(0);
    const j = JSON.parse(p.stdout);
    expect(j.input).toEqual({ rows_in: 4, accepted: 3, quarantined: 1, reasons: { field_too_large: 1 }, encoding: "utf-8" });
    expect(j.transactions).toBe(3);
    expect(j.items).toBe(3);
  });
});

describe("a latin-1 orders file: segment and churn say what they read", () => {
  // the demo shop's orders with accented product names on 16 lines in 17, written in Latin-1
  const src = fs.readFileSync(path.join(DEMO, "transactions.csv"), "utf8").split("\n");
  const f = path.join(tmp, "orders-latin1.csv");
  fs.writeFileSync(f, Buffer.from(src.map((l, i) => (i === 0 || l === "" || i % 17 === 0 ? l : l.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)([^,]*)/, "$1$2 crème"))).join("\n"), "latin1"));
  const rowsIn = src.length - 2; // header and the final empty string

  it("auto detects Latin-1: segment reads every row the UTF-8 original does and names the encoding", async () => {
    const want = JSON.parse((await runAll(segment, [path.join(DEMO, "transactions.csv"), "--k", "4", "--json"])).out);
    const got = JSON.parse((await runAll(segment, [f, "--k", "4", "--json"])).out);
    expect(got.input.encoding).toBe("latin1");
    expect(got.input.rows_in).toBe(rowsIn);
    expect(want.input.encoding).toBe("utf-8");
    // the demo's one planted invalid-UTF-8 line is valid Latin-1: accepted here, quarantined in the UTF-8 original
    expect(got.input.accepted).toBe(want.input.accepted + 1);
    expect(got.customers).toBe(want.customers);
    // that one extra order line moves one customer's features a little, nothing else
    expect(Math.abs(got.inertia - want.inertia) / want.inertia).toBeLessThan(1e-4);
  });

  it("read as UTF-8 most rows are quarantined: segment and churn exit 1 with the top reason and --encoding latin1; --allow-quarantine runs with a warning", async () => {
    for (const [run, extra] of [[segment, ["--k", "4"]], [churn, ["--cutoff", "2024-06-30", "--horizon", "90"]]] as const) {
      const r = await runAll(run, [f, "--encoding", "utf-8", ...extra, "--json"]);
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toMatch(new RegExp(`orders-latin1\\.csv: \\d+ of ${rowsIn} rows \\(9\\d\\.\\d%\\) were quarantined, most as invalid_utf8 \\(\\d+\\); the file is probably not UTF-8: try --encoding latin1`));
    }
    const r = await runAll(segment, [f, "--encoding", "utf-8", "--allow-quarantine", "--k", "4", "--json"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^custlab: warning: \d+ of \d+ rows of .*orders-latin1\.csv \(9\d\.\d%\) were quarantined \(invalid_utf8 \d+/);
    const j = JSON.parse(r.out);
    expect(j.input.quarantined / j.input.rows_in).toBeGreaterThan(0.9);
    expect(j.input.accepted).toBeGreaterThan(2500); // the ASCII lines only
    expect(j.customers).toBeGreaterThan(0);
  });
});

describe("tab-separated reviews with dates like 31-Jul-18", () => {
  it("sentiment <file.tsv> --delimiter tab --text <col> --label <col> gives the CSV's result; the dates read with --date-format %d-%b-%y", async () => {
    const csv = path.join(DEMO, "reviews.csv");
    const { table } = await loadReviews(csv, { format: "custlab" });
    const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const ts = table.num("timestamp"), text = table.str("text"), label = table.num("label"), rating = table.num("rating"), ids = table.str("review_id");
    const rows = ["Review ID\tReview Date\tRating\tReview Text\tRecommended"];
    for (let i = 0; i < table.numRows; i++) {
      const d = new Date(ts[i]);
      rows.push([ids[i], `${d.getUTCDate()}-${mon[d.getUTCMonth()]}-${String(d.getUTCFullYear() % 100).padStart(2, "0")}`, rating[i], text[i].includes("\t") || text[i].includes('"') ? `"${text[i].replace(/"/g, '""')}"` : text[i], Number.isNaN(label[i]) ? "" : label[i]].join("\t"));
    }
    const tsv = path.join(tmp, "reviews.tsv");
    fs.writeFileSync(tsv, rows.join("\n") + "\n");
    const flags = ["--model", "lexicon", "--cv", "3", "--json"];
    const got = JSON.parse((await runAll(sentiment, [tsv, "--delimiter", "tab", "--text", "Review Text", "--label", "Recommended", "--date-format", "%d-%b-%y", ...flags])).out);
    const want = JSON.parse((await runAll(sentiment, [csv, "--text", "text", "--label", "label", ...flags])).out);
    expect(got.input).toEqual({ rows_in: table.numRows, accepted: table.numRows, quarantined: 0, reasons: {}, encoding: "utf-8" });
    expect(got.rows).toBe(want.rows);
    expect(got.auc_mean).toBe(want.auc_mean);
    expect(got.folds).toEqual(want.folds.map((f: { seconds: number }, k: number) => ({ ...f, seconds: got.folds[k].seconds })));
    const tp = JSON.parse((await runAll(topics, [tsv, "--delimiter", "tab", "--text", "Review Text", "--k", "2", "--iterations", "5", "--json"])).out);
    expect(tp.input).toEqual(got.input);
    expect(tp.docs).toBe(table.numRows - table.str("text").filter((t) => t.trim() === "").length);
    // the same file through the review loader: "31-Jul-18" dates are the original days
    const back = await loadReviews(tsv, { map: { review_id: "Review ID", timestamp: "Review Date", text: "Review Text", rating: "Rating", label: "Recommended" }, delimiter: "tab", dateFormat: "%d-%b-%y" });
    expect(back.report.quarantined).toBe(0);
    const days = Array.from(back.table.num("timestamp"), (v) => Math.floor(v / 86_400_000));
    expect(days).toEqual(Array.from(ts, (v) => Math.floor(v / 86_400_000)));
  });
});

describe("an orders export with its own names, Windows-1252, semicolons and day-first dates (README example)", () => {
  it("segment --delimiter ';' --encoding windows-1252 --date-format '%d/%m/%Y %H:%M' --map … reads it as the canonical demo file", async () => {
    const src = fs.readFileSync(path.join(DEMO, "transactions.csv"), "utf8").split("\n").filter((l) => l !== "");
    const out = ["Customer ID;Invoice;Date;Item;Description;Qty;Price;Land"];
    let kept = 0;
    for (const l of src.slice(1)) {
      const f = l.split(",");
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):00Z$/.exec(f[2] ?? "");
      if (f.length !== 10 || !m || !/^-?\d+(\.\d+)?$/.test(f[7]) || !/^-?\d+$/.test(f[6])) continue; // ragged, bad numbers: left out
      out.push([f[0], f[1], `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}`, f[3], `${f[4]} – café`, f[6], f[7], f[8]].join(";"));
      kept++;
    }
    const csv = path.join(tmp, "orders-1252.csv");
    // write as Windows-1252: en dash → 0x96, é → 0xE9
    const bytes = Buffer.from(out.join("\r\n") + "\r\n", "latin1");
    const text = out.join("\r\n") + "\r\n";
    for (let i = 0, j = 0; i < text.length; i++, j++) if (text[i] === "–") bytes[j] = 0x96;
    fs.writeFileSync(csv, bytes);
    const args = ["--delimiter", ";", "--encoding", "windows-1252", "--date-format", "%d/%m/%Y %H:%M",
      "--map", "customer_id=Customer ID", "--map", "order_id=Invoice", "--map", "timestamp=Date", "--map", "product_id=Item", "--map", "product_name=Description", "--map", "quantity=Qty", "--map", "unit_price=Price", "--map", "country=Land", "--k", "4", "--json"];
    const got = JSON.parse((await runAll(segment, [csv, ...args])).out);
    const want = JSON.parse((await runAll(segment, [path.join(DEMO, "transactions.csv"), "--k", "4", "--json"])).out);
    // the same rows accepted; the demo's planted bad values that survived the rewrite (future and impossible
    // dates, negative prices, an empty id) quarantined for the same reasons as in the canonical file
    expect(got.input.rows_in).toBe(kept);
    expect(got.input.encoding).toBe("windows-1252");
    // (+1: the demo's line of invalid UTF-8 bytes was rewritten here as readable Windows-1252 text)
    expect(got.input.accepted).toBe(want.input.accepted + want.input.reasons.invalid_utf8);
    for (const [r, c] of Object.entries(got.input.reasons)) expect(c, r).toBeLessThanOrEqual(want.input.reasons[r]);
    // auto detects it too (bytes 0x80–0x9F → Windows-1252)
    const auto = JSON.parse((await runAll(segment, [csv, ...args.filter((a, i) => a !== "--encoding" && args[i - 1] !== "--encoding")])).out);
    expect(auto.input.encoding).toBe("windows-1252");
    expect(got.customers).toBe(want.customers);
    expect(got.k).toBe(4);
    expect(Math.abs(got.inertia - want.inertia) / want.inertia).toBeLessThan(1e-4); // that one extra line moves one customer a little
    const { table } = await loadTransactions(csv, { delimiter: ";", encoding: "auto", dateFormat: "%d/%m/%Y %H:%M", map: { customer_id: "Customer ID", order_id: "Invoice", timestamp: "Date", quantity: "Qty", unit_price: "Price", product_name: "Description" } });
    expect(table.str("product_name")[0]).toMatch(/ – café$/);
    // read in parts on reader threads (each part transcoded on its own): the same table and report
    const par = await loadTransactions(csv, { delimiter: ";", encoding: "auto", dateFormat: "%d/%m/%Y %H:%M", threads: 2, parallelMinBytes: 1, map: { customer_id: "Customer ID", order_id: "Invoice", timestamp: "Date", quantity: "Qty", unit_price: "Price", product_name: "Description" } });
    expect(par.report.encoding).toBe("windows-1252");
    expect(par.table.str("product_name")).toEqual(table.str("product_name"));
    expect(Array.from(par.table.num("_line"))).toEqual(Array.from(table.num("_line")));
  });
});

describe("input accounting on the other readers", () => {
  const SUMMARY = path.resolve(ROOT, "../shared/datasets/cdnow/cdnow_customers_summary.csv");
  it.skipIf(!fs.existsSync(SUMMARY))("clv --format cdnow-summary carries input", async () => {
    const j = JSON.parse((await runAll(clv, [SUMMARY, "--format", "cdnow-summary", "--json"])).out);
    expect(j.input).toEqual({ rows_in: 2357, accepted: 2357, quarantined: 0, reasons: {}, encoding: "utf-8" });
  });

  it("report stops on a file read as UTF-8 that is mostly not, before any section is built", async () => {
    const f = path.join(tmp, "orders-latin1-report.csv");
    const src = fs.readFileSync(path.join(DEMO, "transactions.csv"), "utf8").split("\n");
    fs.writeFileSync(f, Buffer.from(src.map((l, i) => (i === 0 || l === "" ? l : l.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)([^,]*)/, "$1$2 crème"))).join("\n"), "latin1"));
    const out = path.join(tmp, "report-out");
    const r = spawnSync(process.execPath, [path.join(ROOT, "dist/cli/main.js"), "report", f, "--encoding", "utf-8", "--out", out, "--json"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    // the progress bar, then one line
    expect(r.stderr.trim().split("\n").filter((l) => l.startsWith("custlab:"))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.stderr).toMatch(/were quarantined, most as invalid_utf8 \(\d+\); the file is probably not UTF-8: try --encoding latin1/);
    expect(fs.existsSync(path.join(out, "index.html"))).toBe(false);
  });
});
