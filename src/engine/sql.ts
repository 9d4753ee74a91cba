import * as fs from "fs";
import { Table } from "../table";
import { CustlabError } from "../util/errors";
import { DuckDBEngine } from "./duckdb";

let shared: Promise<DuckDBEngine> | undefined;
const registered = new WeakMap<Table, string>();
let seq = 0;

function engine(): Promise<DuckDBEngine> {
  if (!shared) shared = DuckDBEngine.open({ memoryLimit: "2GB" });
  return shared;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** SQL text of a file scan: CSV/TSV through `read_csv_auto`, Parquet through `read_parquet`, JSON through `read_json_auto`. */
function fileScan(file: string): string {
  if (/\.parquet$/i.test(file)) return `read_parquet(${quote(file)})`;
  if (/\.(json|ndjson|jsonl)$/i.test(file)) return `read_json_auto(${quote(file)})`;
  return `read_csv_auto(${quote(file)})`;
}

/**
 * Run DuckDB SQL over custlab Tables and files; returns a Table. An
 * interpolated `Table` becomes a table (copied into DuckDB once per Table
 * object), a string naming an existing `.csv`/`.tsv`/`.parquet`/`.json` file
 * becomes a scan of that file, other strings become quoted literals and
 * numbers literals. Numeric results come back as Float64Array (NULL → NaN),
 * text as strings (NULL → ""), timestamps as epoch ms.
 *
 * @example
 * const orders = Table.fromRows([{ country: "UK", amount: 5 }, { country: "UK", amount: 7 }, { country: "FR", amount: 2 }]);
 * const byCountry = await sql`select country, sum(amount) as revenue from ${orders} group by 1 order by 2 desc`;
 * byCountry.num("revenue"); // Float64Array [12, 2]
 */
export async function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<Table> {
  const eng = await engine();
  let text = strings[0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let part: string;
    if (v instanceof Table) {
      let name = registered.get(v);
      if (!name) { name = `t_${++seq}`; await eng.registerTable(name, v); registered.set(v, name); }
      part = `"${name}"`;
    } else if (typeof v === "string" && /\.(csv|tsv|txt|parquet|json|ndjson|jsonl)$/i.test(v) && fs.existsSync(v)) part = fileScan(v);
    else if (typeof v === "string") part = quote(v);
    else if (typeof v === "number" && Number.isFinite(v)) part = String(v);
    else if (typeof v === "boolean") part = v ? "TRUE" : "FALSE";
    else throw new CustlabError("E_OPTION", `sql: cannot interpolate ${v === null ? "null" : typeof v} (give a Table, a file path, a string or a finite number)`);
    text += part + strings[i + 1];
  }
  return eng.queryTable(text);
}

/**
 * Release the DuckDB database behind {@link sql} (its Tables are dropped; a
 * later call starts a fresh one).
 *
 * @example
 * await closeSql();
 */
export async function closeSql(): Promise<void> {
  if (!shared) return;
  const e = await shared;
  shared = undefined;
  await e.close();
}

/**
 * Read a Parquet file into a Table through DuckDB (numbers → Float64Array,
 * text → strings, timestamps → epoch ms).
 *
 * @example
 * const t = await readParquet("features.parquet");
 * t.numRows;
 */
export async function readParquet(file: string): Promise<Table> {
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "no such file", { file });
  return (await engine()).queryTable(`SELECT * FROM read_parquet(${quote(file)})`);
}

/**
 * Write a Table to a Parquet file through DuckDB (numbers as DOUBLE, text as
 * VARCHAR; written to a temporary name, then renamed).
 *
 * @example
 * await writeParquet(Table.fromRows([{ id: "a", x: 1 }]), "out.parquet");
 */
export async function writeParquet(table: Table, file: string): Promise<void> {
  const eng = await engine();
  const name = `w_${++seq}`;
  await eng.registerTable(name, table);
  const tmp = `${file}.tmp-${process.pid}.parquet`;
  try {
    await eng.copyTo(name, tmp);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
    await eng.exec(`DROP TABLE "${name}"`);
  }
}
