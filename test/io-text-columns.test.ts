import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readTextColumns, INGEST_REASONS } from "../src/io";
import type { TextColumns } from "../src/io";
import { CustlabError } from "../src/util/errors";

// readTextColumns: the text commands' CSV reader on io's streaming tokenizer.
// Every data record is accepted or quarantined with its physical line and a reason.
const SHARED = path.resolve(__dirname, "../../shared/datasets");
const CLOTHING = path.join(SHARED, "womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv");
const CHINESE = path.join(SHARED, "chinese-reviews/online_shopping_10_cats.csv");
const DEMO = path.resolve(__dirname, "../datasets/demo/reviews.csv");
if (!fs.existsSync(CLOTHING)) console.warn(`io-text-columns: ${CLOTHING} not found — real-data counts skipped`);
if (!fs.existsSync(DEMO)) console.warn("io-text-columns: datasets/demo not generated yet — demo counts skipped");

let dir: string;
const write = (name: string, content: string | Buffer) => { const f = path.join(dir, name); fs.writeFileSync(f, content); return f; };
const balanced = (d: TextColumns) => expect(d.report.accepted + d.report.quarantined).toBe(d.report.rows_in);

async function codeOf(p: Promise<unknown>): Promise<CustlabError> {
  try { await p; } catch (e) { expect(e).toBeInstanceOf(CustlabError); return e as CustlabError; }
  throw new Error("expected a CustlabError");
}

beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-textcols-")); });

describe("readTextColumns", () => {
  it("quoted commas, doubled quotes and newlines keep each row's physical start line", async () => {
    const d = await readTextColumns(write("q.csv", 'a,b\n1,"x, ""y""\nz"\n2,w\n'), ["a", "b"]);
    expect(d.columns).toEqual({ a: ["1", "2"], b: ['x, "y"\nz', "w"] });
    expect(Array.from(d.lines)).toEqual([2, 4]);
    expect(d.rows).toBe(2);
    expect(d.header).toEqual(["a", "b"]);
    expect(d.report).toMatchObject({ rows_in: 2, accepted: 2, quarantined: 0 });
  });

  it("a UTF-8 BOM, CRLF line ends, a last line without a newline, trimmed header names", async () => {
    const d = await readTextColumns(write("bom.csv", Buffer.from("\uFEFFid , text\r\n1,good\r\n2,\"two\r\nlines\"\r\n3,last")), ["id", "text"]);
    expect(d.header).toEqual(["id", "text"]);
    expect(d.columns.id).toEqual(["1", "2", "3"]);
    expect(d.columns.text).toEqual(["good", "two\r\nlines", "last"]);
    expect(Array.from(d.lines)).toEqual([2, 3, 5]);
  });

  it("quarantines wrong field counts, invalid UTF-8 and blank lines with line and reason: rows_in = accepted + quarantined", async () => {
    const bad = Buffer.concat([Buffer.from("id,text,rating\n1,fine,5\n2,too few\n3,x,4,extra\n\n4,"), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(",3\n5,\"quoted, ok\",1\n")]);
    const d = await readTextColumns(write("bad.csv", bad), ["text", "rating"]);
    balanced(d);
    expect(d.report).toMatchObject({ rows_in: 6, accepted: 2, quarantined: 4, reasons: { ragged_row: 2, empty_line: 1, invalid_utf8: 1 } });
    expect(d.columns.text).toEqual(["fine", "quoted, ok"]);
    expect(Array.from(d.lines)).toEqual([2, 7]);
    expect(d.report.quarantine.map((q) => [q.line, q.reason, q.column, q.detail])).toEqual([
      [3, "ragged_row", "rating", "2 fields, header has 3"],
      [4, "ragged_row", "", "4 fields, header has 3"],
      [5, "empty_line", "", "blank line"],
      [6, "invalid_utf8", "text", "bytes are not valid UTF-8"],
    ]);
    for (const q of d.report.quarantine) { expect(q.file).toBe(path.join(dir, "bad.csv")); expect(q.reason in INGEST_REASONS).toBe(true); }
    expect(d.report.quarantine[0].raw).toBe("2,too few");
    // the same row read as latin1 is accepted (every byte is a character)
    const l = await readTextColumns(path.join(dir, "bad.csv"), ["text"], { encoding: "latin1" });
    expect(l.report.reasons).toEqual({ ragged_row: 2, empty_line: 1 });
    expect(l.columns.text[1]).toBe("\u00ff\u00feA");
  });

  it("an unterminated quote runs to the end of the file and is quarantined", async () => {
    const d = await readTextColumns(write("unterminated.csv", 'id,text\n1,ok\n2,"never closed\n3,more\n'), ["text"]);
    balanced(d);
    expect(d.columns.text).toEqual(["ok"]);
    expect(d.report.quarantine.map((q) => [q.line, q.reason, q.column])).toEqual([[3, "unterminated_quote", "text"]]);
  });

  it("writes every quarantined row to quarantineFile", async () => {
    const q = path.join(dir, "q-out.csv");
    const d = await readTextColumns(write("qf.csv", "a,b\n1,2\n3\n4,5\n"), ["a"], { quarantineFile: q, keepQuarantine: 0 });
    expect(d.report.quarantined).toBe(1);
    expect(d.report.quarantine).toEqual([]);
    expect(fs.readFileSync(q, "utf8")).toBe(`file,line,column,reason,detail,raw\n${path.join(dir, "qf.csv")},3,b,ragged_row,"1 field, header has 2",3\n`);
  });

  it("removes stray U+FEFF / U+200B inside values by default (stripZeroWidth: false keeps them)", async () => {
    const f = write("zw.csv", "id,review\n1,\uFEFF很好\n2,fast\u200Bdelivery\n");
    expect((await readTextColumns(f, ["review"])).columns.review).toEqual(["很好", "fastdelivery"]);
    expect((await readTextColumns(f, ["review"], { stripZeroWidth: false })).columns.review).toEqual(["\uFEFF很好", "fast\u200Bdelivery"]);
  });

  it("other delimiters", async () => {
    const d = await readTextColumns(write("t.tsv", "a\tb\nx, y\tz\n"), ["a", "b"], { delimiter: "\t" });
    expect(d.columns).toEqual({ a: ["x, y"], b: ["z"] });
  });

  it("a header-only file has no rows", async () => {
    const d = await readTextColumns(write("h.csv", "a,b\n"), ["b"]);
    expect(d.rows).toBe(0);
    expect(d.columns.b).toEqual([]);
    expect(d.report.rows_in).toBe(0);
  });

  it("missing file, empty file, missing column: one CustlabError naming file, line and column", async () => {
    expect((await codeOf(readTextColumns(path.join(dir, "nope.csv"), ["a"]))).code).toBe("E_FILE");
    expect((await codeOf(readTextColumns(write("empty.csv", ""), ["a"]))).code).toBe("E_EMPTY_FILE");
    expect((await codeOf(readTextColumns(write("bomonly.csv", Buffer.from([0xef, 0xbb, 0xbf])), ["a"]))).code).toBe("E_EMPTY_FILE");
    const e = await codeOf(readTextColumns(write("cols.csv", "Title,Review Text\nx,y\n"), ["Review Text", "Rating"]));
    expect(e.code).toBe("E_MISSING_COLUMN");
    expect(e.message).toBe(`${path.join(dir, "cols.csv")}, line 1, column Rating: no column "Rating" (columns: Title, Review Text)`);
    expect((await codeOf(readTextColumns(path.join(dir, "cols.csv"), ["Title"], { encoding: "ebcdic" }))).code).toBe("E_OPTION");
  });
});

describe.skipIf(!fs.existsSync(CLOTHING))("real review files: every row accepted", () => {
  it("clothing reviews: 23,486 rows, 22,641 with a review text", async () => {
    const d = await readTextColumns(CLOTHING, ["Title", "Review Text", "Rating"]);
    balanced(d);
    expect(d.report).toMatchObject({ rows_in: 23486, accepted: 23486, quarantined: 0 });
    expect(d.columns["Review Text"].filter((t) => t !== "").length).toBe(22641);
    expect(d.columns.Rating[0]).toBe("4");
    expect(d.columns["Review Text"][0]).toBe("Absolutely wonderful - silky and sexy and comfortable");
    expect(d.lines[0]).toBe(2);
  }, 60_000);
  it.skipIf(!fs.existsSync(CHINESE))("Chinese shopping reviews: 62,774 rows, stray BOMs removed from the text", async () => {
    const d = await readTextColumns(CHINESE, ["review", "label"]);
    balanced(d);
    expect(d.report).toMatchObject({ rows_in: 62774, accepted: 62774, quarantined: 0 });
    expect(d.columns.review.some((t) => t.includes("\uFEFF"))).toBe(false);
    expect(d.columns.label.filter((v) => v === "1").length + d.columns.label.filter((v) => v === "0").length).toBe(62774);
  }, 60_000);
});

describe.skipIf(!fs.existsSync(DEMO))("demo reviews", () => {
  it("3,769 rows", async () => {
    const d = await readTextColumns(DEMO, ["review_id", "text", "language"]);
    balanced(d);
    expect(d.rows).toBe(3769);
    expect(new Set(d.columns.language)).toEqual(new Set(["en", "zh"]));
  });
});
