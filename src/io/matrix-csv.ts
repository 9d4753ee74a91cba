import * as fs from "fs";
import { Matrix } from "../util/matrix";
import { CustlabError } from "../util/errors";

/**
 * Read a numeric CSV with a header row into a {@link Matrix} (every column
 * numeric; comma, semicolon or tab separated; blank lines skipped; simple
 * double-quoted header names allowed). A non-numeric or missing cell is a
 * CustlabError naming the file, line and column.
 *
 * @example
 * const X = readNumericCSV("rfm_matrix.csv");   // X.columns = header names
 */
export function readNumericCSV(file: string): Matrix {
  let text: string;
  try { text = fs.readFileSync(file, "utf8"); } catch (e) {
    throw new CustlabError("E_FILE", `cannot read ${file}: ${(e as Error).message.split("\n")[0]}`, { file });
  }
  return parseNumericCSV(text, file);
}

/**
 * {@link readNumericCSV} on text already in memory (`file` only names it in errors).
 * @example
 * const M = parseNumericCSV("a,b\n1,2\n3,4\n"); // 2 × 2, columns ["a", "b"]
 */
export function parseNumericCSV(text: string, file = "<input>"): Matrix {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h].trim() === "") h++;
  if (h >= lines.length) throw new CustlabError("E_EMPTY_FILE", "the file is empty (expected a header row and numeric rows)", { file });
  const head = lines[h];
  const sep = head.includes(",") ? "," : head.includes(";") ? ";" : head.includes("\t") ? "\t" : ",";
  const columns = head.split(sep).map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  const d = columns.length;
  const vals: number[] = [];
  let rows = 0;
  for (let li = h + 1; li < lines.length; li++) {
    const line = lines[li];
    if (line.trim() === "") continue;
    const cells = line.split(sep);
    if (cells.length !== d) throw new CustlabError("E_RAGGED", `expected ${d} fields (as in the header), got ${cells.length}`, { file, line: li + 1 });
    for (let j = 0; j < d; j++) {
      const s = cells[j].trim();
      const v = s === "" ? NaN : Number(s);
      if (!Number.isFinite(v)) throw new CustlabError("E_NOT_NUMERIC", `"${s}" is not a finite number`, { file, line: li + 1, column: columns[j] });
      vals.push(v);
    }
    rows++;
  }
  if (rows === 0) throw new CustlabError("E_EMPTY_FILE", "no data rows after the header", { file });
  return { data: Float64Array.from(vals), rows, cols: d, columns };
}
