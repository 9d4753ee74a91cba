// The duckdb engine's one-pass line scan (scanLines) against custlab's own tokenizer (the oracle:
// CsvTokenizer, which the memory engine's reader uses): physical lines and blank lines (line, and
// non-blank data records before it) on random files built from the cases that decide them —
// blank lines, CRLF, lone CR, line breaks and doubled quotes inside quoted fields, quotes in the
// middle of a field, text after a closing quote, a quote at the very end, an unterminated quote,
// a BOM before a quoted header, tab delimiters — read in chunks of 1 to 64 bytes (so every case
// straddles a chunk boundary) and whole.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CsvTokenizer } from "../src/io/csv";
import { scanLines } from "../src/engine/duckdb";
import { createRng } from "../src/util/random";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-scan-lines-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What custlab's tokenizer says: lines as scanLines counts them, and each blank record after the header. */
function oracle(bytes: Buffer, delimiter: string): { lines: number; blanks: { line: number; records: number }[] } {
  const blanks: { line: number; records: number }[] = [];
  let records = 0, first = true;
  const tok = new CsvTokenizer((r) => {
    if (first) { first = false; return; }
    if (r.n === 0) blanks.push({ line: r.line, records }); else records++;
  }, { delimiter });
  tok.push(bytes);
  tok.end();
  let lf = 0;
  for (const b of bytes) if (b === 10) lf++;
  return { lines: bytes.length === 0 || bytes[bytes.length - 1] === 10 ? lf : lf + 1, blanks };
}

const PIECES = ["a", "b1", " ", "\"", "\"\"", "\"q\"", "\"x\ny\"", "\"x\r\n\r\ny\"", "\"\n\n\"", "z\"w", "\"k\"tail", "\r", "\n", "\r\n", "\n\n", "\r\n\r\n", "\n\r\n"];

function randomFile(rnd: () => number, delim: string): Buffer {
  const parts: string[] = [];
  if (rnd() < 0.2) parts.push("\ufeff");
  const h = rnd();
  parts.push(h < 0.2 ? `"h1"${delim}h2` : h < 0.4 ? `"h\n\n1"${delim}h2` : `h1${delim}h2`, rnd() < 0.5 ? "\n" : "\r\n");
  const n = 5 + Math.floor(rnd() * 40);
  for (let k = 0; k < n; k++) {
    const r = rnd();
    parts.push(r < 0.25 ? delim : r < 0.45 ? "\n" : PIECES[Math.floor(rnd() * PIECES.length)]);
  }
  if (rnd() < 0.15) parts.push("\"unterminated\n\nend");
  return Buffer.from(parts.join(""));
}

describe("scanLines: physical and blank lines in one pass, as custlab's tokenizer finds them", () => {
  it("agrees with the tokenizer on 600 random files, read in chunks of 1–64 bytes and whole", () => {
    const rng = createRng(42);
    const rnd = () => rng.next();
    const file = path.join(dir, "f.csv");
    let withBlanks = 0;
    for (let t = 0; t < 600; t++) {
      const delim = t % 3 === 2 ? "\t" : ",";
      const bytes = randomFile(rnd, delim);
      fs.writeFileSync(file, bytes);
      const want = oracle(bytes, delim);
      if (want.blanks.length) withBlanks++;
      for (const chunk of [1, 2, 3, 7, 64, 1 << 16]) {
        const got = scanLines(file, delim, chunk);
        expect(got, `file ${t} chunk ${chunk}: ${JSON.stringify(bytes.toString())}`).toEqual(want);
      }
    }
    expect(withBlanks).toBeGreaterThan(300);
  });

  it("the planted cases by hand", () => {
    const file = path.join(dir, "p.csv");
    const cases: [string, number, { line: number; records: number }[]][] = [
      ["a,b\n1,\"x\n\ny\"\n\n2,z\n", 6, [{ line: 5, records: 1 }]],
      ["a,b\r\n\r\n1,2\r\n \r\n\r\n", 5, [{ line: 2, records: 0 }, { line: 5, records: 2 }]],
      ["a,b\n1,x\"\n\n\"\n", 4, [{ line: 3, records: 1 }]], // a quote inside a field opens nothing
      ["\n\na,b\n", 3, [{ line: 2, records: 0 }]], // the first record is the header, even blank
      ["a,b\n\"open\n\n", 3, []], // an unterminated quote runs to the end
      ["\ufeff\"h\n\n1\",b\n1,2\n\n", 5, [{ line: 5, records: 1 }]], // a BOM, then a quoted header with a blank line
      ["", 0, []],
      ["a,b", 1, []],
    ];
    for (const [text, lines, blanks] of cases) {
      fs.writeFileSync(file, text);
      expect(scanLines(file, ","), JSON.stringify(text)).toEqual({ lines, blanks });
      expect(oracle(Buffer.from(text), ","), JSON.stringify(text)).toEqual({ lines, blanks });
    }
  });

  it("hands over to the tokenizer (blanks undefined) for a record over 8 MiB and for the whitespace delimiter with a blank-looking line", () => {
    const file = path.join(dir, "long.csv");
    fs.writeFileSync(file, "a,b\n\"" + "x".repeat(9 << 20) + "\"\n\n");
    expect(scanLines(file, ",")).toEqual({ lines: 3, blanks: undefined });
    fs.writeFileSync(file, "a b\n1 2\n\n3 4\n");
    expect(scanLines(file, "whitespace")).toEqual({ lines: 4, blanks: undefined });
    expect(scanLines(file, ",")).toEqual({ lines: 4, blanks: [{ line: 3, records: 1 }] });
  });
});
