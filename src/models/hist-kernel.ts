/**
 * The histogram kernels of the histogram gradient-boosted trees and the
 * memory they work in. Gradient/hessian pairs are float32 (scikit-learn's
 * G_H_DTYPE), stored interleaved [g, h] per row; histograms are float64
 * [Σg, Σh, count] per bin, feature by feature; bins are uint8, feature-major.
 * The kernels run as WebAssembly SIMD (./hist.wat) over one shared memory
 * when the runtime has WebAssembly SIMD and shared memory, else as the
 * JavaScript below with the same arithmetic (each row's float32 pair promoted
 * to float64 and added in the node's row order), so both give the same sums.
 * @internal
 */
import * as os from "os";
import type { Worker } from "worker_threads";
import { CustlabError } from "../util/errors";
import { WarmWorkers } from "../util/workers";
import { HIST_WASM_BASE64 } from "./hist-wasm";

/** The exported functions of ./hist.wat. @internal */
export interface HistWasmExports {
  histRows(hist: number, bins: number, n: number, rows: number, m: number, gh: number, featOff: number, j0: number, j1: number): void;
  histSeq(hist: number, bins: number, n: number, r0: number, m: number, gh: number, featOff: number, j0: number, j1: number): void;
  gather(src: number, rows: number, t0: number, t1: number, dst: number): void;
  partition(col: number, rows: number, m: number, bin: number, missBin: number, missLeft: number, scratch: number): number;
}

let wasmModule: WebAssembly.Module | null | undefined;
/** The compiled kernel module, or null where WebAssembly SIMD or shared memory is missing (or CUSTLAB_GBDT_WASM=0). @internal */
export function histWasmModule(): WebAssembly.Module | null {
  if (process.env.CUSTLAB_GBDT_WASM === "0") return null;
  if (wasmModule === undefined) {
    wasmModule = null;
    try {
      const mod = new WebAssembly.Module(Buffer.from(HIST_WASM_BASE64, "base64"));
      new WebAssembly.Instance(mod, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) } });
      wasmModule = mod;
    } catch { /* JavaScript kernels */ }
  }
  return wasmModule;
}

/** Instantiate the kernels on a memory (main thread or worker). @internal */
export function histWasmInstance(mod: WebAssembly.Module, memory: WebAssembly.Memory): HistWasmExports {
  return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as HistWasmExports;
}

/**
 * Add the gradient pairs of a node's m rows to a zeroed histogram for
 * features j0..j1-1: row `rows[t]` with pair `og[2t], og[2t+1]` (gathered in
 * the node's row order). `featOff[j]` = where feature j's bins start in `hist`.
 * @internal
 */
export function histRowsJS(hist: Float64Array, bins: Uint8Array, n: number, rows: Int32Array, m: number, og: Float32Array, featOff: Int32Array, j0: number, j1: number): void {
  for (let j = j0; j < j1; j++) {
    const off = featOff[j], cb = j * n;
    for (let t = 0; t < m; t++) {
      const b = off + bins[cb + rows[t]] * 3;
      hist[b] += og[2 * t]; hist[b + 1] += og[2 * t + 1]; hist[b + 2] += 1;
    }
  }
}

/** {@link histRowsJS} for the consecutive rows r0 … r0 + m − 1, pairs gh[2(r0 + t)…] (the root of a fit on every row). @internal */
export function histSeqJS(hist: Float64Array, bins: Uint8Array, n: number, r0: number, m: number, gh: Float32Array, featOff: Int32Array, j0: number, j1: number): void {
  for (let j = j0; j < j1; j++) {
    const off = featOff[j], cb = j * n + r0;
    for (let t = 0; t < m; t++) {
      const b = off + bins[cb + t] * 3, q = 2 * (r0 + t);
      hist[b] += gh[q]; hist[b + 1] += gh[q + 1]; hist[b + 2] += 1;
    }
  }
}

/** og[2t…2t+1] = gh[2·rows[t]…] for t in t0..t1-1. @internal */
export function gatherJS(gh: Float32Array, rows: Int32Array, t0: number, t1: number, og: Float32Array): void {
  for (let t = t0; t < t1; t++) { const i = 2 * rows[t]; og[2 * t] = gh[i]; og[2 * t + 1] = gh[i + 1]; }
}

/**
 * Reorder idx[start..end) by the local bins at `bins[cb + row]` (missing values in bin `missingBin`, the
 * feature's last) so the rows going left (bin ≤ `bin`, or missing when `missLeft`) come first, each side
 * keeping its order (a stable partition, as scikit-learn's splitter: every node's rows stay in increasing
 * row order, so the histogram sums add in the same order and the bins are read front to back); `scratch`
 * holds at least end − start entries. Returns where the right rows start. @internal
 */
export function partitionJS(bins: Uint8Array, cb: number, missingBin: number, missLeft: boolean, idx: Int32Array, start: number, end: number, bin: number, scratch: Int32Array): number {
  const ml = missLeft ? 1 : 0;
  let a = start, r = 0;
  for (let t = start; t < end; t++) {
    const i = idx[t], b = bins[cb + i];
    // branch-free: both stores happen, only one cursor moves
    const left = (b <= bin ? 1 : 0) | (b === missingBin ? ml : 0);
    idx[a] = i; scratch[r] = i;
    a += left; r += 1 - left;
  }
  for (let q = 0; q < r; q++) idx[a + q] = scratch[q];
  return a;
}

/**
 * raw[rows[t]] += leafTab[3l + 2] for the positions t0..t1-1 of a grown partition whose leaf l holds
 * positions leafTab[3l] ≤ t < leafTab[3l + 1] (each row is in one leaf: any split over threads gives
 * the same scores). @internal
 */
export function addLeafJS(raw: Float64Array, rows: Int32Array, leafTab: Float64Array, nLeaves: number, t0: number, t1: number): void {
  for (let l = 0; l < nLeaves; l++) {
    const s = Math.max(leafTab[3 * l], t0), e = Math.min(leafTab[3 * l + 1], t1), v = leafTab[3 * l + 2];
    for (let t = s; t < e; t++) raw[rows[t]] += v;
  }
}

/**
 * The float32 binary log-loss gradient pairs of rows[t0..t1) from their raw scores (the classifier's
 * arithmetic: p = sigmoid(raw[i]), g = w(p − y), h = w·p(1 − p); `w` null = unit weights). @internal
 */
export function binaryGradJS(raw: Float64Array, codes: Int32Array, w: Float64Array | null, gh: Float32Array, rows: Int32Array, t0: number, t1: number): void {
  for (let t = t0; t < t1; t++) {
    const i = rows[t], z = raw[i];
    const ez = Math.exp(z > 0 ? -z : z), pr = z >= 0 ? 1 / (1 + ez) : ez / (1 + ez);
    if (w) { const wi = w[i]; gh[2 * i] = wi * (pr - codes[i]); gh[2 * i + 1] = wi * pr * (1 - pr); }
    else { gh[2 * i] = pr - codes[i]; gh[2 * i + 1] = pr * (1 - pr); }
  }
}

/**
 * Default thread count of the gbdt fits: the available CPUs, at most 8.
 * @example
 * new HistGradientBoostingClassifier({ nThreads: defaultGbdtThreads() });
 */
export function defaultGbdtThreads(): number {
  const n = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, n));
}

/**
 * Below these sizes work stays on the main thread: `minCells` row × feature cells for a
 * node's histogram (and for a fit to start workers at all), `minRows` rows for the per-row
 * passes (partition, gather, score and gradient updates). Waking a worker costs
 * microseconds on a quiet machine and more on a busy one; at 1M × 20 on 2 threads these
 * sizes gave about 7% less main-thread CPU than 2,000,000 / 100,000 even at load 11 (tests
 * lower them to send every node through the workers). @internal
 */
export const gbdtParallel = { minCells: 250_000, minRows: 30_000 };

/**
 * The task protocol between {@link HistArena} and ./gbdt-worker (task numbers, their arguments in the
 * control array): bump `version` whenever a task's meaning or arguments change. Each fit's workers first
 * answer a handshake (task 0, a no-op for any worker build) with the version compiled into them; a
 * worker from another build (a stale dist/models/gbdt-worker.js next to edited sources) would otherwise
 * read the arguments of a task it does not know and give a wrong model or a hang. Tests may change it
 * to check the refusal. @internal
 */
export const gbdtWorkerProtocol = { version: 2 };

/** gbdt workers kept between fits (unref'd: they never keep the process alive). */
const gbdtWorkers = new WarmWorkers(__dirname, "models", "gbdt-worker.js");

/**
 * End the gbdt worker threads kept warm between fits (started by the first
 * multi-threaded fit; they never keep the process alive).
 * @example
 * new HistGradientBoostingClassifier({ nThreads: 2 }).fit(X, y);
 * closeGbdtWorkers();
 */
export function closeGbdtWorkers(): void {
  gbdtWorkers.close();
}

/**
 * One fit's arena: the binned columns, the gradient pairs of every row, the
 * row-index array the trees partition, the gathered pairs of the node being
 * histogrammed and the histogram slots, all in one shared WebAssembly memory
 * (or one plain buffer for the JavaScript kernels). Views never move: shared
 * memory is never detached when it grows.
 * @internal
 */
export class HistArena {
  readonly memory: WebAssembly.Memory | null;
  readonly wasm: HistWasmExports | null;
  readonly module: WebAssembly.Module | null;
  /** Feature-major local bins, n × p. */
  readonly bins: Uint8Array;
  /** Gradient pairs by row: gh[2i] = g_i, gh[2i + 1] = h_i. */
  readonly gh: Float32Array;
  /** Row indices (capacity maxRows), partitioned in place by the grower. */
  readonly rows: Int32Array;
  /** Gathered pairs of the node being histogrammed. */
  readonly og: Float32Array;
  /** Partition scratch (the right rows on their way). */
  readonly scratch: Int32Array;
  readonly featOff: Int32Array;
  /** Float64 entries per histogram. */
  readonly HS: number;
  private readonly buffer: ArrayBuffer | SharedArrayBuffer;
  private top: number;
  private readonly slots: Float64Array[] = [];
  /** Threads that build histograms (1 = the main thread alone). */
  threads = 1;
  private workers: Worker[] = [];
  private ctrl: Int32Array | null = null;
  private gen = 0;
  /** Binary log-loss state ({@link HistArena.shareBinary}): raw scores, labels, weights (null = all 1), leaf table. */
  raw: Float64Array | null = null;
  private codes: Int32Array | null = null;
  private weights: Float64Array | null = null;
  private leafTab: Float64Array | null = null;
  /** Some shared state did not fit in the shared memory (then the binary update stays on this thread). */
  private unshared = false;

  /**
   * `binary`: room for the binary log-loss state ({@link HistArena.shareBinary}), allocated here, before
   * any worker sees the memory (a worker's view of a shared memory grown after it received it may be short).
   */
  constructor(readonly n: number, readonly p: number, maxRows: number, featOff: Int32Array, slots: number, threads = 1, binary?: { weighted: boolean; maxLeaves: number }) {
    this.HS = featOff[p];
    const align = (v: number) => (v + 15) & ~15;
    const sizes = [4 * (p + 1), n * p, 8 * n, 4 * maxRows, 8 * maxRows, 4 * maxRows];
    const fixed = sizes.reduce((s, v) => s + align(v), 0);
    const total = 16 + fixed + slots * align(8 * this.HS);
    this.module = histWasmModule();
    let memory: WebAssembly.Memory | null = null;
    if (this.module && total < 2 ** 31) {
      try { memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536), maximum: 65536, shared: true }); } catch { memory = null; }
    }
    this.memory = memory;
    this.wasm = memory ? histWasmInstance(this.module!, memory) : null;
    if (!memory) this.module = null;
    this.buffer = memory ? memory.buffer : new ArrayBuffer(total);
    let at = 16;
    const take = (bytes: number) => { const a = at; at += align(bytes); return a; };
    this.featOff = new Int32Array(this.buffer, take(sizes[0]), p + 1);
    this.featOff.set(featOff);
    this.bins = new Uint8Array(this.buffer, take(sizes[1]), n * p);
    this.gh = new Float32Array(this.buffer, take(sizes[2]), 2 * n);
    this.rows = new Int32Array(this.buffer, take(sizes[3]), maxRows);
    this.og = new Float32Array(this.buffer, take(sizes[4]), 2 * maxRows);
    this.scratch = new Int32Array(this.buffer, take(sizes[5]), maxRows);
    this.top = at;
    for (let s = 0; s < slots; s++) this.slots.push(new Float64Array(this.buffer, take(8 * this.HS), this.HS));
    this.top = at;
    if (binary) this.allocBinary(binary.weighted, binary.maxLeaves);
    const T = Math.min(threads, p);
    if (T > 1 && this.memory && gbdtWorkers.path() !== null && n * p >= gbdtParallel.minCells) {
      this.ctrl = new Int32Array(new SharedArrayBuffer(4 * (16 + 2 * T)));
      for (let s = 1; s < T; s++) {
        const w = gbdtWorkers.take();
        this.ctrl[16 + s] = 0;
        w.postMessage({ module: this.module, memory: this.memory, ctrl: this.ctrl.buffer, slot: s, threads: T, gen: 0 });
        this.workers.push(w);
      }
      this.threads = T;
      // handshake: every worker reports its protocol version in its partition-count slot (p = 0: any older
      // worker build treats task 0 as an empty histogram block and reports nothing)
      const c = this.ctrl;
      c[1] = 0; c[9] = 0;
      let got = gbdtWorkerProtocol.version;
      try {
        this.run(c, () => undefined);
        for (let s = 1; s < T && got === gbdtWorkerProtocol.version; s++) got = c[16 + T + s];
      } catch (e) { this.close(); throw e; }
      if (got !== gbdtWorkerProtocol.version) {
        this.close();
        throw new CustlabError("E_WORKER", `gbdt: the worker module ${gbdtWorkers.path()} is from another build (task protocol ${got || "unknown"}, expected ${gbdtWorkerProtocol.version}); rebuild it with npx tsc -p tsconfig.json, or fit with nThreads: 1`);
      }
    }
  }

  /** Hand the workers back to the idle pool (call once the fit is done). */
  close(): void {
    if (!this.ctrl) return;
    const c = this.ctrl;
    Atomics.store(c, 1, -1);
    Atomics.store(c, 0, ++this.gen);
    Atomics.notify(c, 0);
    this.workers.forEach((w, q) => {
      const slot = q + 1;
      let v: number;
      while ((v = Atomics.load(c, 16 + slot)) !== -1) Atomics.wait(c, 16 + slot, v, 50);
      gbdtWorkers.give(w);
    });
    this.workers = [];
    this.ctrl = null;
    this.threads = 1;
  }

  /** `bytes` of zeroed memory the worker threads see (the shared memory grown for it), or a plain buffer without wasm. */
  private share(bytes: number): { buffer: ArrayBufferLike; at: number } {
    const at = (this.top + 15) & ~15;
    if (!this.memory || at + bytes >= 2 ** 31) { this.unshared = true; return { buffer: new ArrayBuffer(bytes), at: 0 }; }
    const need = at + bytes - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / 65536));
    this.top = at + bytes;
    return { buffer: this.memory.buffer, at };
  }

  private allocBinary(weighted: boolean, maxLeaves: number): void {
    const n = this.n;
    let r = this.share(8 * n); this.raw = new Float64Array(r.buffer, r.at, n);
    r = this.share(4 * n); this.codes = new Int32Array(r.buffer, r.at, n);
    if (weighted) { r = this.share(8 * n); this.weights = new Float64Array(r.buffer, r.at, n); }
    r = this.share(24 * (maxLeaves + 1)); this.leafTab = new Float64Array(r.buffer, r.at, 3 * (maxLeaves + 1));
  }

  /**
   * Fill the binary log-loss state (the arena must be built with `binary`) so {@link HistArena.binaryUpdate}
   * can run over the threads: returns the raw scores (n, set to `baseline`) the caller then reads and
   * writes; the labels `codes` (0/1) and the weights (when weighted) are copied.
   */
  shareBinary(codes: Int32Array, w: Float64Array | null, baseline: number): Float64Array {
    if (!this.raw || !this.codes || (w !== null) !== (this.weights !== null)) throw new CustlabError("E_SHAPE", "HistArena: built without room for this binary state");
    this.raw.fill(baseline);
    this.codes.set(codes.subarray(0, this.n));
    if (w) this.weights!.set(w.subarray(0, this.n));
    return this.raw;
  }

  /**
   * After a tree whose leaf l holds rows[leafStart[l]..leafEnd[l]) with value `values[l]` (none when
   * `values` is null): add the values to the raw scores ({@link addLeafJS}), write `trainRows` back into
   * rows[0..m), then the gradient pairs of those rows for the next tree ({@link binaryGradJS}); each
   * pass split in equal blocks of positions over the threads from {@link gbdtParallel.minRows} rows.
   */
  binaryUpdate(trainRows: Int32Array, nLeaves: number, leafStart: Int32Array | null, leafEnd: Int32Array | null, values: Float64Array | null): void {
    const tab = this.leafTab!, m = trainRows.length, raw = this.raw!, rows = this.rows;
    const par = this.ctrl !== null && !this.unshared && m >= gbdtParallel.minRows, c = this.ctrl!, T = this.threads;
    if (values) {
      for (let l = 0; l < nLeaves; l++) { tab[3 * l] = leafStart![l]; tab[3 * l + 1] = leafEnd![l]; tab[3 * l + 2] = values[l]; }
      if (par) {
        c[1] = 4; c[2] = raw.byteOffset; c[6] = rows.byteOffset; c[7] = tab.byteOffset; c[8] = nLeaves; c[9] = m; c[10] = this.n;
        this.run(c, () => addLeafJS(raw, rows, tab, nLeaves, 0, Math.floor(m / T)));
      } else addLeafJS(raw, rows, tab, nLeaves, 0, m);
    }
    rows.set(trainRows);
    if (par) {
      c[1] = 5; c[2] = raw.byteOffset; c[3] = this.codes!.byteOffset; c[4] = this.weights ? this.weights.byteOffset : -1; c[5] = this.gh.byteOffset;
      c[6] = rows.byteOffset; c[9] = m; c[10] = this.n;
      this.run(c, () => binaryGradJS(raw, this.codes!, this.weights, this.gh, rows, 0, Math.floor(m / T)));
    } else binaryGradJS(raw, this.codes!, this.weights, this.gh, rows, 0, m);
  }

  /** Wake the workers on the task in `c`, do block 0 here, wait for every block. */
  private run(c: Int32Array, block0: () => void): void {
    const gen = ++this.gen;
    Atomics.store(c, 0, gen);
    Atomics.notify(c, 0);
    block0();
    this.join(c, gen);
  }

  /** Wait until every worker finished task `gen`; a worker's failure becomes an error here (never a hang or a silent wrong sum). */
  private join(c: Int32Array, gen: number): void {
    for (let s = 1; s < this.threads; s++) {
      let v: number;
      while ((v = Atomics.load(c, 16 + s)) !== gen) Atomics.wait(c, 16 + s, v);
    }
    if (Atomics.load(c, 15) !== 0) throw new CustlabError("E_WORKER", `gbdt: a histogram worker thread failed (task ${c[1]}); fit again with nThreads: 1`);
  }

  /** A zeroed histogram (from the free slots, or a new one). */
  newHist(): Float64Array {
    const h = this.slots.pop();
    if (h) { h.fill(0); return h; }
    // more slots than planned (should not happen): grow the memory, or a plain array for the JavaScript kernels
    if (!this.memory) return new Float64Array(this.HS);
    const bytes = 8 * this.HS + 16, need = this.top + bytes - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / 65536));
    const at = (this.top + 15) & ~15;
    this.top = at + 8 * this.HS;
    return new Float64Array(this.memory.buffer, at, this.HS);
  }

  /** Give a histogram back. */
  freeHist(h: Float64Array): void { this.slots.push(h); }

  /** The histogram of the node rows[start..end) for features j0..j1-1 (`seq`: the rows are start … end − 1 themselves). */
  fill(hist: Float64Array, start: number, end: number, seq: boolean, j0 = 0, j1 = this.p): void {
    const m = end - start, w = this.wasm;
    if (this.ctrl && w && hist.buffer === this.buffer && j0 === 0 && j1 === this.p && m * this.p >= gbdtParallel.minCells) {
      // features split in blocks: block 0 here, block s on worker s; each block's sums are the one-thread sums
      const c = this.ctrl, T = this.threads, p = this.p;
      c[1] = seq ? 1 : 2; c[2] = hist.byteOffset; c[3] = this.bins.byteOffset; c[4] = this.n;
      c[5] = seq ? start : this.rows.byteOffset + 4 * start; c[6] = m; c[7] = seq ? this.gh.byteOffset : this.og.byteOffset; c[8] = this.featOff.byteOffset; c[9] = p;
      const gen = ++this.gen;
      Atomics.store(c, 0, gen);
      Atomics.notify(c, 0);
      const b1 = Math.floor(p / T);
      if (seq) w.histSeq(hist.byteOffset, this.bins.byteOffset, this.n, start, m, this.gh.byteOffset, this.featOff.byteOffset, 0, b1);
      else w.histRows(hist.byteOffset, this.bins.byteOffset, this.n, this.rows.byteOffset + 4 * start, m, this.og.byteOffset, this.featOff.byteOffset, 0, b1);
      this.join(c, gen);
      return;
    }
    if (w && hist.buffer === this.buffer) {
      if (seq) w.histSeq(hist.byteOffset, this.bins.byteOffset, this.n, start, m, this.gh.byteOffset, this.featOff.byteOffset, j0, j1);
      else w.histRows(hist.byteOffset, this.bins.byteOffset, this.n, this.rows.byteOffset + 4 * start, m, this.og.byteOffset, this.featOff.byteOffset, j0, j1);
    } else if (seq) histSeqJS(hist, this.bins, this.n, start, m, this.gh, this.featOff, j0, j1);
    else histRowsJS(hist, this.bins, this.n, this.rows.subarray(start, end), m, this.og, this.featOff, j0, j1);
  }

  /**
   * Stable partition of rows[start..end) by feature j's bins: bin ≤ `bin`, or
   * the missing bin `missBin` when `missLeft`, go left (first, in order).
   * Returns where the right rows start.
   */
  partition(j: number, start: number, end: number, bin: number, missBin: number, missLeft: boolean): number {
    const M = end - start, w = this.wasm;
    if (this.ctrl && w && M >= gbdtParallel.minRows) {
      // each thread partitions its block of positions (its own stretch of scratch), then the blocks' left
      // rows are packed first and their right rows after, block by block: the one-thread order
      const c = this.ctrl, T = this.threads, col = this.bins.byteOffset + j * this.n, rp = this.rows.byteOffset + 4 * start;
      c[1] = 6; c[2] = col; c[3] = rp; c[4] = M; c[5] = bin; c[6] = missBin; c[7] = missLeft ? 1 : 0; c[8] = this.scratch.byteOffset;
      this.run(c, () => { c[16 + T] = w.partition(col, rp, Math.floor(M / T), bin, missBin, missLeft ? 1 : 0, this.scratch.byteOffset); });
      const rows = this.rows, scratch = this.scratch;
      let a = start, r = 0;
      for (let s = 0; s < T; s++) {
        const b0 = start + Math.floor((M * s) / T), b1 = start + Math.floor((M * (s + 1)) / T), nl = c[16 + T + s];
        scratch.set(rows.subarray(b0 + nl, b1), r); r += b1 - b0 - nl;
        if (a !== b0) rows.copyWithin(a, b0, b0 + nl);
        a += nl;
      }
      rows.set(scratch.subarray(0, r), a);
      return a;
    }
    if (w) return start + w.partition(this.bins.byteOffset + j * this.n, this.rows.byteOffset + 4 * start, M, bin, missBin, missLeft ? 1 : 0, this.scratch.byteOffset);
    return partitionJS(this.bins, this.n * j, missBin, missLeft, this.rows, start, end, bin, this.scratch);
  }

  /** Gather the pairs of rows[start..end) into og (in row order). */
  gather(start: number, end: number): void {
    const M = end - start, w = this.wasm;
    if (this.ctrl && w && M >= gbdtParallel.minRows) {
      const c = this.ctrl, T = this.threads, rp = this.rows.byteOffset + 4 * start;
      c[1] = 7; c[2] = this.gh.byteOffset; c[3] = rp; c[4] = M; c[5] = this.og.byteOffset;
      this.run(c, () => w.gather(this.gh.byteOffset, rp, 0, Math.floor(M / T), this.og.byteOffset));
      return;
    }
    if (this.wasm) this.wasm.gather(this.gh.byteOffset, this.rows.byteOffset + 4 * start, 0, end - start, this.og.byteOffset);
    else gatherJS(this.gh, this.rows.subarray(start, end), 0, end - start, this.og);
  }
}
