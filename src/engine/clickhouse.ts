import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CustlabError } from "../util/errors";
import type { LoadReport } from "../io/reader";
import { CLICKHOUSE } from "./dialect";
import { CANONICAL_ENGINE_COLUMNS, ENGINE_COLUMNS } from "./stages";
import { SqlEngine } from "./sql-engine";
import type { ResultColumns } from "./sql-engine";
import { DuckDBEngine } from "./duckdb";
import type { EngineLoadOptions } from "./types";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Where a ClickHouse engine connects, parsed from `clickhouse://host:port/db?cluster=name&shards=h1:p1,h2:p2`. */
export interface ClickHouseTarget {
  /** HTTP URL of the server queries go to, e.g. `http://127.0.0.1:18123`. */
  url: string;
  /** Database (default "default"). */
  database: string;
  /** A `remote_servers` cluster: loaded tables are `Distributed` over it. */
  cluster?: string;
  /** HTTP addresses (host:port) of every shard of the cluster, where the local tables are created. */
  shards?: string[];
  user?: string;
  password?: string;
}

/**
 * Parse `clickhouse://host:port/db` (HTTP port), with optional
 * `?cluster=<name>&shards=<host:port>,<host:port>` for a sharded cluster.
 *
 * @example
 * parseClickHouseUrl("clickhouse://127.0.0.1:18123/custlab?cluster=custlab&shards=127.0.0.1:18123,127.0.0.1:18124").shards; // ["127.0.0.1:18123", "127.0.0.1:18124"]
 */
export function parseClickHouseUrl(spec: string): ClickHouseTarget {
  let u: URL;
  try { u = new URL(spec); } catch { throw new CustlabError("E_USAGE", `--engine: "${spec}" is not a URL (clickhouse://host:port/db)`); }
  if (u.protocol !== "clickhouse:") throw new CustlabError("E_USAGE", `--engine: expected clickhouse://host:port/db, got "${spec}"`);
  const db = decodeURIComponent(u.pathname.replace(/^\//, "")) || "default";
  const shards = u.searchParams.get("shards")?.split(",").filter(Boolean);
  return {
    url: `http://${u.hostname}:${u.port || "8123"}`, database: db, cluster: u.searchParams.get("cluster") ?? undefined, shards,
    user: u.username ? decodeURIComponent(u.username) : undefined, password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

const CH_TYPES: Record<string, string> = { text: "String", double: "Float64" };

/**
 * The distributed engine (`@clickhouse/client` over HTTP). A file is read,
 * validated and de-duplicated by the DuckDB engine (the same validation stage
 * and quarantine), then bulk-loaded as CSV (distinct rows with their
 * multiplicity `_n`) into a MergeTree table on every shard behind a
 * `Distributed` table sharded by order id; every stage then runs in ClickHouse
 * and only customer-level tables come back. `useTable` names a table that
 * already holds the canonical columns (its exact duplicates are found by hash
 * once; the queries then group only the rows whose hash repeats).
 *
 * @example
 * const eng = await ClickHouseEngine.open(parseClickHouseUrl("clickhouse://127.0.0.1:18123/custlab"));
 * await eng.useTable("orders");
 * const rfm = await eng.rfm();
 */
export class ClickHouseEngine extends SqlEngine {
  readonly name = "clickhouse" as const;
  readonly dialect = CLICKHOUSE;
  private client: any;
  private target: ClickHouseTarget;
  private created: string[] = [];
  /** Table name used for the next file load (default `custlab_orders`). */
  tableName = "custlab_orders";
  /** Drop the tables this engine created on close (default false: they stay for `--table`). */
  dropOnClose = false;
  /**
   * Inputs with at most this many rows get sums in custlab's order (each group's values sorted,
   * then added: results bit-identical to the memory engine's); larger ones plain parallel sums
   * (equal within rounding), because the ordered sums hold each group's values (default 2,000,000).
   */
  exactRowsLimit = 2_000_000;

  private constructor(target: ClickHouseTarget) { super(); this.target = target; }

  /** Connect (checks the server answers). */
  static async open(target: ClickHouseTarget): Promise<ClickHouseEngine> {
    const e = new ClickHouseEngine(target);
    e.client = e.connect(target.url);
    try { await e.query("SELECT 1 AS ok"); } catch (err) {
      throw new CustlabError("E_ENGINE", `clickhouse at ${target.url} does not answer (${(err as Error).message.split("\n")[0]})`);
    }
    return e;
  }

  private connect(url: string): any {
    let mod: any;
    try { mod = require("@clickhouse/client"); } catch (err) { throw new CustlabError("E_ENGINE", `the clickhouse engine needs @clickhouse/client (${(err as Error).message.split("\n")[0]})`); }
    return mod.createClient({
      url, database: this.target.database, username: this.target.user ?? "default", password: this.target.password ?? "",
      request_timeout: 600_000, log: { level: mod.ClickHouseLogLevel?.OFF ?? 127 },
    });
  }

  describe(): string {
    return `clickhouse ${this.target.url}/${this.target.database}${this.target.cluster ? ` (Distributed over cluster ${this.target.cluster}, ${this.target.shards?.length ?? "?"} shards)` : ""}`;
  }

  async query(sql: string): Promise<ResultColumns> {
    let j: { meta: { name: string }[]; data: unknown[][] };
    try {
      const r = await this.client.query({ query: sql, format: "JSONCompact" });
      j = await r.json();
    } catch (err) { throw new CustlabError("E_ENGINE", `clickhouse: ${(err as Error).message.split("\n")[0].slice(0, 400)}`); }
    const out: ResultColumns = {};
    j.meta.forEach((m, k) => { out[m.name] = j.data.map((row) => row[k]); });
    return out;
  }

  private async command(client: any, sql: string): Promise<void> {
    try { await client.command({ query: sql }); } catch (err) { throw new CustlabError("E_ENGINE", `clickhouse: ${(err as Error).message.split("\n")[0].slice(0, 400)}`); }
  }

  async useTable(name: string): Promise<void> {
    const r = await this.query(`SELECT count() AS n FROM system.tables WHERE database = '${this.target.database.replace(/'/g, "\\'")}' AND name = '${name.replace(/'/g, "\\'")}'`);
    if (Number(r.n[0]) === 0) throw new CustlabError("E_ENGINE", `clickhouse: no table "${name}" in database ${this.target.database}`);
    await this.dropScratch();
    this.allRows = name;
    this.weight = undefined;
    this.duplicates = undefined;
    const n = await this.query(`SELECT count() AS n FROM ${CLICKHOUSE.ident(name)}`);
    this.ordered = Number(n.n[0]) <= this.exactRowsLimit;
    // Exact duplicates found the load's way: a hash of each row's canonical values (doubles + 0, so
    // -0 and 0 hash alike), and only rows whose hash repeats grouped by value (a collision between
    // different rows keeps both); the others are read as they are. The repeated hashes are found once
    // (a table on this server, sent to the shards with GLOBAL IN), not a GROUP BY over every column per query.
    const t = CLICKHOUSE.ident(name);
    const cols = CANONICAL_ENGINE_COLUMNS.map((c) => CLICKHOUSE.ident(c)).join(", ");
    const h = `cityHash64(${ENGINE_COLUMNS.filter(([c]) => c !== "_line").map(([c, k]) => (k === "double" ? `(${CLICKHOUSE.ident(c)} + 0.)` : CLICKHOUSE.ident(c))).join(", ")})`;
    const cand = `custlab_dup_hashes_${process.pid}_${++ClickHouseEngine.seq}`;
    await this.command(this.client, `CREATE TABLE ${cand} ENGINE = Memory AS SELECT h FROM (SELECT ${h} AS h, count() AS c FROM ${t} GROUP BY h) WHERE c > 1`);
    this.scratch.push(cand);
    const repeated = Number((await this.query(`SELECT count() AS n FROM ${cand}`)).n[0]);
    const plain = `SELECT ${cols}, ${CLICKHOUSE.ident("_line")} FROM ${t}`;
    this.rows = repeated === 0 ? { sql: `(${plain})` }
      : { sql: `(${plain} WHERE ${h} GLOBAL NOT IN (SELECT h FROM ${cand}) UNION ALL SELECT ${cols}, min(${CLICKHOUSE.ident("_line")}) AS ${CLICKHOUSE.ident("_line")} FROM ${t} WHERE ${h} GLOBAL IN (SELECT h FROM ${cand}) GROUP BY ${cols})` };
    if (repeated === 0) this.duplicates = 0;
  }

  private static seq = 0;
  /** Tables this engine made for a `useTable` (dropped at the next load and on close). */
  private scratch: string[] = [];

  private async dropScratch(): Promise<void> {
    for (const t of this.scratch.splice(0)) await this.command(this.client, `DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }

  async loadFile(file: string, options: EngineLoadOptions = {}): Promise<LoadReport> {
    const t0 = Date.now();
    await this.dropScratch();
    const duck = await DuckDBEngine.open({ memoryLimit: "1GB" });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-ch-"));
    try {
      const report = await duck.loadFile(file, options);
      const csv = path.join(tmp, "orders.csv");
      const cols = [...ENGINE_COLUMNS, ["_n", "double"] as const].map(([n, k]) => (k === "double" ? `coalesce("${n}", 'NaN'::DOUBLE) AS "${n}"` : `coalesce("${n}", '') AS "${n}"`)).join(", ");
      await duck.prepare();
      // Text quoted: ClickHouse's CSV reader trims the spaces around unquoted fields (product names end in spaces).
      await duck.copyTo(`SELECT ${cols} FROM ${duck.allRowsTable()}`, csv, { quote: ENGINE_COLUMNS.filter(([, k]) => k === "text").map(([n]) => n) });
      await this.createTables();
      const ins = (client: any, table: string) => client.insert({ table, values: fs.createReadStream(csv), format: "CSVWithNames", clickhouse_settings: { insert_distributed_sync: 1 } });
      try { await ins(this.client, this.tableName); } catch (err) { throw new CustlabError("E_ENGINE", `clickhouse: bulk load failed (${(err as Error).message.split("\n")[0].slice(0, 300)})`); }
      // Distinct accepted rows with their multiplicity `_n` (duplicates removed by the DuckDB stage).
      this.ordered = report.accepted <= this.exactRowsLimit;
      this.allRows = this.tableName;
      this.weight = "_n";
      this.rows = this.tableName;
      this.duplicates = undefined;
      report.notes.push(`bulk-loaded into ClickHouse table ${this.target.database}.${this.tableName}${this.target.cluster ? ` (Distributed over ${this.target.cluster})` : ""}`);
      report.elapsed_ms = Date.now() - t0;
      return report;
    } finally {
      await duck.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** (Re)create the order table: MergeTree locally, or MergeTree on every shard plus a Distributed table. */
  private async createTables(): Promise<void> {
    const name = this.tableName;
    const schema = [...ENGINE_COLUMNS, ["_n", "double"] as const].map(([n, k]) => `\`${n}\` ${CH_TYPES[k]}`).join(", ");
    const mergeTree = (t: string) => `CREATE TABLE ${t} (${schema}) ENGINE = MergeTree() ORDER BY (customer_id, order_id)`;
    if (this.target.cluster) {
      const shards = this.target.shards ?? [];
      if (shards.length === 0) throw new CustlabError("E_USAGE", `--engine: cluster "${this.target.cluster}" needs &shards=<host:port>,… (the HTTP address of each shard, where the local tables are created)`);
      for (const s of shards) {
        const c = this.connect(`http://${s}`);
        try {
          await this.command(c, `DROP TABLE IF EXISTS ${name}_local`);
          await this.command(c, mergeTree(`${name}_local`));
        } finally { await c.close(); }
      }
      await this.command(this.client, `DROP TABLE IF EXISTS ${name}`);
      await this.command(this.client, `CREATE TABLE ${name} (${schema}) ENGINE = Distributed(${this.target.cluster}, ${this.target.database}, ${name}_local, cityHash64(order_id))`);
    } else {
      await this.command(this.client, `DROP TABLE IF EXISTS ${name}`);
      await this.command(this.client, mergeTree(name));
    }
    this.created.push(name);
  }

  async close(): Promise<void> {
    if (this.client) await this.dropScratch();
    if (this.dropOnClose && this.client) {
      for (const t of this.created) {
        await this.command(this.client, `DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
        for (const s of this.target.shards ?? []) {
          const c = this.connect(`http://${s}`);
          await this.command(c, `DROP TABLE IF EXISTS ${t}_local`).catch(() => undefined);
          await c.close();
        }
      }
    }
    await this.client?.close();
    this.client = undefined;
  }
}
