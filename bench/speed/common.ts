/**
 * Shared machinery of bench/models-speed.ts: the run context handed to every
 * section, alternating rounds, the Python peer runner and the result table.
 * A section is a module under bench/speed/ exporting `section: SpeedSection`
 * and listed once in bench/models-speed.ts's SECTIONS.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";

/** One timed run of one side: fit seconds plus the quality figure (AUC, inertia, …). */
export interface Timed { seconds: number; metric: number }

/** One side of a comparison (custlab or a peer) at a given thread count. */
export interface Side {
  /** "custlab", "sklearn HGB", "XGBoost hist", … */
  name: string;
  /** Runs once and returns its own fit seconds (measured around the fit only) and metric. */
  run(): Promise<Timed> | Timed;
}

/** A finished comparison row: every round's time and metric per side. */
export interface SpeedRow {
  section: string;
  /** What was measured, e.g. "1M × 20". */
  case: string;
  threads: number;
  /** Name of the quality figure (AUC, inertia). */
  metricName: string;
  sides: { name: string; seconds: number[]; metric: number }[];
}

/** What the driver hands to a section. */
export interface SpeedContext {
  /** The section now running (set by the driver). */
  section: string;
  /** Raw command-line flags after the script name. */
  argv: string[];
  /** `--name value` (or `dflt`). */
  arg(name: string, dflt?: string): string | undefined;
  /** Row counts from `--sizes 100k,1M,3M` (each section has its own default). */
  sizes(dflt: string): number[];
  /** Thread counts from `--threads 1,2` (default 1,2). */
  threads: number[];
  /** Alternating rounds per row (`--rounds`, default 3). */
  rounds: number;
  /** false with `--no-python`: peers are skipped. */
  python: boolean;
  /** ../shared/datasets (or `--data`). */
  dataDir: string;
  /** A temp folder for this run (data files for the Python side). */
  tmp: string;
  /** Run the sides `rounds` times, alternating their order each round; prints and records the row. */
  compare(caseName: string, threads: number, metricName: string, sides: Side[]): Promise<SpeedRow>;
  /** Run a Python script (/usr/bin/python3, Debian's scikit-learn/xgboost) with OMP/BLAS limited to `threads`; returns its last stdout line as JSON. */
  python3(script: string, args: string[], threads: number): any;
}

/** A pluggable section of the bench. */
export interface SpeedSection {
  name: string;
  /** One line shown by `--help`. */
  about: string;
  run(ctx: SpeedContext): Promise<void>;
}

/** Parse "100k", "1M", "2.5M", "3000000". */
export function parseCount(s: string): number {
  const m = /^([0-9.]+)\s*([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`bad size "${s}" (use e.g. 100k, 1M, 3000000)`);
  const v = Number(m[1]) * (m[2].toLowerCase() === "k" ? 1e3 : m[2].toLowerCase() === "m" ? 1e6 : 1);
  return Math.round(v);
}

/** "1M", "100k", "3M", "7,043". */
export function formatCount(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return n.toLocaleString("en-US");
}

/** Seconds of a synchronous or async call. */
export async function timeIt<T>(f: () => T | Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await f();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
}

const fmtS = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

/** Print one row: per side best (min–max) seconds, metric, and custlab's ratio to each peer (best over best). */
export function printRow(row: SpeedRow): void {
  const me = row.sides[0];
  const best = (s: number[]) => Math.min(...s);
  console.log(`  [${row.section}] ${row.case}, ${row.threads} thread${row.threads > 1 ? "s" : ""}:`);
  for (const s of row.sides) {
    const b = best(s.seconds), hi = Math.max(...s.seconds);
    const ratio = s === me ? "" : `   custlab/${s.name} = ${(best(me.seconds) / b).toFixed(2)}×`;
    const metric = Number.isFinite(s.metric) ? `${row.metricName} ${Math.abs(s.metric) >= 100 ? s.metric.toFixed(1) : s.metric.toFixed(4)}` : `${row.metricName} –`;
    console.log(`    ${s.name.padEnd(14)} fit ${fmtS(b).padStart(6)} s (range ${fmtS(b)}–${fmtS(hi)}, ${s.seconds.length} rounds)  ${metric}${ratio}`);
  }
}

/** Build the context; `rows` collects every comparison for --json. */
export function makeContext(argv: string[], rows: SpeedRow[]): SpeedContext {
  const arg = (name: string, dflt?: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-speed-"));
  const ctx: SpeedContext = {
    section: "", argv, arg,
    sizes: (dflt) => (arg("sizes", dflt) as string).split(",").map(parseCount),
    threads: (arg("threads", "1,2") as string).split(",").map(Number),
    rounds: Number(arg("rounds", "3")),
    python: !argv.includes("--no-python") && fs.existsSync("/usr/bin/python3"),
    dataDir: path.resolve(arg("data", path.resolve(__dirname, "../../../shared/datasets"))!),
    tmp,
    async compare(caseName, threads, metricName, sides) {
      const row: SpeedRow = { section: ctx.section, case: caseName, threads, metricName, sides: sides.map((s) => ({ name: s.name, seconds: [], metric: NaN })) };
      for (let r = 0; r < ctx.rounds; r++) {
        // alternate the order: custlab first on even rounds, last on odd ones
        const order = sides.map((_, i) => i);
        if (r % 2 === 1) order.reverse();
        for (const i of order) {
          const t = await sides[i].run();
          row.sides[i].seconds.push(t.seconds);
          row.sides[i].metric = t.metric;
        }
      }
      rows.push(row);
      printRow(row);
      return row;
    },
    python3(script, args, threads) {
      const t = String(threads);
      // OMP_WAIT_POLICY=PASSIVE: OpenMP threads sleep instead of spinning between parallel regions, so a busy
      // shared machine does not turn 2 threads into a spin-wait collapse (measured: sklearn HGB 1M × 20 took
      // 211 s on 2 threads vs 19 s on 1 at load 18 with the default policy)
      const env = { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? "PASSIVE" };
      // no nice here: run the whole bench under `nice -n 5` so both sides get the same priority
      const out = execFileSync("/usr/bin/python3", [script, ...args], { encoding: "utf8", env, maxBuffer: 1 << 26 });
      const lines = out.trim().split("\n");
      return JSON.parse(lines[lines.length - 1]);
    },
  };
  return ctx;
}
