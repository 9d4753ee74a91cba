/**
 * Reading the columns a text command needs from a raw CSV (e.g. the clothing
 * reviews' "Review Text", "Title", "Rating"; the Chinese reviews' "review",
 * "label"). RFC 4180: quoted fields with commas, doubled quotes and newlines.
 */
import * as fs from "fs";
import { CustlabError } from "../util/errors";
import { stripBom } from "./clean";

/** The requested columns of a CSV as strings, plus the row count and source line of each row. */
export interface TextColumns {
  /** Column name → values ("" for empty). */
  columns: Record<string, string[]>;
  /** Data rows read. */
  rows: number;
  /** 1-based physical line each row starts on. */
  lines: Int32Array;
  /** All header names. */
  header: string[];
}

/** Parse CSV text into records (arrays of fields). */
export function parseCsvRecords(text: string, delimiter = ","): { records: string[][]; lines: number[] } {
  const records: string[][] = [];
  const lines: number[] = [];
  let field = "", rec: string[] = [], inQ = false, line = 1, recLine = 1, i = 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (inQ) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) { field += '"'; i += 2; continue; }
        inQ = false; i++; continue;
      }
      const j = text.indexOf('"', i);
      const chunk = j < 0 ? text.slice(i) : text.slice(i, j);
      for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line++;
      field += chunk;
      i = j < 0 ? n : j;
      continue;
    }
    if (c === 34 && field === "") { inQ = true; i++; continue; }
    if (c === d) { rec.push(field); field = ""; i++; continue; }
    if (c === 13 && text.charCodeAt(i + 1) === 10) { i++; continue; }
    if (c === 10) {
      rec.push(field); field = "";
      if (!(rec.length === 1 && rec[0] === "")) { records.push(rec); lines.push(recLine); }
      rec = []; i++; line++; recLine = line; continue;
    }
    field += text[i]; i++;
  }
  if (field !== "" || rec.length) { rec.push(field); records.push(rec); lines.push(recLine); }
  return { records, lines };
}

/**
 * Read named columns from a CSV file. Throws a CustlabError naming the file
 * and the missing column (and the columns present) when one is absent.
 * @example readTextColumns("reviews.csv", ["Review Text", "Rating"]).columns["Rating"][0]
 */
export function readTextColumns(file: string, names: string[]): TextColumns {
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", `no such file`, { file });
  const text = stripBom(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  const { records, lines } = parseCsvRecords(text);
  if (!records.length) throw new CustlabError("E_EMPTY_FILE", "the file is empty", { file });
  const header = records[0].map((h) => h.trim());
  const columns: Record<string, string[]> = {};
  const idx: number[] = [];
  for (const name of names) {
    const j = header.indexOf(name);
    if (j < 0) throw new CustlabError("E_MISSING_COLUMN", `no column "${name}" (columns: ${header.join(", ")})`, { file, line: 1, column: name });
    idx.push(j);
    columns[name] = new Array(records.length - 1);
  }
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    names.forEach((name, k) => { columns[name][r - 1] = rec[idx[k]] ?? ""; });
  }
  return { columns, rows: records.length - 1, lines: Int32Array.from(lines.slice(1)), header };
}
