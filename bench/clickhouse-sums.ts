// Order-free sums on the clickhouse engine (issue 19): above exactRowsLimit (forced here with 0) a
// stage's plain sums are merged from ClickHouse's threads and shards in arrival order, so their last
// bits can change from load to load; Dialect.stableSum adds fixed-point limbs as Int64 instead.
// Loads the file twice into the two-shard cluster, then alternates rounds of plain sums
// (stableSum switched off) and order-free sums: prints the wall time of features + labels + RFM +
// purchase days + purchase totals on load A, and how many cells differ between loads A and B.
// Usage (shards running: scripts/clickhouse.sh start && export $(scripts/clickhouse.sh env)):
//   nice -n 5 npx tsx bench/clickhouse-sums.ts [file.csv] [--rounds 3]
import * as path from "path";
import { ClickHouseEngine, parseClickHouseUrl } from "../src/engine";
import { CLICKHOUSE } from "../src/engine/dialect";
import type { Table } from "../src/table";

const args = process.argv.slice(2);
const ri = args.indexOf("--rounds");
const rounds = ri >= 0 ? Number(args[ri + 1]) : 3;
const file = args.find((a, i) => !a.startsWith("--") && (ri < 0 || i !== ri + 1)) ?? path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
const stable = CLICKHOUSE.stableSum;
const setStable = (on: boolean) => { (CLICKHOUSE as { stableSum?: typeof stable }).stableSum = on ? stable : undefined; };
const differing = (a: Table, b: Table) => { let n = 0; for (const c of a.columnNames()) { const x = a.get(c), y = b.get(c); for (let i = 0; i < a.numRows; i++) if (!Object.is(x[i], y[i])) n++; } return n; };

async function main(): Promise<void> {
  if (!process.env.CUSTLAB_CLICKHOUSE) throw new Error("set CUSTLAB_CLICKHOUSE (scripts/clickhouse.sh start && export $(scripts/clickhouse.sh env))");
  const url = parseClickHouseUrl(process.env.CUSTLAB_CLICKHOUSE);
  const cutoff = Date.parse("2011-09-09T00:00:00Z");
  const engines: ClickHouseEngine[] = [];
  try {
    for (let k = 0; k < 2; k++) {
      const e = await ClickHouseEngine.open(url);
      e.tableName = `bench_sums_${process.pid}_${k}`;
      e.dropOnClose = true;
      e.exactRowsLimit = 0;
      engines.push(e);
      await e.loadFile(file, { format: "online-retail" });
    }
    const run = async (e: ClickHouseEngine) => {
      const f = await e.features({ cutoff });
      return [f, await e.labels(f, { cutoff, horizonDays: 90 }), await e.rfm(), await e.purchaseDays(Infinity), await e.purchaseTotals()];
    };
    const wall: Record<string, number[]> = { plain: [], stable: [] };
    for (let r = 0; r < rounds; r++) {
      for (const kind of ["plain", "stable"] as const) {
        setStable(kind === "stable");
        const t0 = Date.now();
        const a = await run(engines[0]);
        wall[kind].push((Date.now() - t0) / 1000);
        const b = await run(engines[1]);
        console.log(`${kind.padEnd(6)} round ${r}: ${wall[kind][r].toFixed(3)} s; cells differing between loads (features/labels/rfm/days/totals): ${a.map((t, i) => differing(t, b[i])).join("/")}`);
      }
    }
    setStable(true);
    const best = (k: string) => Math.min(...wall[k]);
    console.log(`best of ${rounds}: plain ${best("plain").toFixed(3)} s, order-free ${best("stable").toFixed(3)} s (${(best("stable") / best("plain")).toFixed(2)}×)`);
  } finally {
    for (const e of engines) await e.close();
  }
}
main().catch((e) => { console.error(String(e?.message ?? e)); process.exit(1); });
