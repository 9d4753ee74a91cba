/**
 * Section "memory" of bench/models-speed.ts (issue 23: "the data-sized work
 * must not grow the heap by more than 2× the input matrix"). For each model
 * and size it starts a fresh child process that builds gbdt's synthetic
 * n × 20 float64 matrix (bench/speed/gbdt.ts `synthData`, the bench's input),
 * resets the process's peak RSS (`/proc/self/clear_refs` 5), runs the work
 * with default options and prints the peak RSS growth over the RSS just
 * before the work, divided by the input matrix's bytes (n · 20 · 8), with
 * the wall and CPU seconds. A fresh process per cell keeps one model's
 * allocations out of the next one's figure.
 *
 *   nice -n 10 npx tsx bench/models-speed.ts --only memory [--memory-sizes 1M,5M]
 *       [--memory-models gbdt,shap,mlp,lstm,gru,transformer] [--memory-epochs 1]
 *
 * Models (default options throughout; the input has no missing values for
 * the neural models, which refuse them):
 * - `gbdt`: HistGradientBoostingClassifier fit (early stopping on above 10k rows);
 * - `shap`: TreeSHAP (`treeShap`) of all n rows on that fitted model (the fit is outside the measured span);
 * - `mlp`, `lstm`, `gru`, `transformer`: the zoo's neural classifiers
 *   (`createModel`, so the zoo's defaults) fit then `predictProba` on all rows.
 *   Their epochs are `--memory-epochs` (default 1: memory per epoch is the
 *   same, the defaults' 100-epoch budget only repeats it; pass 0 to keep
 *   the zoo's epoch budget).
 *
 * Growth above 2.00× is marked OVER. Without /proc (not Linux) the section says so and stops.
 */
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { formatCount, parseCount, type SpeedContext, type SpeedSection } from "./common";

const P = 20;
export const MEMORY_MODELS = ["gbdt", "shap", "mlp", "lstm", "gru", "transformer"] as const;

const statusKB = (field: string): number => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
};

/** One cell, in this (child) process: returns the JSON line the parent reads. */
async function child(model: string, n: number, epochs: number): Promise<Record<string, number | string>> {
  const { synthData } = await import("./gbdt");
  const { X: data, y } = synthData(n);
  const neural = model !== "gbdt" && model !== "shap";
  if (neural) for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) data[i] = 0; // the neural models need complete rows
  const X = { data, rows: n, cols: P };
  let prepare = async (): Promise<() => Promise<unknown>> => async () => undefined;
  if (model === "gbdt") {
    const { HistGradientBoostingClassifier } = await import("../../dist/models/gbdt");
    prepare = async () => () => Promise.resolve(new HistGradientBoostingClassifier().fit(X, y));
  } else if (model === "shap") {
    const { HistGradientBoostingClassifier } = await import("../../dist/models/gbdt");
    const { treeShap } = await import("../../dist/explain/treeshap");
    prepare = async () => { const m = new HistGradientBoostingClassifier().fit(X, y); return () => Promise.resolve(treeShap(m, X)); };
  } else {
    const { createModel } = await import("../../dist/models/zoo");
    const { initBackend } = await import("../../dist/backend");
    prepare = async () => {
      await initBackend();
      return async () => {
        const m = createModel(model, epochs > 0 ? { overrides: { epochs } } : {}) as any;
        await m.fit(X, y);
        return m.predictProba(X);
      };
    };
  }
  const work = await prepare();
  (globalThis as any).gc?.();
  const rss0 = statusKB("VmRSS");
  fs.writeFileSync("/proc/self/clear_refs", "5"); // reset VmHWM to the current RSS
  const c0 = process.cpuUsage(), t0 = performance.now();
  const out = await work();
  const wall = (performance.now() - t0) / 1000, c = process.cpuUsage(c0);
  const peak = statusKB("VmHWM");
  if (out === undefined) throw new Error("no result");
  return { model, n, input_bytes: data.byteLength, rss_before: rss0, peak_rss: peak, growth: (peak - rss0) / data.byteLength, wall_s: wall, cpu_s: (c.user + c.system) / 1e6 };
}

async function run(ctx: SpeedContext): Promise<void> {
  if (!fs.existsSync("/proc/self/clear_refs")) { console.log("  [memory] skipped: needs Linux /proc (peak RSS reset)"); return; }
  const models = (ctx.arg("memory-models") ?? MEMORY_MODELS.join(",")).split(",");
  for (const m of models) if (!(MEMORY_MODELS as readonly string[]).includes(m)) throw new Error(`unknown --memory-models entry "${m}" (known: ${MEMORY_MODELS.join(", ")})`);
  const sizes = (ctx.arg("memory-sizes") ?? "1M").split(",").map(parseCount);
  const epochs = Number(ctx.arg("memory-epochs", "1"));
  for (const n of sizes) {
    for (const m of models) {
      let r: any;
      try {
        const out = execFileSync(process.execPath, [...process.execArgv, "--expose-gc", __filename, "--memory-child", m, String(n), String(epochs)], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "pipe"] });
        const lines = out.trim().split("\n");
        r = JSON.parse(lines[lines.length - 1]);
      } catch (e: any) {
        const msg = String(e.stderr ?? e.message ?? e).trim().split("\n").slice(-3).join(" | ");
        console.log(`  [memory] ${m.padEnd(11)} ${formatCount(n)} × ${P}: FAILED (${msg})`);
        continue;
      }
      const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
      console.log(`  [memory] ${m.padEnd(11)} ${formatCount(n)} × ${P}: peak RSS growth ${mb(r.peak_rss - r.rss_before).padStart(8)} / input ${mb(r.input_bytes)} = ${r.growth.toFixed(2)}×${r.growth > 2 ? "  OVER 2×" : ""}  (wall ${r.wall_s.toFixed(1)} s, CPU ${r.cpu_s.toFixed(1)} s)`);
    }
  }
}

/** The memory section. */
export const section: SpeedSection = {
  name: "memory",
  about: "peak RSS growth / input matrix bytes of gbdt, TreeSHAP and the neural models at --memory-sizes (default 1M) × 20, one fresh process per cell",
  run,
};

if (require.main === module && process.argv[2] === "--memory-child") {
  child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]))
    .then((r) => console.log(JSON.stringify(r)))
    .catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
}
