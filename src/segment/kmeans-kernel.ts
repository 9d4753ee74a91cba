/**
 * The k-means kernels shared by the main thread and the worker threads (src/segment/kmeans-worker.ts):
 * one compiled module, so every thread runs the identical arithmetic and results do not depend on the
 * thread count except for the floating-point order of the per-block sum deltas.
 * - `hamerlyRange` mode 0: full assignment of every row (exact nearest and second nearest), with the
 *   block's cluster sums; mode 1: first update the bounds by the last centre shifts, then Hamerly's
 *   test per row.
 * - `ppInitRange`, `ppCandRange`, `ppApplyRange`: the k-means++ steps over a row range.
 * Plain loops over typed arrays (`var` keeps the hot loops as the engine compiled them before).
 * @module
 */
/* eslint-disable no-var */

/** The WebAssembly kernel: squared distances of one row to `count` columns (see src/segment/dists.wat). */
export type WasmDists = (x: number, d: number, xn: number, ct: number, cn: number, count: number, stride: number, out: number) => void;
/** The WebAssembly Hamerly pass: {@link hamerlyRange} over a row range on buffers in the kernel's memory (see src/segment/dists.wat). */
export type WasmHamerly = (data: number, d: number, k: number, xn: number, ct: number, cn: number, kp: number, centers: number, labels: number,
  upper: number, lower: number, s: number, shift: number, par: number, lo: number, hi: number, mode: number, dsum: number, dcnt: number, dist: number) => number;
/** The WebAssembly k-means++ kernel: clipped candidate potentials over a row range (see src/segment/dists.wat). */
export type WasmPotentials = (data: number, d: number, xn: number, closest: number, lo: number, hi: number, cc: number, cnc: number, ntp: number, pot: number) => void;
/** The WebAssembly k-means++ update: nearest-centre distances against the chosen candidate (see src/segment/dists.wat). */
export type WasmNearest = (data: number, d: number, xn: number, closest: number, idx: number, lo: number, hi: number, cc: number, cnc: number, ntp: number, b: number, c: number) => void;

export function hamerlyRange(data: Float64Array, d: number, k: number, centers: Float64Array, ct: Float64Array, cn: Float64Array, xn: Float64Array,
  labels: Int32Array, upper: Float64Array, lower: Float64Array, s: Float64Array, shift: Float64Array, par: Float64Array,
  lo: number, hi: number, mode: number, dsum: Float64Array, dcnt: Float64Array, dist: Float64Array, wf: WasmDists | null, wo: number[], wh: WasmHamerly | null = null): number {
  var changed = 0;
  // wh: the whole pass in WebAssembly (every buffer in its memory; the same statements, bit-identical results).
  // wf: the WebAssembly distance kernel (null: JavaScript); wo: byte offsets [data, ct, cn, dist, cc, cnc, kp, xn, closest, pot,
  // closestIdx, centers, labels, upper, lower, s, shift, par, dsum, dcnt] (dsum, dcnt, dist: this thread's block).
  dsum.fill(0); dcnt.fill(0);
  if (wh !== null) return wh(wo[0], d, k, wo[7], wo[1], wo[2], wo[6], wo[11], wo[12], wo[13], wo[14], wo[15], wo[16], wo[17], lo, hi, mode, wo[18], wo[19], wo[3]);
  var wData = wo[0], wCt = wo[1], wCn = wo[2], wDist = wo[3], kp = wo[6];
  var m1 = par[0], m2 = par[1], m1j = par[2], relocated = par[3];
  for (var i = lo; i < hi; i++) {
    var a = labels[i];
    var xo = i * d;
    if (mode === 1) {
      upper[i] += shift[a];
      lower[i] = relocated ? 0 : lower[i] - (a === m1j ? m2 : m1);
      var bound = s[a] > lower[i] ? s[a] : lower[i];
      if (upper[i] <= bound) continue;
      var du = 0, ao = a * d;
      for (var t = 0; t < d; t++) { var v = data[xo + t] - centers[ao + t]; du += v * v; }
      var u = Math.sqrt(du);
      upper[i] = u;
      if (u <= bound) continue;
    }
    var xni = xn[i];
    if (wf !== null) wf(wData + xo * 8, d, xni, wCt, wCn, kp, kp, wDist);
    else rowDistances(data, xo, d, xni, ct, cn, k, dist);
    var b = 0, d1 = Infinity, d2 = Infinity;
    for (var q = 0; q < k; q++) {
      var dd = dist[q] < 0 ? 0 : dist[q];
      if (dd < d1) { d2 = d1; d1 = dd; b = q; } else if (dd < d2) d2 = dd;
    }
    upper[i] = Math.sqrt(d1);
    lower[i] = Math.sqrt(d2);
    if (mode === 0) {
      labels[i] = b;
      var bo = b * d;
      for (var t5 = 0; t5 < d; t5++) dsum[bo + t5] += data[xo + t5];
      dcnt[b]++;
    } else if (b !== a) {
      changed++;
      labels[i] = b;
      var fo = a * d, to = b * d;
      for (var t4 = 0; t4 < d; t4++) { var xv2 = data[xo + t4]; dsum[fo + t4] -= xv2; dsum[to + t4] += xv2; }
      dcnt[a]--; dcnt[b]++;
    }
  }
  return changed;
}
// k-means++ helpers. pp: [nTrials, c (centres chosen so far), bestT]
export function ppInitRange(data: Float64Array, d: number, cen0: Float64Array, closest: Float64Array, closestIdx: Int32Array, lo: number, hi: number): void {
  for (var i = lo; i < hi; i++) {
    var xo = i * d, dd = 0;
    for (var t = 0; t < d; t++) { var v = data[xo + t] - cen0[t]; dd += v * v; }
    closest[i] = dd; closestIdx[i] = 0;
  }
}
export function ppCandRange(data: Float64Array, d: number, xn: Float64Array, ctc: Float64Array, cnc: Float64Array, ntp: number, nTrials: number, closest: Float64Array, pot: Float64Array, lo: number, hi: number, wp: WasmPotentials | null, wo: number[], slot: number): void {
  // ctc: candidates transposed, ctc[t * ntp + c] (ntp = trials padded to a multiple of 4), cnc: their squared norms.
  // Only the potentials are summed here; ppApplyRange recomputes the chosen candidate's distances (same arithmetic).
  for (var tr0 = 0; tr0 < ntp; tr0++) pot[tr0] = 0;
  if (wp !== null) { wp(wo[0], d, wo[7], wo[8], lo, hi, wo[4], wo[5], ntp, wo[9] + slot * 64); return; } // 64 = 8 trials × 8 bytes
  for (var i = lo; i < hi; i++) {
    var xo = i * d, xni = xn[i], ci = closest[i];
    for (var b = 0; b < ntp; b += 4) {
      var a0 = cnc[b], a1 = cnc[b + 1], a2 = cnc[b + 2], a3 = cnc[b + 3];
      for (var t = 0; t < d; t++) {
        var xv = -2 * data[xo + t], o = t * ntp + b;
        a0 += xv * ctc[o]; a1 += xv * ctc[o + 1]; a2 += xv * ctc[o + 2]; a3 += xv * ctc[o + 3];
      }
      a0 += xni; a1 += xni; a2 += xni; a3 += xni;
      pot[b] += a0 < ci ? (a0 < 0 ? 0 : a0) : ci;
      pot[b + 1] += a1 < ci ? (a1 < 0 ? 0 : a1) : ci;
      pot[b + 2] += a2 < ci ? (a2 < 0 ? 0 : a2) : ci;
      pot[b + 3] += a3 < ci ? (a3 < 0 ? 0 : a3) : ci;
    }
  }
}
export function ppApplyRange(data: Float64Array, d: number, xn: Float64Array, ctc: Float64Array, cnc: Float64Array, ntp: number, bestT: number, closest: Float64Array, closestIdx: Int32Array, c: number, lo: number, hi: number, wn: WasmNearest | null, wo: number[]): void {
  // The distance to the chosen candidate exactly as ppCandRange computed it.
  if (wn !== null) { wn(wo[0], d, wo[7], wo[8], wo[10], lo, hi, wo[4], wo[5], ntp, bestT, c); return; }
  var cb = cnc[bestT];
  for (var i = lo; i < hi; i++) {
    var xo = i * d, a = cb;
    for (var t = 0; t < d; t++) a += -2 * data[xo + t] * ctc[t * ntp + bestT];
    a += xn[i];
    var m = a < 0 ? 0 : a;
    if (m < closest[i]) { closest[i] = m; closestIdx[i] = c; }
  }
}

/**
 * Squared distances from row i to all k centres with the norm expansion
 * ‖x‖² + ‖c‖² − 2x·c, blocked 8 centres at a time over transposed centres
 * `ct[t·k + j]` (about 2× faster than plain differences in V8). Data are
 * centred by the caller, which keeps the cancellation error small (as in
 * scikit-learn). Results are clamped at 0.
 */
export function rowDistances(data: Float64Array, xo: number, d: number, xn: number, ct: Float64Array, cn: Float64Array, k: number, out: Float64Array): void {
  let j = 0;
  for (; j + 8 <= k; j += 8) {
    let a0 = cn[j], a1 = cn[j + 1], a2 = cn[j + 2], a3 = cn[j + 3], a4 = cn[j + 4], a5 = cn[j + 5], a6 = cn[j + 6], a7 = cn[j + 7];
    for (let t = 0; t < d; t++) {
      const xv = -2 * data[xo + t], o = t * k + j;
      a0 += xv * ct[o]; a1 += xv * ct[o + 1]; a2 += xv * ct[o + 2]; a3 += xv * ct[o + 3];
      a4 += xv * ct[o + 4]; a5 += xv * ct[o + 5]; a6 += xv * ct[o + 6]; a7 += xv * ct[o + 7];
    }
    out[j] = a0 + xn; out[j + 1] = a1 + xn; out[j + 2] = a2 + xn; out[j + 3] = a3 + xn;
    out[j + 4] = a4 + xn; out[j + 5] = a5 + xn; out[j + 6] = a6 + xn; out[j + 7] = a7 + xn;
  }
  for (; j + 4 <= k; j += 4) {
    let a0 = cn[j], a1 = cn[j + 1], a2 = cn[j + 2], a3 = cn[j + 3];
    for (let t = 0; t < d; t++) {
      const xv = -2 * data[xo + t], o = t * k + j;
      a0 += xv * ct[o]; a1 += xv * ct[o + 1]; a2 += xv * ct[o + 2]; a3 += xv * ct[o + 3];
    }
    out[j] = a0 + xn; out[j + 1] = a1 + xn; out[j + 2] = a2 + xn; out[j + 3] = a3 + xn;
  }
  for (; j < k; j++) {
    let a = cn[j];
    for (let t = 0; t < d; t++) a += -2 * data[xo + t] * ct[t * k + j];
    out[j] = a + xn;
  }
  for (let q = 0; q < k; q++) if (out[q] < 0) out[q] = 0;
}
