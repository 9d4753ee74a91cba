/**
 * A k-means worker thread (started by src/segment/parallel.ts from the compiled kmeans-worker.js):
 * it serves one fit per message (the fit's shared buffers and its row block), then waits for the
 * next; kept between fits, its compiled kernels stay warm. The kernels are the main thread's
 * (src/segment/kmeans-kernel.ts).
 * @module
 */
import { parentPort } from "worker_threads";
import { hamerlyRange, ppApplyRange, ppCandRange, ppInitRange, type WasmDists, type WasmHamerly, type WasmNearest, type WasmPotentials } from "./kmeans-kernel";

type Region = SharedArrayBuffer | [SharedArrayBuffer, number, number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FitMessage = Record<string, any>;

function view<T>(C: new (b: SharedArrayBuffer, off?: number, len?: number) => T, b: Region): T { return Array.isArray(b) ? new C(b[0], b[1], b[2]) : new C(b); }
function serve(w: FitMessage): void {
  const ctrl = new Int32Array(w.ctrl);
  const wx = w.wasm ? new WebAssembly.Instance(w.wasm.module, { env: { memory: w.wasm.memory } }).exports : null;
  const wf = wx ? (wx.dists as WasmDists) : null, wp = wx ? (wx.potentials as WasmPotentials) : null, wn = wx ? (wx.nearest as WasmNearest) : null;
  const wh = wx ? (wx.hamerly as WasmHamerly) : null;
  const wo = w.wo;
  const data = view(Float64Array, w.data), labels = view(Int32Array, w.labels), upper = view(Float64Array, w.upper), lower = view(Float64Array, w.lower);
  const xn = view(Float64Array, w.xn), centers = view(Float64Array, w.centers), ct = view(Float64Array, w.ct), cn = view(Float64Array, w.cn);
  const s = view(Float64Array, w.s), shift = view(Float64Array, w.shift), par = view(Float64Array, w.par);
  // this worker's block of the per-thread cluster sums
  const block = (b: Region, len: number): Float64Array => (Array.isArray(b) ? new Float64Array(b[0], b[1] + w.slot * len * 8, len) : new Float64Array(b, w.slot * len * 8, len));
  const dsum = block(w.dsum, w.k * w.d), dcnt = block(w.dcnt, w.k);
  const changed = new Int32Array(w.changed);
  const dist = w.wasm ? new Float64Array(w.wasm.memory.buffer, wo[3], wo[6]) : new Float64Array(w.k);
  const closest = view(Float64Array, w.closest), closestIdx = view(Int32Array, w.closestIdx);
  const cc = view(Float64Array, w.cc), pp = new Float64Array(w.pp), ppCen = new Float64Array(w.ppCen);
  const pot = Array.isArray(w.pot) ? new Float64Array(w.pot[0], w.pot[1] + w.slot * w.maxTrials * 8, w.maxTrials) : new Float64Array(w.pot, w.slot * w.maxTrials * 8, w.maxTrials);
  const ppCen2 = view(Float64Array, w.ppCen2);
  let gen = 0;
  Atomics.store(ctrl, 2 + w.slot, -1); Atomics.notify(ctrl, 2 + w.slot);
  for (;;) {
    Atomics.wait(ctrl, 0, gen);
    gen = Atomics.load(ctrl, 0);
    const task = Atomics.load(ctrl, 1);
    if (task < 0) break;
    if (task <= 1) changed[w.slot] = hamerlyRange(data, w.d, w.k, centers, ct, cn, xn, labels, upper, lower, s, shift, par, w.lo, w.hi, task, dsum, dcnt, dist, wf, wo, wh);
    else if (task === 2) ppInitRange(data, w.d, ppCen, closest, closestIdx, w.lo, w.hi);
    else if (task === 3) ppCandRange(data, w.d, xn, cc, ppCen2, pp[3], pp[0], closest, pot, w.lo, w.hi, wp, wo, w.slot);
    else if (task === 4) ppApplyRange(data, w.d, xn, cc, ppCen2, pp[3], pp[2], closest, closestIdx, pp[1], w.lo, w.hi, wn, wo);
    Atomics.store(ctrl, 2 + w.slot, gen);
    Atomics.notify(ctrl, 2 + w.slot);
  }
}
parentPort!.on("message", serve);
