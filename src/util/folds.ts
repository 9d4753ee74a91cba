/**
 * Seeded fold splitting for cross-validation and out-of-fold scoring. A
 * low-level file so that capability folders left of `eval` (e.g. `text`'s
 * out-of-fold review scoring) can split folds without importing `eval`;
 * `src/eval/cv.ts` re-exports both functions.
 * @module
 */
import { CustlabError } from "./errors";
import { createRng, Rng } from "./random";

/**
 * Stratified k-fold assignment: rows of each class are shuffled (seeded) and
 * dealt to folds in turn, so every fold keeps the class balance and fold
 * sizes differ by at most one per class.
 *
 * @param y - class labels (any numbers)
 * @param k - number of folds (default 5)
 * @param seed - shuffling seed (default 42)
 * @returns fold id (0..k-1) per row
 * @example
 * const fold = stratifiedKFold(y, 5, 42);
 * const { train, test } = foldSplit(fold, 0);
 */
export function stratifiedKFold(y: ArrayLike<number>, k = 5, seed = 42): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new CustlabError("E_OPTION", `stratifiedKFold: k must be an integer ≥ 2, got ${k}`);
  if (y.length < k) throw new CustlabError("E_OPTION", `stratifiedKFold: ${y.length} rows cannot be split into ${k} folds`);
  const rng = createRng(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) { const g = groups.get(y[i]); if (g) g.push(i); else groups.set(y[i], [i]); }
  const fold = new Int32Array(y.length);
  let offset = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const g = rng.shuffle(groups.get(key)!);
    for (let t = 0; t < g.length; t++) fold[g[t]] = (offset + t) % k;
    offset = (offset + g.length) % k;
  }
  return fold;
}

/** Train and test row indices of fold `f`.
 * @example const { train, test } = foldSplit(stratifiedKFold(y, 5, 42), 0);
 */
export function foldSplit(fold: ArrayLike<number>, f: number): { train: Int32Array; test: Int32Array } {
  const tr: number[] = [], te: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === f ? te : tr).push(i);
  return { train: Int32Array.from(tr), test: Int32Array.from(te) };
}

/**
 * Stratified train/validation holdout (for early stopping): the rows of each
 * class code 0..k-1 are shuffled with `rng` and the first
 * round(size × fraction) go to validation. With `keepOneForTraining` each
 * class keeps at least one training row. Both index lists are sorted.
 *
 * @param codes - class code per row (0..k-1)
 * @param k - number of classes
 * @param fraction - share of each class held out
 * @param rng - seeded generator (advanced by one shuffle per class)
 * @example
 * const { train, validation } = stratifiedHoldout(codes, 2, 0.1, createRng(42));
 */
export function stratifiedHoldout(codes: ArrayLike<number>, k: number, fraction: number, rng: Rng, keepOneForTraining = false): { train: Int32Array; validation: Int32Array } {
  const n = codes.length;
  const tr: number[] = [], va: number[] = [];
  for (let c = 0; c < k; c++) {
    const g: number[] = [];
    for (let i = 0; i < n; i++) if (codes[i] === c) g.push(i);
    rng.shuffle(g);
    const want = Math.round(g.length * fraction);
    const nv = keepOneForTraining ? Math.min(g.length - 1, want) : want;
    for (let j = 0; j < g.length; j++) (j < nv ? va : tr).push(g[j]); // no spread: groups can hold millions of rows
  }
  return { train: Int32Array.from(tr.sort((a, b) => a - b)), validation: Int32Array.from(va.sort((a, b) => a - b)) };
}
