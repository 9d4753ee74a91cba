import type { Matrix } from "../util/matrix";
import type { Rng } from "../util/random";
import { BinnedMatrix, MISSING_BIN } from "./binning";

/**
 * A fitted binary tree in flat typed arrays. Node 0 is the root; a leaf has
 * `left[node] = -1`. An internal node sends x to `left` when
 * `x[feature] <= threshold`, NaN to `left` when `missingLeft` is 1.
 * `value` holds `outDim` numbers per node (class proportions for CART trees,
 * the raw leaf score for boosted trees); `cover` is the training weight that
 * reached the node (TreeSHAP uses it).
 */
export interface TreeArrays {
  nodeCount: number;
  outDim: number;
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  cover: Float64Array;
  /** Depth of the deepest node. */
  maxDepth: number;
}

/** Growable node storage used while building. @internal */
export class TreeBuilderStore {
  n = 0;
  cap: number;
  feature: Int32Array; threshold: Float64Array; missingLeft: Uint8Array; left: Int32Array; right: Int32Array; value: Float64Array; cover: Float64Array;
  maxDepth = 0;
  constructor(public outDim: number, cap = 64) {
    this.cap = cap;
    this.feature = new Int32Array(cap); this.threshold = new Float64Array(cap); this.missingLeft = new Uint8Array(cap);
    this.left = new Int32Array(cap); this.right = new Int32Array(cap); this.value = new Float64Array(cap * outDim); this.cover = new Float64Array(cap);
  }
  add(depth: number): number {
    if (this.n === this.cap) {
      const c = this.cap * 2, grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, m = 1): T => { const b = new (a.constructor as any)(c * m); b.set(a); return b; };
      this.feature = grow(this.feature); this.threshold = grow(this.threshold); this.missingLeft = grow(this.missingLeft);
      this.left = grow(this.left); this.right = grow(this.right); this.value = grow(this.value, this.outDim); this.cover = grow(this.cover);
      this.cap = c;
    }
    const id = this.n++;
    this.left[id] = -1; this.right[id] = -1; this.feature[id] = -1;
    if (depth > this.maxDepth) this.maxDepth = depth;
    return id;
  }
  finish(): TreeArrays {
    const n = this.n;
    return { nodeCount: n, outDim: this.outDim, feature: this.feature.slice(0, n), threshold: this.threshold.slice(0, n), missingLeft: this.missingLeft.slice(0, n), left: this.left.slice(0, n), right: this.right.slice(0, n), value: this.value.slice(0, n * this.outDim), cover: this.cover.slice(0, n), maxDepth: this.maxDepth };
  }
}

/** Index of the leaf row `i` of X reaches. */
export function treeLeaf(t: TreeArrays, X: Float64Array, off: number): number {
  let node = 0;
  while (t.left[node] >= 0) {
    const v = X[off + t.feature[node]];
    node = (v !== v ? t.missingLeft[node] === 1 : v <= t.threshold[node]) ? t.left[node] : t.right[node];
  }
  return node;
}

/** Tree → plain JSON. @internal */
export function treeToJSON(t: TreeArrays): object {
  return { nodeCount: t.nodeCount, outDim: t.outDim, maxDepth: t.maxDepth, feature: Array.from(t.feature), threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : null)), missingLeft: Array.from(t.missingLeft), left: Array.from(t.left), right: Array.from(t.right), value: Array.from(t.value), cover: Array.from(t.cover) };
}

/** JSON → tree. @internal */
export function treeFromJSON(o: any): TreeArrays {
  return { nodeCount: o.nodeCount, outDim: o.outDim, maxDepth: o.maxDepth, feature: Int32Array.from(o.feature), threshold: Float64Array.from(o.threshold, (v: number | null) => (v === null ? Infinity : v)), missingLeft: Uint8Array.from(o.missingLeft), left: Int32Array.from(o.left), right: Int32Array.from(o.right), value: Float64Array.from(o.value), cover: Float64Array.from(o.cover) };
}

/** Options of the CART builder. @internal */
export interface CartOptions {
  criterion: "gini" | "entropy";
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features examined per node (at least this many non-constant ones, more if no valid split is found yet). */
  maxFeatures: number;
  minImpurityDecrease: number;
}

function impurity(counts: Float64Array, off: number, k: number, w: number, entropy: boolean): number {
  if (w <= 0) return 0;
  let s = 0;
  if (entropy) {
    for (let c = 0; c < k; c++) { const q = counts[off + c] / w; if (q > 0) s -= q * Math.log2(q); }
    return s;
  }
  for (let c = 0; c < k; c++) { const q = counts[off + c] / w; s += q * q; }
  return 1 - s;
}

/**
 * Grow one CART classification tree on binned data, depth-first. `idx` lists
 * the rows in the tree's sample (rows with weight 0 are skipped by the
 * caller); `w` holds row weights (bootstrap counts × sample × class weights).
 * Leaf values are weighted class proportions.
 * @internal
 */
export function buildCart(B: BinnedMatrix, codes: Int32Array, k: number, w: Float64Array, idx: Int32Array, o: CartOptions, rng: Rng | null): TreeArrays {
  const store = new TreeBuilderStore(k, Math.max(64, idx.length >> 2));
  const p = B.p, n = B.n;
  const hist = new Float64Array(256 * k); // weighted class counts per bin
  const hcnt = new Int32Array(256); // unweighted counts per bin
  const touched = new Int32Array(256);
  const mark = new Uint8Array(256);
  const feats = new Int32Array(p);
  for (let j = 0; j < p; j++) feats[j] = j;
  const total = new Float64Array(k), leftC = new Float64Array(k), rightC = new Float64Array(k), missC = new Float64Array(k);
  const entropy = o.criterion === "entropy";
  // explicit stack: [node, start, end, depth]
  const stack: number[] = [];
  const root = store.add(0);
  stack.push(root, 0, idx.length, 0);
  while (stack.length) {
    const depth = stack.pop()!, end = stack.pop()!, start = stack.pop()!, node = stack.pop()!;
    total.fill(0);
    let wn = 0;
    for (let t = start; t < end; t++) { const i = idx[t]; total[codes[i]] += w[i]; wn += w[i]; }
    store.cover[node] = wn;
    for (let c = 0; c < k; c++) store.value[node * k + c] = wn > 0 ? total[c] / wn : 1 / k;
    const m = end - start;
    const imp = impurity(total, 0, k, wn, entropy);
    if (depth >= o.maxDepth || m < o.minSamplesSplit || m < 2 * o.minSamplesLeaf || imp <= 1e-12) continue;
    // search a split
    let bestScore = Infinity, bestF = -1, bestBin = -1, bestMissLeft = 0;
    let visited = 0;
    for (let fi = 0; fi < p; fi++) {
      if (visited >= o.maxFeatures && bestF >= 0) break;
      // draw the next feature without replacement
      if (rng) { const r = fi + Math.floor(rng.next() * (p - fi)); const tmp = feats[fi]; feats[fi] = feats[r]; feats[r] = tmp; }
      const j = feats[fi];
      const col = B.bins.subarray(j * n, (j + 1) * n);
      let nt = 0;
      for (let t = start; t < end; t++) {
        const i = idx[t], b = col[i];
        if (!mark[b]) { mark[b] = 1; touched[nt++] = b; }
        hist[b * k + codes[i]] += w[i];
        hcnt[b]++;
      }
      let hasMiss = false;
      if (mark[MISSING_BIN]) {
        hasMiss = true;
        for (let c = 0; c < k; c++) missC[c] = hist[MISSING_BIN * k + c];
      }
      const nonMiss = hasMiss ? nt - 1 : nt;
      if (nonMiss >= 2 || (nonMiss >= 1 && hasMiss)) {
        visited++;
        const tb = touched.subarray(0, nt).sort();
        // tb sorted ascending; MISSING_BIN (255) is last if present
        let missCnt = 0, missW = 0;
        if (hasMiss) { missCnt = hcnt[MISSING_BIN]; for (let c = 0; c < k; c++) missW += missC[c]; }
        for (let dir = 0; dir < (hasMiss ? 2 : 1); dir++) {
          // dir 0: missing goes right; dir 1: missing goes left
          leftC.fill(0);
          let lw = 0, lc = 0;
          if (dir === 1) { for (let c = 0; c < k; c++) leftC[c] = missC[c]; lw = missW; lc = missCnt; }
          const lastSplit = hasMiss && dir === 0 ? nonMiss : nonMiss - 1; // with missing right we may also split "all values | missing"
          for (let q = 0; q < lastSplit && q < nonMiss; q++) {
            const b = tb[q];
            for (let c = 0; c < k; c++) leftC[c] += hist[b * k + c];
            lc += hcnt[b];
            let lwq = 0;
            for (let c = 0; c < k; c++) lwq += leftC[c];
            lw = lwq;
            const rc = m - lc;
            if (lc < o.minSamplesLeaf) continue;
            if (rc < o.minSamplesLeaf) break;
            const rw = wn - lw;
            for (let c = 0; c < k; c++) rightC[c] = total[c] - leftC[c];
            const score = lw * impurity(leftC, 0, k, lw, entropy) + rw * impurity(rightC, 0, k, rw, entropy);
            if (score < bestScore - 1e-12) { bestScore = score; bestF = j; bestBin = b; bestMissLeft = dir; }
          }
        }
      }
      for (let q = 0; q < nt; q++) { const b = touched[q]; mark[b] = 0; hcnt[b] = 0; for (let c = 0; c < k; c++) hist[b * k + c] = 0; }
    }
    if (bestF < 0) continue;
    const decrease = wn * imp - bestScore; // weighted impurity decrease
    if (decrease <= 1e-12 * wn || decrease < o.minImpurityDecrease * store.cover[0]) continue;
    // partition idx[start:end]
    const col = B.bins.subarray(bestF * n, (bestF + 1) * n);
    let a = start, z = end - 1;
    const goesLeft = (b: number) => (b === MISSING_BIN ? bestMissLeft === 1 : b <= bestBin);
    while (a <= z) {
      if (goesLeft(col[idx[a]])) a++;
      else { const tmp = idx[a]; idx[a] = idx[z]; idx[z] = tmp; z--; }
    }
    const th = B.thresholds[bestF];
    store.feature[node] = bestF;
    store.threshold[node] = bestBin < th.length ? th[bestBin] : Infinity;
    store.missingLeft[node] = bestMissLeft;
    const L = store.add(depth + 1), R = store.add(depth + 1);
    store.left[node] = L; store.right[node] = R;
    stack.push(R, a, end, depth + 1);
    stack.push(L, start, a, depth + 1);
  }
  return store.finish();
}

/** Make a Matrix n × p of zeros for SHAP output. @internal */
export function shapMatrix(n: number, p: number, columns?: string[]): Matrix {
  return { data: new Float64Array(n * p), rows: n, cols: p, columns };
}
