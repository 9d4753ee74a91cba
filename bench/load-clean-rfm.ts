/**
 * Benchmark: load + clean + RFM on UCI Online Retail, custlab vs pandas on the
 * same machine (the pandas side runs the anchor script's steps: read_csv +
 * dropna/filter + groupby RFM). Prints both times and the ratio.
 *
 *   npx tsx bench/load-clean-rfm.ts [path/to/online_retail.csv] [repeats=3] [rounds=2]
 *
 * custlab does more than pandas here: every row is validated, line-tracked and
 * accepted or quarantined, and cleaning flags duplicates, matches cancellations
 * to purchases and flags outliers before RFM. Best-of-N wall times are compared
 * (rounds of custlab runs and pandas runs alternate),
 * and CPU seconds (process user + system) too: on a shared, saturated machine the
 * wall clock mostly measures waiting for a core, so the CPU ratio is the fairer one.
 * custlab reads large files on several threads (ReadOptions.threads; pandas'
 * read_csv uses one), so its CPU seconds exceed its wall seconds.
 */
import * as path from "path";
import * as fs from "fs";
import { spawnSync } from "child_process";
// The compiled library (dist/, built by `npm ci`), as users and the CLI run it: tsx's on-the-fly
// transform of src/ runs measurably slower, and the reader's worker threads run dist/ anyway.
import { loadTransactions } from "../dist/io";
import { cleanTransactions, purchases } from "../dist/clean";
import { customerRFM } from "../dist/features";

async function main(): Promise<void> {
  const file = process.argv[2] ?? path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
  const repeats = Number(process.argv[3] ?? 3);
  const ROUNDS = Number(process.argv[4] ?? 2);
  if (!fs.existsSync(file)) { console.error(`bench: ${file} not found (pass the Online Retail CSV path)`); process.exit(1); }

  const runs: { load: number; clean: number; rfm: number; total: number; cpu: number }[] = [];
  const pyRuns: { read_s: number; rfm_s: number; total_s: number; cpu_s: number }[] = [];
  let customers = 0, monetary = 0, frequency = 0, rawCustomers = 0, rowsIn = 0;
  let pd: { pandas: string; customers: number; monetary_sum: number; frequency_sum: number } | null = null;
  // Rounds alternate the two sides so a noisy spell on the shared machine hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (let r = round === 0 ? -1 : 0; r < repeats; r++) { // run -1 warms up the JIT and the reader threads, not counted
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const { table, report } = await loadTransactions(file, { format: "online-retail" });
      const t1 = performance.now();
      const clean = cleanTransactions(table);
      const t2 = performance.now();
      const rfm = customerRFM(purchases(clean.table));
      const t3 = performance.now();
      const cu = process.cpuUsage(c0);
      if (r >= 0) runs.push({ load: t1 - t0, clean: t2 - t1, rfm: t3 - t2, total: t3 - t0, cpu: (cu.user + cu.system) / 1000 });
      customers = rfm.numRows; rowsIn = report.rows_in;
      const mon = rfm.num("monetary"), fr = rfm.num("frequency");
      monetary = 0; frequency = 0;
      for (let i = 0; i < rfm.numRows; i++) { monetary += mon[i]; frequency += fr[i]; }
      if (r < 0) rawCustomers = customerRFM(table).numRows;
    }
    const py = spawnSync("/usr/bin/python3", [path.resolve(__dirname, "load_clean_rfm_pandas.py"), file, String(repeats)], { encoding: "utf8" });
    if (py.status !== 0) { console.error(`pandas side failed: ${py.stderr.trim().split("\n").pop()}`); process.exit(1); }
    pd = JSON.parse(py.stdout.trim().split("\n").pop()!);
    pyRuns.push(...(pd as unknown as { runs: typeof pyRuns }).runs);
  }
  const best = runs.reduce((a, b) => (b.total < a.total ? b : a));
  const minCpu = Math.min(...runs.map((r) => r.cpu));
  const p = pyRuns.reduce((a, b) => (b.total_s < a.total_s ? b : a));
  const pMinCpu = Math.min(...pyRuns.map((r) => r.cpu_s));
  if (!pd) throw new Error("no pandas run");

  const f = (ms: number) => (ms / 1000).toFixed(3) + " s";
  console.log(`Online Retail: ${rowsIn} rows; best of ${ROUNDS} × ${repeats} runs per side, rounds alternating (one warm-up for custlab)`);
  console.log(`custlab  load ${f(best.load)}  clean ${f(best.clean)}  rfm ${f(best.rfm)}  total ${f(best.total)}  (min cpu ${f(minCpu)})  customers ${customers} (raw-filter RFM ${rawCustomers})`);
  console.log(`pandas ${pd.pandas}  read ${p.read_s.toFixed(3)} s  filter+rfm ${p.rfm_s.toFixed(3)} s  total ${p.total_s.toFixed(3)} s  (min cpu ${pMinCpu.toFixed(3)} s)  customers ${pd.customers}`);
  console.log(`ratio custlab/pandas: ${(best.total / 1000 / p.total_s).toFixed(2)}x wall (best runs), ${(minCpu / 1000 / pMinCpu).toFixed(2)}x cpu (min)` +
    `  (load alone vs read_csv: ${(best.load / 1000 / p.read_s).toFixed(2)}x)`);
  console.log(`check: frequency sum custlab ${frequency} / pandas ${pd.frequency_sum}; monetary sum custlab ${monetary.toFixed(2)} / pandas ${pd.monetary_sum.toFixed(2)} (custlab drops the 5,268 duplicate lines first)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
