// `--table <name>` on the duckdb engine (issue 19): exact duplicates of an existing table are found
// the load's way (a hash of each row's canonical values, then only rows whose hash repeats compared
// value by value), once, instead of a GROUP BY over every column in each query. Oracles: the memory
// engine on the same file, and the GROUP BY path (`dedupeQuery`, which a view still takes). The table
// holds the demo shop's accepted rows with every duplicate copy back (later lines), shuffled; with
// hashModulo 1 every hash collides, so every row is compared by value. ClickHouse: the same table on
// one server and spread over two shards behind a Distributed table (repeated hashes sent with GLOBAL IN).
import { describe, it, expect } from "vitest";
import * as path from "path";
import { MemoryEngine, DuckDBEngine, ClickHouseEngine, parseClickHouseUrl } from "../src/engine";
import { clickhouseUnavailable } from "./helpers/clickhouse";
import type { DuckDBEngineOptions, OrdersEngine } from "../src/engine";
import type { Table } from "../src/table";

const DEMO = path.resolve(__dirname, "../datasets/demo/transactions.csv");
const CUTOFF = Date.parse("2024-03-01T00:00:00Z");

async function outputs(e: OrdersEngine): Promise<{ quality: unknown; tables: Table[] }> {
  const f = await e.features({ cutoff: CUTOFF });
  return { quality: await e.quality(), tables: [f, await e.labels(f, { cutoff: CUTOFF, horizonDays: 90 }), await e.rfm(), await e.rfm({ before: CUTOFF, asOf: CUTOFF }), await e.purchaseDays(Infinity)] };
}

/** The memory engine's outputs on the demo (the oracle of both describes), computed once. */
let memOutputs: Promise<{ quality: unknown; tables: Table[] }> | undefined;
function memory(): Promise<{ quality: unknown; tables: Table[] }> {
  memOutputs ??= (async () => {
    const mem = new MemoryEngine();
    try { await mem.loadFile(DEMO, { format: "custlab" }); return await outputs(mem); } finally { await mem.close(); }
  })();
  return memOutputs;
}

/** A duckdb engine holding the demo's accepted rows, duplicates included, as table `shop` and view `shop_view`. */
async function withTable(options: DuckDBEngineOptions): Promise<DuckDBEngine> {
  const e = await DuckDBEngine.open(options);
  await e.loadFile(DEMO, { format: "custlab" });
  await e.prepare();
  await e.exec(`CREATE TABLE shop AS SELECT * EXCLUDE (_n, j), _line + j * 1000000 AS _line FROM (SELECT * EXCLUDE (_line), _line FROM ${e.allRowsTable()}) JOIN range(100) AS m(j) ON m.j < _n ORDER BY hash(_line, j)`);
  await e.exec("CREATE VIEW shop_view AS SELECT * FROM shop");
  return e;
}

describe("duckdb --table: exact duplicates by hash, as the load finds them", () => {
  it("gives the memory engine's quality and bit-identical tables, with or without hash collisions, and equals the GROUP BY path", async () => {
    const engines: OrdersEngine[] = [];
    try {
      const m = await memory();
      expect((m.quality as { duplicate_row: number }).duplicate_row).toBeGreaterThan(0);
      const plain = await withTable({});
      engines.push(plain);
      const colliding = await withTable({ hashModulo: 1 });
      engines.push(colliding);
      for (const [e, name] of [[plain, "shop"], [colliding, "shop"], [plain, "shop_view"]] as [DuckDBEngine, string][]) {
        await e.useTable(name);
        const what = `${name}${e === colliding ? ", every hash colliding" : ""}`;
        // The table's rows are read without their later copies' row ids; the view's grouped by every column.
        expect(e.sqlOf({ select: [["n", () => "count(*)"]], from: e.need() }), what).toMatch(name === "shop_view" ? /GROUP BY/ : /rowid NOT IN/);
        if (name === "shop_view") { // the GROUP BY path (unchanged): its counts and RFM, as a cross-check
          expect(await e.quality(), what).toEqual(m.quality);
          expectSame(await e.rfm(), m.tables[2], `${what} rfm`);
          continue;
        }
        const o = await outputs(e);
        expect(o.quality, what).toEqual(m.quality);
        o.tables.forEach((t, k) => expectSame(t, m.tables[k], `${what} table ${k}`));
      }
    } finally {
      for (const e of engines) await e.close();
    }
  }, 120_000);
});

/** Every column of `t` equal to `m`'s, value for value. */
function expectSame(t: Table, m: Table, what: string): void {
  expect(t.columnNames()).toEqual(m.columnNames());
  for (const c of t.columnNames()) expect(Array.from(t.get(c)), `${what} column ${c}`).toEqual(Array.from(m.get(c)));
}

/** Numeric cells of `b` farther from `a` than 1e-9 of the larger value (ClickHouse's sums equal memory's within rounding); text must be equal. */
function nearScale(a: Table, b: Table): number {
  expect(b.columnNames()).toEqual(a.columnNames());
  let bad = 0;
  for (const c of a.columnNames()) {
    const x = a.get(c), y = b.get(c);
    for (let i = 0; i < a.numRows; i++) {
      if (Object.is(x[i], y[i]) || (Number.isNaN(x[i] as number) && Number.isNaN(y[i] as number))) continue;
      if (typeof x[i] !== "number" || typeof y[i] !== "number" || !(Math.abs((x[i] as number) - (y[i] as number)) <= 1e-9 * Math.max(Math.abs(x[i] as number), Math.abs(y[i] as number)))) bad++;
    }
  }
  return bad;
}


const chReason = clickhouseUnavailable();
describe.skipIf(chReason !== "")(`clickhouse --table: exact duplicates by hash${chReason ? ` — skipped: ${chReason}` : ""}`, () => {
  it("gives the memory engine's quality and the loaded table's tables, bit for bit, from a table with duplicates, on one server and over two shards", async () => {
    const url = parseClickHouseUrl(process.env.CUSTLAB_CLICKHOUSE!);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ch = require("@clickhouse/client");
    const client = ch.createClient({ url: url.url, database: url.database });
    const shards = (url.shards ?? []).map((s) => ch.createClient({ url: `http://${s}`, database: url.database }));
    const base = `test_use_${process.pid}`, one = `${base}_dup`, dist = `${base}_dist`;
    const engines: OrdersEngine[] = [];
    const cmd = (c: { command(o: { query: string }): Promise<unknown> }, q: string) => c.command({ query: q });
    try {
      const m = await memory();
      const loader = await ClickHouseEngine.open(url);
      engines.push(loader);
      loader.tableName = base;
      loader.dropOnClose = true;
      await loader.loadFile(DEMO, { format: "custlab" });
      // Every duplicate copy back (later lines), shuffled.
      const canon = "customer_id, order_id, timestamp, product_id, product_name, category, quantity, unit_price, country, channel";
      const cols = "customer_id String, order_id String, timestamp Float64, product_id String, product_name String, category String, quantity Float64, unit_price Float64, country String, channel String, _line Float64";
      await cmd(client, `CREATE TABLE ${one} (${cols}) ENGINE = MergeTree() ORDER BY tuple()`);
      await cmd(client, `INSERT INTO ${one} SELECT ${canon}, l + j * 1000000 AS _line FROM (SELECT ${canon}, _n, _line AS l FROM ${base}) ARRAY JOIN range(toUInt64(_n)) AS j ORDER BY cityHash64(l, j)`);
      for (const s of shards) await cmd(s, `CREATE TABLE ${dist}_local (${cols}) ENGINE = MergeTree() ORDER BY tuple()`);
      await cmd(client, `CREATE TABLE ${dist} (${cols}) ENGINE = Distributed(${url.cluster}, ${url.database}, ${dist}_local, cityHash64(order_id))`);
      await client.command({ query: `INSERT INTO ${dist} SELECT * FROM ${one}`, clickhouse_settings: { insert_distributed_sync: 1 } });
      // The loaded table (the file's distinct rows): no duplicates, read as it is — the reference.
      const r = await ClickHouseEngine.open(url);
      engines.push(r);
      await r.useTable(base);
      expect(r.sqlOf({ select: [["n", () => "count()"]], from: r.need() })).not.toMatch(/GROUP BY|GLOBAL/);
      const ref = await outputs(r);
      expect((ref.quality as { duplicate_row: number }).duplicate_row).toBe(0);
      ref.tables.forEach((t, k) => expect(nearScale(t, m.tables[k]), `loaded table ${k}`).toBe(0));
      for (const name of [one, dist]) {
        const e = await ClickHouseEngine.open(url);
        engines.push(e);
        await e.useTable(name);
        expect(e.sqlOf({ select: [["n", () => "count()"]], from: e.need() }), name).toMatch(/GLOBAL IN/);
        const o = await outputs(e);
        expect(o.quality, name).toEqual(m.quality);
        o.tables.forEach((t, k) => expectSame(t, ref.tables[k], `${name} table ${k}`));
      }
    } finally {
      for (const e of engines) await e.close();
      for (const q of [`DROP TABLE IF EXISTS ${one}`, `DROP TABLE IF EXISTS ${dist}`]) await cmd(client, q).catch(() => undefined);
      for (const s of shards) { await cmd(s, `DROP TABLE IF EXISTS ${dist}_local`).catch(() => undefined); await s.close(); }
      await client.close();
    }
  }, 120_000);
});
