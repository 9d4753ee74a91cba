// Determinism of the duckdb engine (issue 19): load a file twice (fresh engine each time) and compare quality,
// features (cutoff 2011-09-09), labels (90 d), RFM and purchase days bitwise; prints CPU s per stage of each load.
// Usage: nice -n 10 npx tsx bench/engine-determinism.ts /tmp/custlab-scale/online_retail_x10.csv [format] [exactRowsLimit]
import { DuckDBEngine } from "../src/engine";
const file = process.argv[2];
const fmt = process.argv[3] ?? "online-retail";
const limit = process.argv[4] ? Number(process.argv[4]) : undefined;
const cutoff = Date.parse("2011-09-09T00:00:00Z");
async function once() {
  const e = await DuckDBEngine.open(limit !== undefined ? { exactRowsLimit: limit } : {});
  const t: Record<string, number> = {};
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  let c0 = cpu();
  const step = async <T>(n: string, f: () => Promise<T>) => { const r = await f(); const c = cpu(); t[n] = +(c - c0).toFixed(2); c0 = c; return r; };
  await step("load", () => e.loadFile(file, { format: fmt as any }));
  const q = await step("quality", () => e.quality());
  const f = await step("features", () => e.features({ cutoff }));
  const l = await step("labels", () => e.labels(f, { cutoff, horizonDays: 90 }));
  const r = await step("rfm", () => e.rfm());
  const p = await step("purchaseDays", () => e.purchaseDays(Date.parse("2011-12-10T00:00:00Z")));
  console.log("ordered", e.ordered, "cpu", JSON.stringify(t));
  await e.close();
  return { q, f, l, r, p };
}
async function main() {
const a = await once(), b = await once();
const diff = (x: any, y: any, name: string) => {
  let n = 0;
  for (const c of x.columnNames()) { const u = x.get(c), v = y.get(c); for (let i = 0; i < x.numRows; i++) if (!Object.is(u[i], v[i]) && !(Number.isNaN(u[i]) && Number.isNaN(v[i]))) n++; }
  console.log(name, "rows", x.numRows, y.numRows, "differing cells", n);
};
console.log("quality equal", JSON.stringify(a.q) === JSON.stringify(b.q));
diff(a.f, b.f, "features"); diff(a.l, b.l, "labels"); diff(a.r, b.r, "rfm"); diff(a.p, b.p, "purchaseDays");
}
main();
