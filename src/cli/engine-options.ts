import * as fs from "fs";
import { CustlabError } from "../util/errors";
import { openEngine } from "../engine";
import type { OrdersEngine, EngineLoadOptions } from "../engine";
import type { LoadReport } from "../io/reader";
import type { ColumnMapping, TransactionFormat } from "../io/adapters";
import { TRANSACTION_FORMATS } from "../io/adapters";
import { strOpt } from "./args";
import type { ParsedArgs } from "./args";

/** The engine options every command that reads orders accepts (add to its parseArgs spec). */
export const ENGINE_OPTION_SPEC = { engine: "string", table: "string", "memory-limit": "string" } as const;

/** Usage lines for the engine options. */
export const ENGINE_OPTION_USAGE = `  --engine <e>          where the relational stages run: memory, duckdb or
                        clickhouse://host:port/db[?cluster=<name>&shards=<host:port>,…]
                        (default: duckdb for Parquet and files ≥ 200 MB, else memory)
  --table <name>        read orders from this table of a duckdb/clickhouse engine
                        (canonical columns) instead of a file
  --memory-limit <m>    duckdb memory_limit (default 2GB; DuckDB spills past it)`;

/** Orders opened through an engine: the engine, what was loaded, and where from. */
export interface EngineOrders {
  engine: OrdersEngine;
  /** The load report (null for `--table`). */
  report: LoadReport | null;
  /** File or `table:<name>`. */
  source: string;
}

/**
 * Open the engine named by `--engine` and load the orders: a file (validated
 * and quarantined the same way on every engine) or `--table <name>`.
 */
export async function openEngineOrders(options: ParsedArgs["options"], file: string | undefined, load: { format?: string; mapping?: ColumnMapping; quarantineFile?: string; now?: number; read?: EngineLoadOptions["read"] } = {}): Promise<EngineOrders> {
  const table = strOpt(options, "table");
  if (!file && !table) throw new CustlabError("E_USAGE", "give a transactions file, or --table <name> with --engine duckdb|clickhouse://…");
  if (file && table) throw new CustlabError("E_USAGE", "give either a file or --table, not both");
  if (file && !fs.existsSync(file)) throw new CustlabError("E_FILE", "no such file", { file });
  const format = load.format ?? (load.mapping ? "generic" : "custlab");
  if (!(TRANSACTION_FORMATS as readonly string[]).includes(format)) throw new CustlabError("E_USAGE", `option --format: unknown adapter "${format}" (choose one of: ${TRANSACTION_FORMATS.join(", ")})`);
  const engine = await openEngine(strOpt(options, "engine"), { file, memoryLimit: strOpt(options, "memory-limit") });
  try {
    if (table) { await engine.useTable(table); return { engine, report: null, source: `table:${table}` }; }
    const report = await engine.loadFile(file!, { format: format as TransactionFormat, mapping: load.mapping, quarantineFile: load.quarantineFile, now: load.now, read: load.read });
    return { engine, report, source: file! };
  } catch (e) {
    await engine.close();
    throw e;
  }
}
