/**
 * Training throughput per tfjs backend: the same MLP and LSTM, the same data
 * and seed, on every backend that starts here (tensorflow-gpu, webgpu,
 * tensorflow, wasm, cpu). Prints samples/s, the ratio to wasm, and the final
 * training loss and held-out AUC (a GPU result must be as good as the CPU one).
 *
 *   npx tsx bench/backends.ts                         # MLP 20k rows, LSTM 5k sequences, batch 512
 *   npx tsx bench/backends.ts --rows 100000 --seqs 20000 --batch 512 --epochs 2
 *   npx tsx bench/backends.ts --backends wasm,cpu     # choose backends (default: all that start)
 *   npx tsx bench/backends.ts --sizes                 # sweep batch 256..8192 (at --rows) and rows 100k..5M (batch 4096)
 *   npx tsx bench/backends.ts --preset gpu            # issue 9 sizes: MLP 1M rows batch 4096, LSTM 200k sequences
 *   npx tsx bench/backends.ts --json out.json
 *
 * MLP: 30 → 64 → 32 → 1 (ReLU, sigmoid output). LSTM: 12 steps × 8 features,
 * 32 units. Adam 1e-3, no early stopping, fixed epochs. Timing covers fit()
 * only (backend start-up excluded), including the per-batch host → device copies.
 */
import * as fs from "fs";
import { initBackend, getTf, BackendName, BACKEND_ORDER } from "../src/backend";
import { MLPClassifier, RecurrentClassifier, Sequences } from "../src/models";
import { rocAucScore } from "../src/eval";
import { createRng } from "../src/util/random";
import { positiveProba } from "../src/util/estimator";

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
const preset = arg("preset");
const ROWS = Number(arg("rows", preset === "gpu" ? "1000000" : "20000"));
const SEQS = Number(arg("seqs", preset === "gpu" ? "200000" : "5000"));
const BATCH = Number(arg("batch", preset === "gpu" ? "4096" : "512"));
const EPOCHS = Number(arg("epochs", preset === "gpu" ? "2" : "2"));
const TEST = 10_000;
const SEED = Number(arg("seed", "42"));

/** Tabular data: 30 features, label from a noisy non-linear score (~30% positives). */
function mlpData(n: number, seed: number): { X: Sequences; y: Float64Array } {
  const rng = createRng(seed), p = 30, w = Float64Array.from({ length: p }, (_, j) => (j < 10 ? 1 / (j + 1) : 0.05));
  const data = new Float32Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) { const v = rng.normal(); data[i * p + j] = v; s += w[j] * v; }
    s += 0.8 * data[i * p] * data[i * p + 1] - 0.8;
    y[i] = rng.next() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0;
  }
  return { X: { data, shape: [n, 1, p] }, y };
}

/** Sequences 12 × 8: label = upward trend in feature 0 (mean-free), plus noise features. */
function seqData(n: number, seed: number): { X: Sequences; y: Float64Array } {
  const rng = createRng(seed), T = 12, f = 8;
  const data = new Float32Array(n * T * f), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.next() < 0.3 ? 1 : 0;
    const slope = (y[i] ? 1 : -1) * 0.15 * rng.next();
    for (let t = 0; t < T; t++) for (let j = 0; j < f; j++) data[(i * T + t) * f + j] = j === 0 ? slope * (t - 5.5) + 0.4 * rng.normal() : rng.normal();
  }
  return { X: { data, shape: [n, T, f] }, y };
}

interface Run { model: string; backend: string; rows: number; batch: number; epochs: number; seconds: number; samplesPerSec: number; finalLoss: number; auc: number }

async function trainOnce(model: "mlp" | "lstm", backend: string, rows: number, batch: number, epochs: number): Promise<Run> {
  const tr = model === "mlp" ? mlpData(rows, SEED) : seqData(rows, SEED);
  const te = model === "mlp" ? mlpData(TEST, SEED + 1) : seqData(TEST, SEED + 1);
  const common = { batchSize: batch, epochs, earlyStopping: false, learningRate: 1e-3, seed: SEED, backend };
  const m = model === "mlp" ? new MLPClassifier({ hiddenLayers: [64, 32], ...common }) : new RecurrentClassifier({ cell: "lstm", units: 32, ...common });
  await initBackend({ backend });
  // warm-up (kernel compilation / shader creation) on two batches, not timed
  const warm = model === "mlp" ? mlpData(2 * batch, SEED + 2) : seqData(2 * batch, SEED + 2);
  await (model === "mlp" ? new MLPClassifier({ hiddenLayers: [64, 32], ...common, epochs: 1 }) : new RecurrentClassifier({ cell: "lstm", units: 32, ...common, epochs: 1 })).fit(warm.X, warm.y);
  const t0 = process.hrtime.bigint();
  await m.fit(tr.X, tr.y);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const auc = rocAucScore(te.y, positiveProba(m, te.X));
  return { model, backend, rows, batch, epochs, seconds, samplesPerSec: (rows * epochs) / seconds, finalLoss: m.history_!.loss[m.history_!.loss.length - 1], auc };
}

async function main() {
  const want = arg("backends")?.split(",") ?? [...BACKEND_ORDER];
  const available: string[] = [];
  for (const b of want) {
    try { const info = await initBackend({ backend: b }); available.push(info.name); console.log(`${b}: starts (${info.attempts[info.attempts.length - 1].reason})`); }
    catch (e) { console.log(`${b}: skipped — ${(e as Error).message}`); }
  }
  const uniq = [...new Set(available)];
  console.log(`tfjs ${getTf().version.tfjs}; backends measured: ${uniq.join(", ")}; seed ${SEED}\n`);
  const runs: Run[] = [];
  const print = (r: Run, wasm?: Run) => console.log(
    `${r.model.padEnd(4)} ${r.backend.padEnd(14)} rows ${String(r.rows).padStart(8)} batch ${String(r.batch).padStart(5)} × ${r.epochs} ep: ${r.seconds.toFixed(2).padStart(8)} s  ${Math.round(r.samplesPerSec).toLocaleString("en-US").padStart(10)} samples/s` +
    `${wasm ? `  ×${(r.samplesPerSec / wasm.samplesPerSec).toFixed(2)} vs wasm` : ""}  final loss ${r.finalLoss.toFixed(4)}  AUC ${r.auc.toFixed(4)}`);
  const compare = async (model: "mlp" | "lstm", rows: number, batch: number, epochs: number) => {
    const here: Run[] = [];
    for (const b of uniq) {
      if (b === "cpu" && rows * epochs > (model === "mlp" ? 400_000 : 40_000) && !argv.includes("--force-cpu")) { console.log(`${model.padEnd(4)} cpu            skipped at ${rows} rows (pure JS would take minutes; --force-cpu to run it)`); continue; }
      here.push(await trainOnce(model, b, rows, batch, epochs));
    }
    const wasm = here.find((r) => r.backend === "wasm");
    for (const r of here) print(r, wasm);
    runs.push(...here);
  };
  if (argv.includes("--sizes")) {
    console.log("— batch sweep (MLP) —");
    for (const batch of [256, 1024, 4096, 8192]) await compare("mlp", ROWS, batch, 1);
    console.log("— rows sweep (MLP, batch 4096) —");
    for (const rows of [100_000, 1_000_000, 5_000_000]) await compare("mlp", rows, 4096, 1);
    console.log("— rows sweep (LSTM, batch 4096) —");
    for (const rows of [20_000, 200_000]) await compare("lstm", rows, 4096, 1);
  } else {
    await compare("mlp", ROWS, BATCH, EPOCHS);
    await compare("lstm", SEQS, BATCH, EPOCHS);
  }
  const out = arg("json");
  if (out) fs.writeFileSync(out, JSON.stringify(runs, null, 2));
}

main().catch((e) => { console.error(e); process.exit(1); });
void (null as unknown as BackendName);
