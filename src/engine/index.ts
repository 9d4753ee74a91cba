/**
 * Engines: where custlab's relational stages (validation, cleaning, customer
 * features at cutoffs, labels, RFM, basket counts, quality aggregates) run —
 * `memory` (custlab's own typed-array code, the reference), `duckdb`
 * (embedded, spills to disk) or `clickhouse` (a server or a sharded cluster).
 * Each stage is written once (`./stages`) and rendered per SQL dialect
 * (`./dialect`); only customer-level tables come back to TypeScript.
 * @module
 */
import * as fs from "fs";
import { CustlabError } from "../util/errors";
import { MemoryEngine } from "./memory";
import { DuckDBEngine } from "./duckdb";
import type { DuckDBEngineOptions } from "./duckdb";
import { ClickHouseEngine, parseClickHouseUrl } from "./clickhouse";
import type { OrdersEngine } from "./types";

export type { OrdersEngine, EngineName, EngineLoadOptions, EngineQuality, BasketCounts, EngineRFMOptions } from "./types";
export { MemoryEngine } from "./memory";
export { DuckDBEngine } from "./duckdb";
export type { DuckDBEngineOptions } from "./duckdb";
export { ClickHouseEngine, parseClickHouseUrl } from "./clickhouse";
export type { ClickHouseTarget } from "./clickhouse";
export { DIALECTS, render as renderSql } from "./dialect";
export type { Dialect, Select as SqlSelect, Expr as SqlExpr } from "./dialect";
export { sql, closeSql, readParquet, writeParquet } from "./sql";

/** Files at least this large (bytes) default to the duckdb engine (about 2M Online Retail rows). */
export const DUCKDB_DEFAULT_BYTES = 200 * 1024 * 1024;

/** Options of {@link openEngine}. */
export interface OpenEngineOptions extends DuckDBEngineOptions {
  /** The input file, for the automatic choice (Parquet or ≥ {@link DUCKDB_DEFAULT_BYTES} → duckdb). */
  file?: string;
}

/**
 * The engine an `--engine` value resolves to for a file: "auto" (or undefined)
 * becomes "duckdb" for Parquet files and files of at least {@link DUCKDB_DEFAULT_BYTES},
 * else "memory"; any other value is returned as it is.
 *
 * @example
 * resolveEngineSpec(undefined, "orders.parquet"); // "duckdb"
 */
export function resolveEngineSpec(spec: string | undefined, file?: string): string {
  const s = spec ?? "auto";
  if (s !== "auto") return s;
  const big = file !== undefined && fs.existsSync(file) && fs.statSync(file).size >= DUCKDB_DEFAULT_BYTES;
  return file !== undefined && (/\.parquet$/i.test(file) || big) ? "duckdb" : "memory";
}

/**
 * The engine an `--engine` value names: "memory", "duckdb",
 * "clickhouse://host:port/db[?cluster=…&shards=…]", or "auto"/undefined
 * (duckdb for Parquet files and files of at least {@link DUCKDB_DEFAULT_BYTES}, else memory).
 *
 * @example
 * const eng = await openEngine("duckdb", { memoryLimit: "2GB" });
 * eng.describe(); // "duckdb (memory_limit 2GB)"
 * await eng.close();
 */
export async function openEngine(spec: string | undefined, options: OpenEngineOptions = {}): Promise<OrdersEngine> {
  const s = resolveEngineSpec(spec, options.file);
  if (s === "memory") return new MemoryEngine();
  if (s === "duckdb") return DuckDBEngine.open(options);
  if (s.startsWith("clickhouse://")) return ClickHouseEngine.open(parseClickHouseUrl(s));
  throw new CustlabError("E_USAGE", `--engine: expected memory, duckdb or clickhouse://host:port/db, got "${s}"`);
}
