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
  let nte = 0;
  for (let i = 0; i < fold.length; i++) if (fold[i] === f) nte++;
  const tr = new Int32Array(fold.length - nte), te = new Int32Array(nte);
  for (let i = 0, a = 0, b = 0; i < fold.length; i++) { if (fold[i] === f) te[b++] = i; else tr[a++] = i; }
  return { train: tr, test: te };
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
  // typed arrays throughout (no spread, no number[] of n rows): groups can hold millions of rows
  const size = new Int32Array(k);
  for (let i = 0; i < n; i++) { const c = codes[i]; if (c >= 0 && c < k && Number.isInteger(c)) size[c]++; }
  const want = Array.from(size, (s) => (keepOneForTraining ? Math.min(s - 1, Math.round(s * fraction)) : Math.round(s * fraction)));
  let nva = 0, ntr = 0;
  for (let c = 0; c < k; c++) { const nv = Math.max(0, want[c]); nva += nv; ntr += size[c] - nv; }
  const tr = new Int32Array(ntr), va = new Int32Array(nva);
  let a = 0, b = 0;
  for (let c = 0; c < k; c++) {
    const g = new Int32Array(size[c]);
    for (let i = 0, t = 0; i < n; i++) if (codes[i] === c) g[t++] = i;
    rng.shuffle(g);
    const nv = Math.max(0, want[c]);
    for (let j = 0; j < g.length; j++) { if (j < nv) va[a++] = g[j]; else tr[b++] = g[j]; }
  }
  return { train: tr.sort(), validation: va.sort() };
}
