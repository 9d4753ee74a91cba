import type { TreeArrays } from "./tree-core";

/**
 * Path-dependent TreeSHAP (Lundberg et al. 2018, "Consistent individualized
 * feature attribution for tree ensembles", Algorithm 2) compiled for many rows.
 *
 * Algorithm 2 walks a tree once per row, extending and unwinding the "path"
 * of unique features with their zero fractions z (share of the training cover
 * that follows the branch) and one fractions o (1 when the row follows it).
 * At a leaf, each feature's share is a function of the leaf value and of the
 * (z, o) pairs of the unique features on the root→leaf path only. Since o is
 * 0 or 1, a leaf whose path has d unique features has only 2^d possible
 * outcomes: for the leaves where that is worth it (2^d ≤ rows to explain,
 * within a memory budget) the d contributions of every outcome are tabulated
 * once, and a row then costs one pass over the tree's nodes (the bit mask of
 * followed branches is carried from parent to child) plus d additions per
 * leaf. The other leaves apply Algorithm 2's leaf step directly (O(d²)).
 *
 * Features are ordered on a path by their first appearance, so a node's bit
 * is the same for every leaf under it; a feature that repeats on a path keeps
 * its first position, with z the product of its branches' fractions and o the
 * AND of its branch tests, as Algorithm 2's unwind-and-extend does.
 *
 * Everything lives in flat typed arrays (one compiled ensemble is a handful of
 * buffers), so worker threads can share it (src/explain runs row blocks on
 * several threads).
 * @module
 */

/** Leaves with more unique features on their path than this use the generic leaf step (bit masks are 32-bit). */
const MAX_MASK_D = 30;
/** Largest tabulated leaf (2^d outcomes × d values). */
const MAX_TABLE_D = 16;

/** A tree ensemble compiled for {@link treeShapRange}: all trees' nodes in one set of flat arrays. @internal */
export interface CompiledTreeShap {
  /** Number of trees. */
  nTrees: number;
  /** Node range of tree t: [treeStart[t], treeStart[t + 1]). Children always come after their parent. */
  treeStart: Int32Array;
  /** Split feature of an internal node (−1 on leaves). */
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  /** Children as offsets inside the tree (−1 on leaves). */
  left: Int32Array;
  right: Int32Array;
  /** 1 << (the node feature's position on its path), 0 when that position is past {@link MAX_MASK_D}. */
  bit: Int32Array;
  /** Position of the node's feature on its path (internal nodes), the leaf's number of unique features d (leaves). */
  pos: Int32Array;
  /** Parent node (global index), −1 at a root. */
  parent: Int32Array;
  /** Leaves: first index of the leaf's unique features in `elemFeature` / `elemZ`. */
  elemOff: Int32Array;
  elemFeature: Int32Array;
  elemZ: Float64Array;
  /** Leaves: value × scale of the explained output. */
  leafValue: Float64Array;
  /** Leaves: offset of the leaf's table in `table` (2^d rows of d contributions), −1 when not tabulated. */
  tableOff: Int32Array;
  table: Float64Array;
  /** Shapley weights by d ({@link shapleyWeights}). */
  weights: Float64Array;
  /** Largest d over all leaves. */
  maxD: number;
  /** Largest tree (nodes). */
  maxNodes: number;
  /** Cover-weighted mean of the summed (scaled) leaf values: the expected output without any baseline. */
  expectedValue: number;
}

/** Options for {@link compileTreeShap}. @internal */
export interface CompileTreeShapOptions {
  /** Output column of the leaf values (class index for CART trees; 0 for boosted trees). */
  out?: number;
  /** Multiplier of every leaf value (1/T for a forest average). */
  scale?: number;
  /** Rows the compiled ensemble will explain: a leaf is tabulated only when 2^d ≤ this (default 1: none). */
  rows?: number;
  /** Most numbers kept in leaf tables (default 4M = 32 MB). */
  tableBudget?: number;
}

/**
 * Scratch space of one thread for {@link treeShapRange}.
 * @internal
 */
export interface TreeShapScratch {
  mask: Int32Array;
  dir: Uint8Array;
  pw: Float64Array;
  z: Float64Array;
  o: Float64Array;
  contrib: Float64Array;
}

/** Scratch buffers sized for a compiled ensemble. @internal */
export function treeShapScratch(c: CompiledTreeShap): TreeShapScratch {
  const D = c.maxD + 2;
  return { mask: new Int32Array(Math.max(1, c.maxNodes)), dir: new Uint8Array(Math.max(1, c.maxNodes)), pw: new Float64Array(D), z: new Float64Array(D), o: new Float64Array(D), contrib: new Float64Array(D) };
}

/**
 * The contributions of one leaf's d unique path features (Algorithm 2's leaf
 * step, in closed form), written to `contrib[0..d)`.
 *
 * With zero fractions z and one fractions o ∈ {0, 1}, the leaf adds
 * φ_e = (o_e − z_e) · v · Σ_k w_k [t^k] Π_{j≠e} (z_j + o_j t), w_k = k!(d−1−k)!/d!.
 * Writing P(t) = C · H(t) with C = Π_{cold} z_j and H = Π_{hot} (z_j + t):
 * every cold feature (o = 0) adds the same −v · C · Σ_k w_k H_k, and a hot one
 * adds (1 − z_e) · v · C · Σ_k w_k [t^k] H(t)/(z_e + t) — O(h²) for h hot
 * features instead of O(d²).
 * `W` holds w for this d (W[wOff + k]); `H` needs d + 1 slots.
 * @internal
 */
export function leafContributions(d: number, z: Float64Array, o: Float64Array, v: number, W: Float64Array, wOff: number, H: Float64Array, contrib: Float64Array): void {
  let C = 1, h = 0;
  H[0] = 1;
  for (let e = 0; e < d; e++) {
    const ze = z[e];
    if (o[e] === 0) { C *= ze; continue; }
    // H ← H · (ze + t)
    H[h + 1] = H[h];
    for (let k = h; k > 0; k--) H[k] = H[k - 1] + ze * H[k];
    H[0] *= ze;
    h++;
  }
  if (C === 0) { for (let e = 0; e < d; e++) contrib[e] = 0; return; }
  const vc = v * C;
  let cold = 0;
  if (h < d) {
    for (let k = 0; k <= h; k++) cold += W[wOff + k] * H[k];
    cold = -vc * cold;
  }
  for (let e = 0; e < d; e++) {
    if (o[e] === 0) { contrib[e] = cold; continue; }
    const ze = z[e];
    // q = H / (ze + t), by synthetic division from the top
    let qk = H[h], s = W[wOff + h - 1] * qk;
    for (let k = h - 1; k > 0; k--) { qk = H[k] - ze * qk; s += W[wOff + k - 1] * qk; }
    contrib[e] = (1 - ze) * vc * s;
  }
}

/** Shapley weights w_k = k!(d−1−k)!/d! for d = 1..maxD, d's at offset d(d−1)/2. @internal */
export function shapleyWeights(maxD: number): Float64Array {
  const W = new Float64Array(Math.max(1, (maxD * (maxD + 1)) / 2));
  for (let d = 1; d <= maxD; d++) {
    const off = (d * (d - 1)) / 2;
    let w = 1 / d;
    for (let k = 0; k < d; k++) { W[off + k] = w; w = (w * (k + 1)) / (d - 1 - k); }
  }
  return W;
}

/**
 * Compile trees (all explaining the same output, summed) for
 * {@link treeShapRange}. `expectedValue` is Σ scale × cover-weighted leaf mean.
 * @internal
 */
export function compileTreeShap(trees: TreeArrays[], options: CompileTreeShapOptions = {}): CompiledTreeShap {
  const out = options.out ?? 0, scale = options.scale ?? 1, rows = options.rows ?? 1;
  let N = 0, maxNodes = 0;
  for (const t of trees) { N += t.nodeCount; if (t.nodeCount > maxNodes) maxNodes = t.nodeCount; }
  const treeStart = new Int32Array(trees.length + 1);
  const feature = new Int32Array(N).fill(-1), threshold = new Float64Array(N), missingLeft = new Uint8Array(N);
  const left = new Int32Array(N).fill(-1), right = new Int32Array(N).fill(-1), bit = new Int32Array(N), pos = new Int32Array(N), parent = new Int32Array(N).fill(-1);
  const elemOff = new Int32Array(N).fill(-1), leafValue = new Float64Array(N), tableOff = new Int32Array(N).fill(-1);
  // unique-feature lists of every leaf, built by one walk per tree
  let elemFeature = new Int32Array(Math.max(16, 4 * N)), elemZ = new Float64Array(Math.max(16, 4 * N));
  let nElem = 0, maxD = 0, expectedValue = 0;
  const pathF: number[] = [], pathZ: number[] = [];
  const grow32 = (a: Int32Array) => { const b = new Int32Array(2 * a.length); b.set(a); return b; };
  let fNode = new Int32Array(64), fP = new Int32Array(64), fNew = new Int32Array(64), fZOld = new Float64Array(64);
  for (let ti = 0, g = 0; ti < trees.length; ti++) {
    const t = trees[ti];
    treeStart[ti] = g;
    // renumber the tree's nodes in preorder so that children follow parents and the layout is compact
    const order = new Int32Array(t.nodeCount), local = new Int32Array(t.nodeCount).fill(-1);
    let k = 0;
    const stack = new Int32Array(t.nodeCount + 1);
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const nd = stack[--sp];
      local[nd] = k; order[k++] = nd;
      if (t.left[nd] >= 0) { stack[sp++] = t.right[nd]; stack[sp++] = t.left[nd]; }
    }
    for (let q = 0; q < k; q++) {
      const nd = order[q], gi = g + q;
      if (t.left[nd] >= 0) {
        feature[gi] = t.feature[nd]; threshold[gi] = t.threshold[nd]; missingLeft[gi] = t.missingLeft[nd];
        left[gi] = local[t.left[nd]]; right[gi] = local[t.right[nd]];
        parent[g + local[t.left[nd]]] = gi; parent[g + local[t.right[nd]]] = gi;
      } else leafValue[gi] = t.value[nd * t.outDim + out] * scale;
    }
    const root = t.cover[0];
    if (root > 0) for (let nd = 0; nd < t.nodeCount; nd++) if (t.left[nd] < 0) expectedValue += scale * (t.cover[nd] / root) * t.value[nd * t.outDim + out];
    // preorder walk carrying the path's unique features (first appearance) and their z products
    let top = 0;
    for (let q = 0; q < k; q++) {
      const nd = order[q], gi = g + q, pl = parent[gi] < 0 ? -1 : parent[gi] - g;
      while (top > 0 && fNode[top - 1] !== pl) {
        top--;
        pathZ[fP[top]] = fZOld[top];
        if (fNew[top]) { pathF.pop(); pathZ.pop(); }
      }
      if (top > 0) { const pn = order[pl], w = t.cover[pn]; pathZ[fP[top - 1]] = fZOld[top - 1] * (w > 0 ? t.cover[nd] / w : 0); }
      if (t.left[nd] < 0) {
        const d = pathF.length;
        if (nElem + d > elemFeature.length) {
          const grow = Math.max(2 * elemFeature.length, nElem + d);
          const f2 = new Int32Array(grow); f2.set(elemFeature); elemFeature = f2;
          const z2 = new Float64Array(grow); z2.set(elemZ); elemZ = z2;
        }
        elemOff[gi] = nElem; pos[gi] = d;
        for (let e = 0; e < d; e++) { elemFeature[nElem + e] = pathF[e]; elemZ[nElem + e] = pathZ[e]; }
        nElem += d;
        if (d > maxD) maxD = d;
        continue;
      }
      const f = t.feature[nd];
      let p = pathF.indexOf(f);
      const isNew = p < 0;
      if (isNew) { p = pathF.length; pathF.push(f); pathZ.push(1); }
      pos[gi] = p; bit[gi] = p < MAX_MASK_D ? 1 << p : 0;
      if (top === fNode.length) { fNode = grow32(fNode); fP = grow32(fP); fNew = grow32(fNew); const z2 = new Float64Array(2 * fZOld.length); z2.set(fZOld); fZOld = z2; }
      fNode[top] = q; fP[top] = p; fNew[top] = isNew ? 1 : 0; fZOld[top] = pathZ[p]; top++;
    }
    pathF.length = 0; pathZ.length = 0;
    g += k;
    treeStart[ti + 1] = g;
  }
  // tabulate the leaves where 2^d outcomes are well below the rows, smallest d first within the budget;
  // each tree's tables are laid out together (rows are explained tree by tree over blocks of rows)
  const budget = options.tableBudget ?? 4 * 1024 * 1024;
  const byD = new Int32Array(MAX_TABLE_D + 2);
  for (let gi = 0; gi < N; gi++) if (left[gi] < 0) { const d = pos[gi]; if (d > 0 && d <= MAX_TABLE_D && 4 * (1 << d) <= rows) byD[d] += (1 << d) * d; }
  let dMax = 0, used = 0;
  for (let d = 1; d <= MAX_TABLE_D && used + byD[d] <= budget; d++) { used += byD[d]; if (byD[d] > 0) dMax = d; }
  used = 0;
  for (let gi = 0; gi < N; gi++) if (left[gi] < 0) { const d = pos[gi]; if (d > 0 && d <= dMax && 4 * (1 << d) <= rows) { tableOff[gi] = used; used += (1 << d) * d; } }
  const table = new Float64Array(Math.max(1, used));
  const D = maxD + 2;
  const pw = new Float64Array(D), z = new Float64Array(D), o = new Float64Array(D), contrib = new Float64Array(D);
  const W = shapleyWeights(maxD);
  for (let gi = 0; gi < N; gi++) {
    const off = tableOff[gi];
    if (off < 0) continue;
    const d = pos[gi], eo = elemOff[gi];
    for (let e = 0; e < d; e++) z[e] = elemZ[eo + e];
    for (let m = 0; m < 1 << d; m++) {
      for (let e = 0; e < d; e++) o[e] = (m >>> e) & 1;
      leafContributions(d, z, o, leafValue[gi], W, (d * (d - 1)) / 2, pw, contrib);
      const base = off + m * d;
      for (let e = 0; e < d; e++) table[base + e] = contrib[e];
    }
  }
  return {
    nTrees: trees.length, treeStart, feature, threshold, missingLeft, left, right, bit, pos, parent,
    elemOff, elemFeature: elemFeature.slice(0, Math.max(1, nElem)), elemZ: elemZ.slice(0, Math.max(1, nElem)), leafValue, tableOff, table,
    maxD, maxNodes, expectedValue, weights: W,
  };
}

/**
 * Add the TreeSHAP values of rows [lo, hi) of the row-major matrix `x`
 * (`cols` columns) to `phi` (row i at `(i − phiRow0) · p`, p = `phiCols`).
 * @internal
 */
export function treeShapRange(c: CompiledTreeShap, x: Float64Array, cols: number, lo: number, hi: number, phi: Float64Array, phiCols: number, phiRow0: number, s: TreeShapScratch): void {
  // blocks of rows, tree by tree: one tree's nodes and tables stay in cache while a block's rows pass
  for (let b0 = lo; b0 < hi; b0 += ROW_BLOCK) {
    const b1 = Math.min(hi, b0 + ROW_BLOCK);
    for (let t = 0; t < c.nTrees; t++) treeShapBlock(c, t, x, cols, b0, b1, phi, phiCols, phiRow0, s);
  }
}

/** Rows per block in {@link treeShapRange}. */
const ROW_BLOCK = 128;

function treeShapBlock(c: CompiledTreeShap, t: number, x: Float64Array, cols: number, lo: number, hi: number, phi: Float64Array, phiCols: number, phiRow0: number, s: TreeShapScratch): void {
  const { feature, threshold, missingLeft, left, right, bit, pos, elemOff, elemFeature, elemZ, leafValue, tableOff, table } = c;
  const mask = s.mask, dir = s.dir;
  const g0 = c.treeStart[t], g1 = c.treeStart[t + 1];
  for (let i = lo; i < hi; i++) {
    const xo = i * cols, po = (i - phiRow0) * phiCols;
    {
      mask[0] = -1;
      for (let gi = g0; gi < g1; gi++) {
        const li = gi - g0, m = mask[li];
        const L = left[gi];
        if (L >= 0) {
          const v = x[xo + feature[gi]];
          const goLeft = v !== v ? missingLeft[gi] === 1 : v <= threshold[gi];
          const b = bit[gi];
          if (goLeft) { mask[L] = m; mask[right[gi]] = m & ~b; dir[li] = 1; }
          else { mask[L] = m & ~b; mask[right[gi]] = m; dir[li] = 0; }
          continue;
        }
        const d = pos[gi];
        if (d === 0) continue;
        const eo = elemOff[gi], off = tableOff[gi];
        if (off >= 0) {
          const base = off + (m & ((1 << d) - 1)) * d;
          for (let e = 0; e < d; e++) phi[po + elemFeature[eo + e]] += table[base + e];
          continue;
        }
        for (let e = 0; e < d; e++) s.z[e] = elemZ[eo + e];
        if (d <= MAX_MASK_D) for (let e = 0; e < d; e++) s.o[e] = (m >>> e) & 1;
        else {
          // deep path: recover each feature's one fraction from the branch tests on the path
          for (let e = 0; e < d; e++) s.o[e] = 1;
          let child = gi;
          for (let par = c.parent[gi]; par >= 0; child = par, par = c.parent[par]) {
            const wentLeft = left[par] === child - g0 ? 1 : 0;
            if (dir[par - g0] !== wentLeft) s.o[pos[par]] = 0;
          }
        }
        leafContributions(d, s.z, s.o, leafValue[gi], c.weights, (d * (d - 1)) / 2, s.pw, s.contrib);
        for (let e = 0; e < d; e++) phi[po + elemFeature[eo + e]] += s.contrib[e];
      }
    }
  }
}
