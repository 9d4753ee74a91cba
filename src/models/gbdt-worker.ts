/**
 * A gbdt histogram worker thread (started by src/models/hist-kernel.ts from the compiled
 * gbdt-worker.js): it serves one fit per message (the fit's shared WebAssembly memory and its slot),
 * building its block of features of each histogram the main thread asks for, then waits for the
 * next fit. The kernels are the main thread's (./hist.wat), so every thread adds the same numbers in
 * the same order and the trees do not depend on the thread count.
 * @module
 */
import { parentPort } from "worker_threads";
import { addLeafJS, binaryGradJS, gbdtWorkerProtocol, histWasmInstance, type HistWasmExports } from "./hist-kernel";

interface FitMessage { module: WebAssembly.Module; memory: WebAssembly.Memory; ctrl: SharedArrayBuffer; slot: number; threads: number; gen: number }

function serve(msg: FitMessage): void {
  const ctrl = new Int32Array(msg.ctrl);
  const T = msg.threads, slot = msg.slot;
  // a failed instantiation fails every kernel task below (an error on the main thread, not a hang)
  let k: HistWasmExports | null = null;
  try { k = histWasmInstance(msg.module, msg.memory); } catch { k = null; }
  let gen = msg.gen;
  for (;;) {
    // a return from wait without a new generation (never one on a correct runtime) must not run the last task again
    let g: number;
    while ((g = Atomics.load(ctrl, 0)) === gen) Atomics.wait(ctrl, 0, gen);
    gen = g;
    const task = Atomics.load(ctrl, 1);
    if (task < 0) break;
    try {
      if (task === 0) {
        // handshake: this build's task protocol, in this worker's partition-count slot
        ctrl[16 + T + slot] = gbdtWorkerProtocol.version;
      } else if (task === 4 || task === 5) {
        // 4: leaf values into the raw scores (raw, rows, leaf table, leaves, m, n); 5: binary gradient pairs
        // (raw, codes, weights | -1, gh, rows, m, n); positions split in T blocks
        const buf = msg.memory.buffer, n = ctrl[10], m = ctrl[9], t0 = Math.floor((m * slot) / T), t1 = Math.floor((m * (slot + 1)) / T);
        const raw = new Float64Array(buf, ctrl[2], n), rows = new Int32Array(buf, ctrl[6], m);
        if (task === 4) addLeafJS(raw, rows, new Float64Array(buf, ctrl[7], 3 * ctrl[8]), ctrl[8], t0, t1);
        else binaryGradJS(raw, new Int32Array(buf, ctrl[3], n), ctrl[4] < 0 ? null : new Float64Array(buf, ctrl[4], n), new Float32Array(buf, ctrl[5], 2 * n), rows, t0, t1);
      } else if (task === 6) {
        // stable partition of this thread's block of positions: col, rows, M, bin, missBin, missLeft, scratch;
        // the block's left count in ctrl[16 + T + slot]
        const M = ctrl[4], t0 = Math.floor((M * slot) / T), t1 = Math.floor((M * (slot + 1)) / T);
        ctrl[16 + T + slot] = k!.partition(ctrl[2], ctrl[3] + 4 * t0, t1 - t0, ctrl[5], ctrl[6], ctrl[7], ctrl[8] + 4 * t0);
      } else if (task === 7) {
        // gather of this thread's block of positions: gh, rows, M, og
        const M = ctrl[4];
        k!.gather(ctrl[2], ctrl[3], Math.floor((M * slot) / T), Math.floor((M * (slot + 1)) / T), ctrl[5]);
      } else {
        // 1 histSeq, 2 histRows; args: hist, bins, n, rows | r0, m, gh | og, featOff, p
        const p = ctrl[9], j0 = Math.floor((p * slot) / T), j1 = Math.floor((p * (slot + 1)) / T);
        if (task === 1) k!.histSeq(ctrl[2], ctrl[3], ctrl[4], ctrl[5], ctrl[6], ctrl[7], ctrl[8], j0, j1);
        else k!.histRows(ctrl[2], ctrl[3], ctrl[4], ctrl[5], ctrl[6], ctrl[7], ctrl[8], j0, j1);
      }
    } catch {
      Atomics.store(ctrl, 15, 1); // the main thread throws instead of using this block's numbers
    }
    Atomics.store(ctrl, 16 + slot, gen);
    Atomics.notify(ctrl, 16 + slot);
  }
  Atomics.store(ctrl, 16 + slot, -1);
  Atomics.notify(ctrl, 16 + slot);
}

parentPort!.on("message", (msg: FitMessage) => serve(msg));
