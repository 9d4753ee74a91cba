import { treeShapRange, treeShapScratch, type CompiledTreeShap } from "../models/treeshap";

/**
 * The worker side of {@link treeShap}'s threads, kept apart from the model
 * classes so a worker loads only the kernel. Job states in the control array:
 * 0 posted, 1 taken by the worker, 2 done, 3 taken back by the main thread
 * (the worker was too slow to start), −1 failed.
 * @module
 */
export const POSTED = 0, TAKEN = 1, DONE = 2, RECLAIMED = 3;

/** One block of rows of one call, everything in shared memory. @internal */
export interface TreeShapBlock {
  c: Record<string, unknown>;
  /** Rows xRow0… of X (row-major, `cols` columns). */
  x: Float64Array;
  xRow0: number;
  cols: number;
  /** Global row range of the block. */
  lo: number;
  hi: number;
  /** n × cols output (all rows). */
  phi: Float64Array;
  ctrl: Int32Array;
  slot: number;
}

/** Serve one block: claim it (unless the main thread took it back), add its values to `phi`, report. @internal */
export function serveTreeShapBlock(msg: TreeShapBlock): void {
  const { ctrl, slot } = msg;
  if (Atomics.compareExchange(ctrl, slot, POSTED, TAKEN) !== POSTED) return;
  try {
    const c = msg.c as unknown as CompiledTreeShap;
    // x holds rows from xRow0 on: shift the row range, and the output offset back
    const shift = msg.xRow0;
    treeShapRange(c, msg.x, msg.cols, msg.lo - shift, msg.hi - shift, msg.phi, msg.cols, -shift, treeShapScratch(c));
    Atomics.store(ctrl, slot, DONE);
  } catch {
    Atomics.store(ctrl, slot, -1);
  }
  Atomics.notify(ctrl, slot);
}
