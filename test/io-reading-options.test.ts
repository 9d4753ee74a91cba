// The shared reading options (issue 16, "Reading any layout"): one flag spec and parser for every
// reading command (--map repeatable, --no-header, --delimiter, --date-format, --encoding,
// --allow-quarantine), the library options they map onto, strftime dates checked against
// Python's strptime (fixture made by test/fixtures/reading/strftime_cases.py), and calendar dates
// that do not exist rejected rather than rolled over.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "../src/cli/args";
import { READING_SPEC, readingOptions } from "../src/cli/reading";
import { ByteParser, PARSE_OK, PARSE_INVALID, compileDateFormat } from "../src/io/parse";
import { normalizeReadingOptions, parseColumnRef, normalizeDelimiter, checkInput } from "../src/io/reading";
import { CustlabError } from "../src/util/errors";

const FIX = path.join(__dirname, "fixtures", "reading");

describe("shared reading flags", () => {
  it("--map is repeatable and every reading flag maps onto the library's ReadingOptions", () => {
    const { positionals, options } = parseArgs(
      ["f.txt", "--map", "customer_id=#2", "--map", "timestamp=#3", "--map=amount=Dollar Value", "--no-header", "--delimiter", "whitespace", "--date-format", "%Y%m%d", "--encoding", "latin1", "--allow-quarantine"],
      { format: "string", ...READING_SPEC },
    );
    expect(positionals).toEqual(["f.txt"]);
    expect(options.map).toEqual(["customer_id=#2", "timestamp=#3", "amount=Dollar Value"]);
    expect(readingOptions(options)).toEqual({
      map: { customer_id: 1, timestamp: 2, amount: "Dollar Value" }, header: false, delimiter: "whitespace", dateFormat: "%Y%m%d", encoding: "latin1", allowQuarantine: true,
    });
    // defaults: encoding auto, nothing else set
    expect(readingOptions(parseArgs([], READING_SPEC).options)).toEqual({ encoding: "auto", allowQuarantine: false });
    expect(readingOptions(parseArgs(["--delimiter", "tab"], READING_SPEC).options).delimiter).toBe("\t");
  });

  it("bad reading flags are one-line CustlabErrors", () => {
    const err = (argv: string[]) => { try { readingOptions(parseArgs(argv, READING_SPEC).options); return null; } catch (e) { return e as CustlabError; } };
    expect(err(["--map", "customer_id"])?.message).toMatch(/--map: expected <canonical>=<source>/);
    expect(err(["--map", "a=#1", "--map", "a=#2"])?.message).toMatch(/"a" is mapped twice/);
    expect(err(["--map", "a=#0"])?.message).toMatch(/positions start at #1/);
    expect(err(["--encoding", "ebcdic"])?.message).toMatch(/unknown encoding "ebcdic"/);
    expect(err(["--delimiter", "::"])?.message).toMatch(/option delimiter: expected one character/);
    expect(err(["--date-format", "%d-%Q-%y"])?.message).toMatch(/unknown directive %Q/);
    expect(err(["--date-format", "%d-%m"])?.message).toMatch(/needs a year/);
    expect(err(["--date-format", "yyyy-mm-dd"])?.message).toMatch(/not a strftime pattern/);
    expect(() => parseArgs(["--map"], READING_SPEC)).toThrow(/--map needs a value/);
  });

  it("column references and delimiters", () => {
    expect(parseColumnRef("#1")).toBe(0);
    expect(parseColumnRef("#12")).toBe(11);
    expect(parseColumnRef("Customer ID")).toBe("Customer ID");
    expect(parseColumnRef("#x")).toBe("#x");
    expect(["tab", "\\t", "\t", "whitespace", "comma", ";", "|"].map(normalizeDelimiter)).toEqual(["\t", "\t", "\t", "whitespace", ",", ";", "|"]);
    expect(normalizeReadingOptions({ map: { a: "#3", b: "B" } }).map).toEqual({ a: 2, b: "B" });
  });
});

describe("strftime date formats (oracle: Python's datetime.strptime)", () => {
  const cases = JSON.parse(fs.readFileSync(path.join(FIX, "strftime-cases.json"), "utf8")) as { valid: { pattern: string; text: string; ms: number }[]; invalid: { pattern: string; text: string }[] };
  it(`reads ${cases.valid.length} formatted datetimes over ${new Set(cases.valid.map((c) => c.pattern)).size} patterns exactly as strptime`, () => {
    const p = new ByteParser();
    const bad: string[] = [];
    for (const c of cases.valid) {
      const b = Buffer.from(c.text, "utf8");
      const v = p.date(b, 0, b.length, c.pattern);
      if (p.status !== PARSE_OK || v !== c.ms) bad.push(`${c.pattern} ${JSON.stringify(c.text)} → ${v} (status ${p.status}), want ${c.ms}`);
    }
    expect(bad).toEqual([]);
  });
  it(`rejects the ${cases.invalid.length} strings strptime rejects (2011-02-30 is not rolled over to March 2)`, () => {
    const p = new ByteParser();
    for (const c of cases.invalid) {
      const b = Buffer.from(c.text, "utf8");
      expect(Number.isNaN(p.date(b, 0, b.length, c.pattern)), `${c.pattern} ${c.text}`).toBe(true);
      expect(p.status).toBe(PARSE_INVALID);
    }
    // the built-in formats reject non-existent days too
    for (const [f, t] of [["iso", "2011-02-30"], ["ymd8", "20110230"], ["mdy", "2/29/2011"], ["dmy", "31/4/2019"], ["auto", "2011-02-29 10:00"]] as const) {
      const b = Buffer.from(t);
      p.date(b, 0, b.length, f);
      expect(p.status, `${f} ${t}`).toBe(PARSE_INVALID);
    }
  });
  it("compiles patterns once into parts", () => {
    expect(compileDateFormat("%d-%b-%y").map((x) => x.kind)).toEqual(["d", "lit", "month", "lit", "y"]);
    expect(compileDateFormat("%F %T").map((x) => x.kind)).toEqual(["Y", "lit", "m", "lit", "d", "lit", "H", "lit", "M", "lit", "S"]);
  });
});

describe("input accounting (checkInput)", () => {
  const rep = (q: number, n = 100, reasons: Record<string, number> = { invalid_utf8: q }) => ({ file: "x.csv", rows_in: n, accepted: n - q, quarantined: q, reasons, encoding: "utf-8" });
  it("≤ 5% quietly, > 5% a warning, > 50% a one-line error with the top reason and a hint unless allowQuarantine", () => {
    expect(checkInput(rep(5))).toEqual({ input: { rows_in: 100, accepted: 95, quarantined: 5, reasons: { invalid_utf8: 5 }, encoding: "utf-8" }, warning: null });
    expect(checkInput(rep(6)).warning).toMatch(/^warning: 6 of 100 rows of x\.csv \(6\.0%\) were quarantined \(invalid_utf8 6\); the file is probably not UTF-8: try --encoding latin1/);
    expect(checkInput(rep(50)).warning).toMatch(/50 of 100/);
    let e: CustlabError | undefined;
    try { checkInput(rep(51, 100, { invalid_utf8: 40, ragged_row: 11 })); } catch (x) { e = x as CustlabError; }
    expect(e?.code).toBe("E_QUARANTINE");
    expect(e?.message).toBe("x.csv: 51 of 100 rows (51.0%) were quarantined, most as invalid_utf8 (40); the file is probably not UTF-8: try --encoding latin1 (or windows-1252); --allow-quarantine runs anyway");
    expect(checkInput(rep(51), { allowQuarantine: true }).warning).toMatch(/51 of 100/);
    expect(() => checkInput(rep(90, 100, { ragged_row: 90 }))).toThrow(/check --delimiter/);
    expect(() => checkInput(rep(90, 100, { invalid_date: 90 }))).toThrow(/give --date-format/);
  });
});

describe("encodings of tables", () => {
  it("auto reads UTF-16 (LE/BE, with a byte-order mark) and Windows-1252 tables as their UTF-8 original and names them", async () => {
    const { loadTable } = await import("../src/io/adapters");
    const os = await import("os");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-enc-"));
    const text = "name,city,amount\nZoë,Köln,1.5\n“Bob”,São Paulo,2\nCafé €,Genève,3\n";
    const utf8 = path.join(dir, "u8.csv");
    fs.writeFileSync(utf8, text);
    const le = path.join(dir, "u16le.csv"), be = path.join(dir, "u16be.csv"), cp = path.join(dir, "cp1252.csv");
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    fs.writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]));
    // Windows-1252 bytes: “ 0x93, ” 0x94, € 0x80; the rest Latin-1
    const cpBytes = Buffer.from(text.replace(/[“”€]/g, "?"), "latin1");
    [...text].forEach((c, i) => { if (c === "“") cpBytes[i] = 0x93; if (c === "”") cpBytes[i] = 0x94; if (c === "€") cpBytes[i] = 0x80; });
    fs.writeFileSync(cp, cpBytes);
    const want = await loadTable(utf8);
    for (const [f, name] of [[le, "utf-16le"], [be, "utf-16be"], [cp, "windows-1252"]]) {
      const got = await loadTable(f, { encoding: "auto" });
      expect(got.report.encoding).toBe(name);
      for (const c of ["name", "city"]) expect(got.table.str(c)).toEqual(want.table.str(c));
      expect(Array.from(got.table.num("amount"))).toEqual([1.5, 2, 3]);
    }
    // asked to read UTF-16 as UTF-8: one line that names the fix
    await expect(loadTable(le, { encoding: "utf-8" })).rejects.toThrow(/the file is UTF-16 .*--encoding utf-16 or auto/);
  });
});
