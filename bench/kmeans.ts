/**
 * k-means speed and quality against scikit-learn.
 * Run: npx tsx bench/kmeans.ts [--rows 1000000] [--cols 10] [--k 8] [--no-python]
 *
 * Data: the anchor script's recipe (../shared/anchors/python_baselines.py):
 * standard normal noise plus one integer offset 0..7 per row (same offset on
 * every column), generated with custlab's seeded RNG and written to a binary
 * file so scikit-learn clusters the very same matrix. Printed:
 *  - custlab KMeans (nInit 1, maxIter 100, Hamerly) with its own k-means++ init vs
 *    scikit-learn KMeans(n_init=1, random_state=0, algorithm="lloyd", max_iter=100);
 *  - both started from the same k-means++ centres (identical Lloyd trajectory), so
 *    iterations and inertia must agree and the time ratio is per equal work;
 *  - custlab's plain Lloyd for reference.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { KMeans } from "../src/segment/kmeans";
import { createRng } from "../src/util/random";
import { Matrix } from "../src/util/matrix";

const argv = process.argv.slice(2);
const arg = (name: string, d: number) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? Number(argv[i + 1]) : d; };
const n = arg("rows", 1_000_000), d = arg("cols", 10), k = arg("k", 8);
const python = !argv.includes("--no-python");

const rng = createRng(0);
const data = new Float64Array(n * d);
for (let i = 0; i < n; i++) { const off = rng.int(8); for (let t = 0; t < d; t++) data[i * d + t] = rng.normal() + off; }
const X: Matrix = { data, rows: n, cols: d };
const file = path.join(os.tmpdir(), `custlab-kmeans-${n}x${d}.f64`);
const initFile = path.join(os.tmpdir(), `custlab-kmeans-${n}x${d}-init.f64`);
fs.writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));

function time<T>(f: () => T): [T, number] { const t = process.hrtime.bigint(); const r = f(); return [r, Number(process.hrtime.bigint() - t) / 1e9]; }

console.log(`k-means bench: ${n.toLocaleString()} × ${d}, k = ${k}, node ${process.version}, ${os.cpus().length} CPUs (shared machine: timings are noisy)`);
const [free, tFree] = time(() => new KMeans({ k, nInit: 1, maxIter: 100, seed: 0 }).fit(X));
console.log(`custlab  free run (Hamerly, ${free.threads_} threads) : ${tFree.toFixed(2)} s, ${free.nIter_} iterations, inertia ${free.inertia_.toFixed(1)}`);

let py: any = null;
if (python) {
  try {
    py = JSON.parse(execFileSync("/usr/bin/python3", [path.join(__dirname, "kmeans.py"), file, String(n), String(d), String(k), initFile], { encoding: "utf8", maxBuffer: 1 << 24 }));
  } catch (e) { console.log(`scikit-learn side failed: ${(e as Error).message.split("\n")[0]}`); }
}
if (py) {
  console.log(`sklearn  free run (Lloyd)   : ${py.free.s.toFixed(2)} s, ${py.free.iters} iterations, inertia ${py.free.inertia.toFixed(1)}`);
  const ratio = tFree / py.free.s;
  const dI = (free.inertia_ - py.free.inertia) / py.free.inertia;
  console.log(`  ratio custlab/sklearn = ${ratio.toFixed(2)}× (goal ≤ 1.5×), inertia diff ${(100 * dI).toFixed(3)}% (goal within ±0.5%)`);
  const buf = fs.readFileSync(initFile);
  const C = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const init: Matrix = { data: C, rows: k, cols: d };
  const [same, tSame] = time(() => new KMeans({ k, nInit: 1, maxIter: 100, init }).fit(X));
  console.log(`custlab  same init (Hamerly): ${tSame.toFixed(2)} s, ${same.nIter_} iterations, inertia ${same.inertia_.toFixed(1)}`);
  console.log(`sklearn  same init (Lloyd)  : ${py.same_init.s.toFixed(2)} s, ${py.same_init.iters} iterations, inertia ${py.same_init.inertia.toFixed(1)}`);
  console.log(`  ratio = ${(tSame / py.same_init.s).toFixed(2)}×, per iteration ${((tSame / same.nIter_) / (py.same_init.s / py.same_init.iters)).toFixed(2)}×, inertia diff ${(100 * (same.inertia_ - py.same_init.inertia) / py.same_init.inertia).toFixed(4)}%`);
  const [lloyd, tLloyd] = time(() => new KMeans({ k, nInit: 1, maxIter: 100, init, algorithm: "lloyd" }).fit(X));
  console.log(`custlab  same init (Lloyd)  : ${tLloyd.toFixed(2)} s, ${lloyd.nIter_} iterations, inertia ${lloyd.inertia_.toFixed(1)}`);
  console.log(`sklearn  anchor recipe (numpy RNG data): ${py.anchor_recipe.s.toFixed(2)} s, ${py.anchor_recipe.iters} iterations, inertia ${py.anchor_recipe.inertia.toFixed(1)}`);
}
fs.rmSync(file, { force: true }); fs.rmSync(initFile, { force: true });
