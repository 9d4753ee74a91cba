/**
 * Interop with danfo.js: any custlab {@link Table} to a danfo `DataFrame` and
 * back, so notebook users can use danfo's API on custlab data.
 *
 * `danfojs-node` is loaded lazily (inside the functions): importing it takes
 * seconds and pulls tfjs, so nothing else in custlab pays for it.
 * Note: danfo labels JS numbers with fractions as dtype "float32" (and reads
 * CSV floats as float32); the values passed through these functions stay
 * JS doubles, so a round trip is exact.
 * @module
 */
import { Table } from "../table";
import type { ColumnData, ColumnKind } from "../table";
import { CustlabError } from "../util/errors";

/**
 * The parts of a danfo `DataFrame` custlab uses (typed loosely so notebooks
 * type-check without danfo's own declarations). All of danfo's methods are
 * available on the object at run time.
 */
export interface DanfoFrame {
  /** Column names. */
  columns: string[];
  /** [rows, columns]. */
  shape: number[];
  /** danfo dtypes per column ("float32", "int32", "string", "boolean"). */
  dtypes: string[];
  /** A column as a Series. */
  column(name: string): { values: unknown[] };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [method: string]: any;
}

/** Options of {@link toDanfo}. */
export interface ToDanfoOptions {
  /** Date columns as epoch-ms numbers ("ms", default) or ISO strings ("iso"). */
  dates?: "ms" | "iso";
  /** Drop these columns first (e.g. ["_line"]). */
  drop?: string[];
}

/** The one-line hint printed when the optional peer dependency danfojs-node is missing. */
const DANFO_INSTALL_HINT = "toDanfo needs the optional peer dependency danfojs-node: run `npm install danfojs-node@^1.2.0` (offline registries also need the xlsx override in custlab's README)";

function loadDanfo(): { DataFrame: new (data: Record<string, unknown[]>, options?: Record<string, unknown>) => DanfoFrame } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("danfojs-node");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "MODULE_NOT_FOUND" && /danfojs-node/.test(err.message.split("\n")[0])) throw new CustlabError("E_DEPENDENCY", DANFO_INSTALL_HINT);
    throw new CustlabError("E_DEPENDENCY", `danfojs-node is installed but could not be loaded (${err.message.split("\n")[0]}); reinstall it with \`npm install danfojs-node@^1.2.0\``);
  }
}

/**
 * A danfo DataFrame with the table's columns (numbers as JS numbers, NaN kept,
 * text as strings, dates as epoch ms or ISO strings).
 *
 * @example
 * const df = toDanfo(rfm);
 * df.describe().print();
 */
export function toDanfo(table: Table, options: ToDanfoOptions = {}): DanfoFrame {
  const dfd = loadDanfo();
  const drop = new Set(options.drop ?? []);
  const data: Record<string, unknown[]> = {};
  for (const name of table.columnNames()) {
    if (drop.has(name)) continue;
    const c = table.get(name);
    if (table.kind(name) === "date" && options.dates === "iso") data[name] = Array.from(c as ArrayLike<number>, (v) => (Number.isFinite(v) ? new Date(v).toISOString() : ""));
    else data[name] = Array.from(c as ArrayLike<number | string>);
  }
  return new dfd.DataFrame(data);
}

/** Options of {@link fromDanfo}. */
export interface FromDanfoOptions {
  /** Column kinds to restore (e.g. `{ timestamp: "date" }`; `table.kinds()` from the source table). */
  kinds?: Partial<Record<string, ColumnKind>>;
}

/**
 * A custlab Table from a danfo DataFrame: numeric columns (all values numbers
 * or null/NaN) become Float64Array (Int32Array when the kind says
 * "integer"/"boolean" and the values fit), everything else `string[]`
 * (null → ""). Date columns given as ISO strings are parsed when `kinds` says "date".
 *
 * @example
 * const back = fromDanfo(toDanfo(t), { kinds: t.kinds() });
 */
export function fromDanfo(df: DanfoFrame, options: FromDanfoOptions = {}): Table {
  if (!df || !Array.isArray(df.columns)) throw new CustlabError("E_OPTION", "fromDanfo: expected a danfo DataFrame");
  const cols: Record<string, ColumnData> = {};
  const kinds: Record<string, ColumnKind> = {};
  for (const name of df.columns) {
    const vals = df.column(name).values;
    const kind = options.kinds?.[name];
    const numeric = vals.every((v) => v === null || v === undefined || typeof v === "number" || typeof v === "boolean");
    if (kind === "date" && !numeric) {
      cols[name] = Float64Array.from(vals, (v) => (v === null || v === undefined || v === "" ? NaN : Date.parse(String(v))));
      kinds[name] = "date";
    } else if (numeric && kind !== "string") {
      const nums = Float64Array.from(vals, (v) => (v === null || v === undefined ? NaN : Number(v)));
      const intLike = (kind === "integer" || kind === "boolean") && nums.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31);
      cols[name] = intLike ? (kind === "boolean" ? Uint8Array.from(nums) : Int32Array.from(nums)) : nums;
      kinds[name] = kind ?? "number";
    } else {
      cols[name] = vals.map((v) => (v === null || v === undefined ? "" : String(v)));
      kinds[name] = "string";
    }
  }
  return new Table(cols, kinds);
}
