/**
 * Model speed against the peer tools, in one run with alternating rounds
 * (issue #23). Each section compares custlab with scikit-learn / XGBoost on
 * the same data and prints, per row and thread count, every side's best fit
 * seconds (with the range over rounds), its quality figure (AUC, inertia)
 * and custlab's ratio to each peer (best over best).
 *
 *   nice -n 5 npx tsx bench/models-speed.ts [--only gbdt,shap] [--sizes 100k,1M,3M]
 *       [--threads 1,2] [--rounds 3] [--no-python] [--data ../shared/datasets] [--json out.json]
 *   section flags: gbdt --iters 100 --leaves 31 --no-telco --no-synthetic;
 *   memory --memory-sizes 1M --memory-models gbdt,shap,mlp,lstm,gru,transformer --memory-epochs 1
 *
 * The library is imported from dist/ (build with `npx tsc -p tsconfig.json`).
 * The peers run in /usr/bin/python3 (Debian's scikit-learn and xgboost) with
 * OMP_NUM_THREADS set to the row's thread count and OMP_WAIT_POLICY=PASSIVE
 * (unless set: spinning OpenMP threads collapse on a busy 2-core machine);
 * each reports its own fit time.
 *
 * Adding a section: write bench/speed/<name>.ts exporting
 * `section: SpeedSection` (see bench/speed/common.ts) and add one line to
 * SECTIONS below.
 */
import * as fs from "fs";
import * as os from "os";
import { makeContext, type SpeedRow, type SpeedSection } from "./speed/common";

const SECTIONS: Record<string, () => Promise<SpeedSection>> = {
  gbdt: async () => (await import("./speed/gbdt")).section,
  kmeans: async () => (await import("./speed/kmeans")).section,
  memory: async () => (await import("./speed/memory")).section,
  sentiment: async () => (await import("./speed/sentiment")).section,
  shap: async () => (await import("./speed/shap")).section,
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help")) {
    console.log("sections:");
    for (const [name, load] of Object.entries(SECTIONS)) console.log(`  ${name.padEnd(10)} ${(await load()).about}`);
    return;
  }
  const rows: SpeedRow[] = [];
  const ctx = makeContext(argv, rows);
  const only = ctx.arg("only")?.split(",") ?? Object.keys(SECTIONS);
  for (const name of only) if (!SECTIONS[name]) throw new Error(`unknown section "${name}" (known: ${Object.keys(SECTIONS).join(", ")})`);
  console.log(`models-speed: sections ${only.join(", ")}; threads ${ctx.threads.join(",")}; ${ctx.rounds} alternating rounds; node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}${ctx.python ? "" : "; peers skipped (--no-python)"}`);
  try {
    for (const name of only) {
      ctx.section = name;
      const s = await SECTIONS[name]();
      console.log(`\n== ${name}: ${s.about}`);
      await s.run(ctx);
    }
  } finally {
    fs.rmSync(ctx.tmp, { recursive: true, force: true });
  }
  console.log(`\nload at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const out = ctx.arg("json");
  if (out) fs.writeFileSync(out, JSON.stringify({ node: process.version, cpus: os.cpus().length, rows }, null, 2));
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
