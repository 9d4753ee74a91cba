import * as os from "os";
import { Worker } from "worker_threads";
import { WarmWorkers } from "../util/workers";
import { DISTS_WASM_BASE64 } from "./dists-wasm";
import { hamerlyRange, ppApplyRange, ppCandRange, ppInitRange, type WasmDists, type WasmHamerly, type WasmNearest, type WasmPotentials } from "./kmeans-kernel";

/**
 * Parallel Hamerly k-means iterations on worker threads sharing memory
 * (SharedArrayBuffer + Atomics), driven synchronously from the main thread so
 * `KMeans.fit` stays a plain synchronous call. The main thread works on the
 * first row block itself; each worker owns one further block. The kernels are
 * one compiled module (./kmeans-kernel) loaded on every thread (the workers run
 * ./kmeans-worker), so all threads run the identical arithmetic and results do
 * not depend on the thread count except for the floating-point order of the
 * per-block sum deltas.
 */

/** Rows below which k-means stays single-threaded (thread start-up would dominate). */
export const KMEANS_PARALLEL_MIN_ROWS = 100_000;

/**
 * Default thread count for k-means: available CPUs, at most 8.
 * @example
 * new KMeans({ k: 8, nThreads: defaultKMeansThreads() });
 */
export function defaultKMeansThreads(): number {
  const n = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, n));
}



/** k-means workers kept between fits (unref'd: they never keep the process alive). */
const kmeansWorkers = new WarmWorkers(__dirname, "segment", "kmeans-worker.js");
const kmeansWorkerPath = () => kmeansWorkers.path();
const takeWorker = () => kmeansWorkers.take();

/**
 * End the k-means worker threads kept warm between fits (they are started on
 * the first large fit and never keep the process alive; call this to free
 * their memory at once in a long-running service).
 *
 * @example
 * new KMeans({ k: 8 }).fit(bigMatrix);
 * closeKMeansWorkers();
 */
export function closeKMeansWorkers(): void {
  kmeansWorkers.close();
}

interface KernelFns {
  hamerlyRange: Kernel;
  ppInitRange(data: Float64Array, d: number, cen0: Float64Array, closest: Float64Array, closestIdx: Int32Array, lo: number, hi: number): void;
  ppCandRange(data: Float64Array, d: number, xn: Float64Array, ctc: Float64Array, cnc: Float64Array, ntp: number, nTrials: number, closest: Float64Array, pot: Float64Array, lo: number, hi: number, wp: WasmPotentials | null, wo: number[], slot: number): void;
  ppApplyRange(data: Float64Array, d: number, xn: Float64Array, ctc: Float64Array, cnc: Float64Array, ntp: number, bestT: number, closest: Float64Array, closestIdx: Int32Array, c: number, lo: number, hi: number, wn: WasmNearest | null, wo: number[]): void;
}

type Kernel = (data: Float64Array, d: number, k: number, centers: Float64Array, ct: Float64Array, cn: Float64Array, xn: Float64Array,
  labels: Int32Array, upper: Float64Array, lower: Float64Array, s: Float64Array, shift: Float64Array, par: Float64Array,
  lo: number, hi: number, mode: number, dsum: Float64Array, dcnt: Float64Array, dist: Float64Array, wf: WasmDists | null, wo: number[], wh: WasmHamerly | null) => number;


let distsModule: WebAssembly.Module | null | undefined;
/** The compiled SIMD kernel, or null where WebAssembly SIMD or shared memory is unavailable (or CUSTLAB_KMEANS_WASM=0). */
function wasmDists(): WebAssembly.Module | null {
  if (process.env.CUSTLAB_KMEANS_WASM === "0") return null;
  if (distsModule === undefined) {
    distsModule = null;
    try {
      const mod = new WebAssembly.Module(Buffer.from(DISTS_WASM_BASE64, "base64"));
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      new WebAssembly.Instance(mod, { env: { memory } });
      distsModule = mod;
    } catch { /* JavaScript kernel */ }
  }
  return distsModule;
}

const kernelFns: KernelFns = { hamerlyRange, ppInitRange, ppCandRange, ppApplyRange };
function fns(): KernelFns {
  return kernelFns;
}
function kernel(): Kernel { return fns().hamerlyRange; }

/** Most k-means++ local trials the pool supports (2 + ⌊ln k⌋ ≤ 8 for k ≤ 403). */
const MAX_TRIALS = 8;

const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));

/**
 * Shared state and worker threads for one k-means fit. Buffers are views on
 * SharedArrayBuffers; call {@link HamerlyPool.close} when done.
 */
export class HamerlyPool {
  readonly n: number; readonly d: number; readonly k: number; readonly threads: number;
  readonly data: Float64Array; readonly labels: Int32Array; readonly upper: Float64Array; readonly lower: Float64Array;
  readonly xn: Float64Array; readonly centers: Float64Array; readonly ct: Float64Array; readonly cn: Float64Array;
  readonly s: Float64Array; readonly shift: Float64Array; readonly par: Float64Array;
  private readonly ctrl: Int32Array; private readonly dsumAll: Float64Array; private readonly dcntAll: Float64Array; private readonly changedArr: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly bounds: number[];
  private gen = 0;
  private readonly dist: Float64Array;
  /** Column stride of `ct` (k, or k + 1 for the SIMD kernel's pairs). */
  private readonly kp: number;
  /** The SIMD kernel (null: JavaScript) and its byte offsets [data, ct, cn, dist, cc, cnc, kp]. */
  private readonly wf: WasmDists | null;
  private readonly wp: WasmPotentials | null;
  private readonly wn: WasmNearest | null;
  private readonly wh: WasmHamerly | null;
  private readonly wo: number[];
  private readonly pp: { closest: Float64Array; closestIdx: Int32Array; cand: Int32Array; cc: Float64Array; par: Float64Array; cen0: Float64Array; cnc: Float64Array; pot: Float64Array };

  /**
   * Allocates the shared buffers and starts the workers without waiting for
   * them: fill {@link HamerlyPool.data} (the n × d rows, row-major) and
   * {@link HamerlyPool.xn} (their squared norms) while they boot, then call
   * {@link HamerlyPool.ready}.
   */
  constructor(n: number, d: number, k: number, threads: number) {
    this.n = n; this.d = d; this.k = k; this.threads = kmeansWorkerPath() === null ? 1 : Math.max(1, Math.min(threads, Math.floor(n / 1000) || 1));
    const T = this.threads;
    // With the SIMD kernel, the rows, their norms, labels and bounds, the (candidate) centres, each
    // thread's distance row and cluster sums live in one shared WebAssembly memory (wasm32: while it
    // stays under 2 GiB) and whole passes run in WebAssembly; otherwise plain shared buffers and the
    // JavaScript kernel.
    const mod = wasmDists();
    const kp = mod ? k + (k & 1) : k;
    const sizes = { data: n * d, xn: n, ct: d * kp, cn: kp, cc: MAX_TRIALS * d, ppCen2: MAX_TRIALS, dist: T * kp, closest: n, pot: MAX_TRIALS * T, closestIdx: Math.ceil(n / 2),
      centers: k * d, labels: Math.ceil(n / 2), upper: n, lower: n, s: k, shift: k, par: 4, dsum: k * d * T, dcnt: k * T };
    const total = 8 * Object.values(sizes).reduce((a, b) => a + b, 0);
    const memory = mod && total < 2 ** 31 - 65536 ? new WebAssembly.Memory({ initial: Math.ceil(total / 65536) + 1, maximum: Math.ceil(total / 65536) + 1, shared: true }) : null;
    const at: Record<string, number> = {};
    let off = 0;
    for (const [name, len] of Object.entries(sizes)) { at[name] = off; off += 8 * len; }
    const region = (name: keyof typeof sizes): SharedArrayBuffer | [SharedArrayBuffer, number, number] =>
      memory ? [memory.buffer as unknown as SharedArrayBuffer, at[name], sizes[name]] : sab(8 * sizes[name]);
    this.kp = memory ? kp : k;
    this.wo = memory ? [at.data, at.ct, at.cn, at.dist, at.cc, at.ppCen2, kp, at.xn, at.closest, at.pot, at.closestIdx, at.centers, at.labels, at.upper, at.lower, at.s, at.shift, at.par, at.dsum, at.dcnt]
      : [0, 0, 0, 0, 0, 0, k, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const wx = memory ? new WebAssembly.Instance(mod!, { env: { memory } }).exports : null;
    this.wf = wx ? (wx.dists as WasmDists) : null;
    this.wp = wx ? (wx.potentials as WasmPotentials) : null;
    this.wn = wx ? (wx.nearest as WasmNearest) : null;
    this.wh = wx ? (wx.hamerly as WasmHamerly) : null;
    const bufs = {
      data: region("data"),
      ctrl: sab(4 * (2 + T)), labels: memory ? [memory.buffer as unknown as SharedArrayBuffer, at.labels, n] as [SharedArrayBuffer, number, number] : sab(4 * n),
      upper: region("upper"), lower: region("lower"), xn: region("xn"),
      centers: region("centers"), ct: region("ct"), cn: region("cn"), s: region("s"), shift: region("shift"), par: region("par"),
      dsum: region("dsum"), dcnt: region("dcnt"), changed: sab(4 * T),
      closest: region("closest"), closestIdx: memory ? [memory.buffer as unknown as SharedArrayBuffer, at.closestIdx, n] as [SharedArrayBuffer, number, number] : sab(4 * n),
      cand: sab(4 * MAX_TRIALS), cc: region("cc"), pp: sab(8 * 4), ppCen: sab(8 * d), ppCen2: region("ppCen2"), pot: region("pot"),
    };
    const view = (b: SharedArrayBuffer | [SharedArrayBuffer, number, number]) => (Array.isArray(b) ? new Float64Array(b[0], b[1], b[2]) : new Float64Array(b));
    this.data = view(bufs.data);
    this.pp = { closest: view(bufs.closest), closestIdx: Array.isArray(bufs.closestIdx) ? new Int32Array(bufs.closestIdx[0], bufs.closestIdx[1], bufs.closestIdx[2]) : new Int32Array(bufs.closestIdx),
      cand: new Int32Array(bufs.cand), cc: view(bufs.cc), par: new Float64Array(bufs.pp), cen0: new Float64Array(bufs.ppCen), cnc: view(bufs.ppCen2), pot: view(bufs.pot) };
    this.ctrl = new Int32Array(bufs.ctrl);
    this.labels = Array.isArray(bufs.labels) ? new Int32Array(bufs.labels[0], bufs.labels[1], bufs.labels[2]) : new Int32Array(bufs.labels);
    this.upper = view(bufs.upper); this.lower = view(bufs.lower);
    this.xn = view(bufs.xn); this.centers = view(bufs.centers); this.ct = view(bufs.ct); this.cn = view(bufs.cn);
    this.s = view(bufs.s); this.shift = view(bufs.shift); this.par = view(bufs.par);
    this.dsumAll = view(bufs.dsum); this.dcntAll = view(bufs.dcnt); this.changedArr = new Int32Array(bufs.changed);
    // this thread's distance row (slot 0 of the shared ones with the SIMD kernel)
    this.dist = memory ? new Float64Array(memory.buffer, at.dist, kp) : new Float64Array(k);
    this.bounds = Array.from({ length: T + 1 }, (_, b) => Math.round((b * n) / T));
    for (let w = 1; w < T; w++) {
      this.ctrl[2 + w] = -2;
      const worker = takeWorker();
      const wo = [...this.wo];
      wo[3] = at.dist + 8 * kp * w; // the worker's own distance row and cluster sums
      wo[18] = at.dsum + 8 * k * d * w; wo[19] = at.dcnt + 8 * k * w;
      worker.postMessage({ ...bufs, slot: w, lo: this.bounds[w], hi: this.bounds[w + 1], n, d, k, maxTrials: MAX_TRIALS, wo, wasm: memory ? { module: mod, memory } : null });
      this.workers.push(worker);
    }
  }

  /** Wait until every worker is listening (call once, after filling `data` and `xn`). */
  ready(): void {
    for (let w = 1; w < this.threads; w++) {
      const deadline = Date.now() + 30_000;
      let v: number;
      while ((v = Atomics.load(this.ctrl, 2 + w)) === -2) {
        if (Date.now() > deadline) { this.close(false); throw new Error("k-means worker thread did not start within 30 s"); }
        Atomics.wait(this.ctrl, 2 + w, v, 100);
      }
    }
  }

  /**
   * One assignment pass over all rows with the current `centers`/`s`/`shift`/`par`
   * (mode 0 full, mode 1 bound update + Hamerly). Mode 0 adds every row to
   * `sums`/`counts` (pass them zeroed); mode 1 applies the moves to them.
   * Returns the number of label changes.
   */
  assign(mode: 0 | 1, sums: Float64Array, counts: Float64Array): number {
    const { k, d } = this;
    // transposed centres + norms for the blocked kernel
    const kp = this.kp;
    for (let j = 0; j < k; j++) { let q = 0; for (let t = 0; t < d; t++) { const v = this.centers[j * d + t]; this.ct[t * kp + j] = v; q += v * v; } this.cn[j] = q; }
    const T = this.threads;
    this.gen++;
    Atomics.store(this.ctrl, 1, mode);
    Atomics.store(this.ctrl, 0, this.gen);
    Atomics.notify(this.ctrl, 0);
    const kd = k * d;
    const dsum0 = this.dsumAll.subarray(0, kd), dcnt0 = this.dcntAll.subarray(0, k);
    this.changedArr[0] = kernel()(this.data, d, k, this.centers, this.ct, this.cn, this.xn, this.labels, this.upper, this.lower, this.s, this.shift, this.par,
      this.bounds[0], this.bounds[1], mode, dsum0, dcnt0, this.dist, this.wf, this.wo, this.wh);
    for (let w = 1; w < T; w++) {
      let v: number;
      while ((v = Atomics.load(this.ctrl, 2 + w)) !== this.gen) Atomics.wait(this.ctrl, 2 + w, v);
    }
    let changed = 0;
    for (let w = 0; w < T; w++) {
      changed += this.changedArr[w];
      for (let q = 0; q < kd; q++) sums[q] += this.dsumAll[w * kd + q];
      for (let j = 0; j < k; j++) counts[j] += this.dcntAll[w * k + j];
    }
    return changed;
  }

  /** Run task `mode` on every block (main thread takes block 0) and wait for all. */
  private dispatch(mode: number, own: (lo: number, hi: number) => void): void {
    this.gen++;
    Atomics.store(this.ctrl, 1, mode);
    Atomics.store(this.ctrl, 0, this.gen);
    Atomics.notify(this.ctrl, 0);
    own(this.bounds[0], this.bounds[1]);
    for (let w = 1; w < this.threads; w++) {
      let v: number;
      while ((v = Atomics.load(this.ctrl, 2 + w)) !== this.gen) Atomics.wait(this.ctrl, 2 + w, v);
    }
  }

  /**
   * Greedy k-means++ with the candidate evaluations spread over the threads;
   * draws from `next` exactly as the single-thread version (first centre
   * `floor(next()·n)`, then one draw per local trial), so the same seed picks
   * the same centres up to the summation order of the potentials.
   */
  kmeansPlusPlus(k: number, next: () => number, nLocalTrials = 2 + Math.floor(Math.log(k))): Float64Array {
    const { n, d, data } = this;
    const P = this.pp, F = fns();
    const nt = Math.min(MAX_TRIALS, nLocalTrials);
    const centers = new Float64Array(k * d);
    const first = Math.floor(next() * n);
    centers.set(data.subarray(first * d, (first + 1) * d), 0);
    P.cen0.set(centers.subarray(0, d));
    this.dispatch(2, (lo, hi) => F.ppInitRange(data, d, P.cen0, P.closest, P.closestIdx, lo, hi));
    const cum = new Float64Array(n);
    const ntp = Math.ceil(nt / 4) * 4;
    P.par[0] = nt; P.par[3] = ntp;
    for (let c = 1; c < k; c++) {
      let acc = 0;
      for (let i = 0; i < n; i++) { acc += P.closest[i]; cum[i] = acc; }
      P.cc.fill(0); P.cnc.fill(0);
      for (let t = 0; t < nt; t++) {
        const r = next() * acc;
        let lo = 0, hi = n - 1;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] < r) lo = mid + 1; else hi = mid; }
        P.cand[t] = lo;
        // transposed candidate t and its squared norm, for the blocked distance kernel
        let q2 = 0;
        for (let q = 0; q < d; q++) { const v = data[lo * d + q]; P.cc[q * ntp + t] = v; q2 += v * v; }
        P.cnc[t] = q2;
      }
      this.dispatch(3, (lo, hi) => F.ppCandRange(data, d, this.xn, P.cc, P.cnc, ntp, nt, P.closest, P.pot.subarray(0, MAX_TRIALS), lo, hi, this.wp, this.wo, 0));
      let bestT = 0, bestPot = Infinity;
      for (let t = 0; t < nt; t++) {
        let p = 0;
        for (let w = 0; w < this.threads; w++) p += P.pot[w * MAX_TRIALS + t];
        if (p < bestPot) { bestPot = p; bestT = t; }
      }
      P.par[1] = c; P.par[2] = bestT;
      this.dispatch(4, (lo, hi) => F.ppApplyRange(data, d, this.xn, P.cc, P.cnc, ntp, bestT, P.closest, P.closestIdx, c, lo, hi, this.wn, this.wo));
      centers.set(data.subarray(P.cand[bestT] * d, (P.cand[bestT] + 1) * d), c * d);
    }
    return centers;
  }

  /** End this fit on the workers: they go back to the warm idle set (or are terminated with `keepWorkers` false). */
  close(keepWorkers = true): void {
    Atomics.store(this.ctrl, 1, -1);
    Atomics.store(this.ctrl, 0, ++this.gen);
    Atomics.notify(this.ctrl, 0);
    for (const w of this.workers) {
      if (keepWorkers) kmeansWorkers.give(w);
      else void w.terminate();
    }
    this.workers.length = 0;
  }
}
