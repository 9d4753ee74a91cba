import { CustlabError } from "../util/errors";
import { createRng } from "../util/random";
import { ProgressCallback } from "../util/progress";
import { Baskets, numBaskets } from "./baskets";

/**
 * Frequent itemsets with their support counts, stored flat and indexed by a
 * prefix trie so that the support of any frequent itemset (every subset of a
 * frequent itemset is frequent) is found in O(length · log(branching)).
 *
 * Itemset `i` holds the item ids `items[offsets[i] .. offsets[i+1])`, listed
 * in *rank* order (rank = position of the item when frequent items are sorted
 * by ascending support). The first `rootCount` itemsets are the frequent
 * single items; the children of itemset `i` (itemsets that extend it by one
 * item of higher rank) are `childStart[i] .. childStart[i] + childCount[i]`,
 * sorted by `lastRank`.
 */
export interface FrequentItemsets {
  /** Number of baskets mined (the support denominator). */
  numTransactions: number;
  /** Item label per item id. */
  itemNames: string[];
  /** Support threshold used. */
  minSupport: number;
  /** The same threshold as a basket count: ceil(minSupport · numTransactions). */
  minCount: number;
  /** Largest itemset size mined. */
  maxLen: number;
  /** Itemset boundaries (length = number of itemsets + 1). */
  offsets: Int32Array;
  /** Item ids of all itemsets, concatenated (rank order within an itemset). */
  items: Int32Array;
  /** Support count (number of baskets containing the itemset). */
  counts: Int32Array;
  /** Rank of the last item of each itemset (the trie edge label). */
  lastRank: Int32Array;
  /** First child of each itemset in the trie. */
  childStart: Int32Array;
  /** Number of children of each itemset in the trie. */
  childCount: Int32Array;
  /** Number of frequent single items (the trie's first level: itemsets 0 .. rootCount-1). */
  rootCount: number;
  /** Rank of each item id; -1 for infrequent items. */
  rank: Int32Array;
  /** Item id of each rank. */
  itemOfRank: Int32Array;
  /** Seconds spent mining. */
  seconds: number;
  /** Peak bytes of the miner's typed scratch arrays (reduced database, pair matrix, per-depth arenas), for memory reporting. */
  scratchBytes: number;
}

/** Options for {@link frequentItemsets}. */
export interface FrequentItemsetOptions {
  /** Minimum support, a fraction of baskets in (0, 1] (default 0.01). An itemset is frequent when count ≥ ceil(minSupport · baskets). */
  minSupport?: number;
  /** Largest itemset size (default 10, as R arules' apriori). */
  maxLen?: number;
  /**
   * Safety cap on the number of itemsets (default 10,000,000). Before mining, a dense core of
   * items that occur together in enough baskets gives a lower bound on the count (every
   * combination of the core is frequent); when that bound is over the cap the call is refused at
   * once with the estimate and a minSupport / maxLen that would fit. Mining that still passes the
   * cap stops with the same kind of CustlabError.
   */
  maxItemsets?: number;
  /** Progress over the frequent single items (stage "itemsets"). */
  onProgress?: ProgressCallback;
}

class Grow {
  a: Int32Array;
  n = 0;
  constructor(cap = 1024) { this.a = new Int32Array(cap); }
  push(v: number): void {
    if (this.n === this.a.length) { const g = new Int32Array(this.a.length * 2); g.set(this.a); this.a = g; }
    this.a[this.n++] = v;
  }
  ensure(n: number): void {
    if (n > this.a.length) { let c = this.a.length; while (c < n) c *= 2; const g = new Int32Array(c); g.set(this.a); this.a = g; }
  }
  done(): Int32Array { return this.a.slice(0, this.n); }
}

/** Σ_{k=1..min(m, L)} C(m, k): how many itemsets all subsets of an m-item core make, up to size L. */
function subsetsUpTo(m: number, L: number): number {
  let c = 1, sum = 0;
  for (let k = 1; k <= Math.min(m, L); k++) { c = (c * (m - k + 1)) / k; sum += c; }
  return sum;
}

/** Whether basket t (ranks sorted ascending in hItems[hOff[t]..hOff[t+1])) holds rank x. */
function holds(hOff: Int32Array, hItems: Int32Array, t: number, x: number): boolean {
  let lo = hOff[t], hi = hOff[t + 1] - 1;
  while (lo <= hi) { const mid = (lo + hi) >> 1, v = hItems[mid]; if (v === x) return true; if (v < x) lo = mid + 1; else hi = mid - 1; }
  return false;
}

/**
 * Itemset explosion predicted before mining, two ways:
 * - a dense core, grown greedily (the item most frequent among the baskets holding the whole core,
 *   while it stays frequent): every subset of a frequent core is frequent, so Σ C(m, k) over
 *   k ≤ maxLen is a lower bound on the output;
 * - Knuth's estimator of a search tree's size (random root-to-leaf walks through the same
 *   enumeration tree the miner walks, each adding the product of the branching factors met), an
 *   unbiased estimate of the number of frequent itemsets, from 200 seeded walks.
 * When the bound, or the estimate with a 2× margin, is over the cap: a one-line CustlabError with
 * the estimate and a minSupport / maxLen that would fit. Cost: well under a second on dense files
 * (each walk step scans only the baskets that hold the walk's itemset).
 */
function refuseExplosion(hOff: Int32Array, hItems: Int32Array, N: number, F: number, minCount: number, minSupport: number, maxLen: number, cap: number): void {
  if (F < 2 || maxLen < 2) return;
  const byRank: number[][] = Array.from({ length: F }, () => []);
  for (let t = 0; t < N; t++) for (let p = hOff[t]; p < hOff[t + 1]; p++) byRank[hItems[p]].push(t);
  const first = estimateItemsets(hOff, hItems, byRank, N, F, minCount, maxLen);
  const over = (e: ItemsetEstimate) => e.bound > cap || e.estimate > 2 * cap;
  if (!over(first)) return;
  // hints: the longest itemset whose estimated count fits, and a support at which the estimate fits
  let lFit = 0, acc = 0;
  while (lFit + 1 <= maxLen && acc + first.perLevel[lFit + 1] <= cap && subsetsUpTo(first.core, lFit + 1) <= cap) { acc += first.perLevel[lFit + 1]; lFit++; }
  let supportHint: number | null = null;
  for (let c = minCount * 2, j = 0; c <= N && j < 16; c *= 2, j++) {
    const e = estimateItemsets(hOff, hItems, byRank, N, F, c, maxLen);
    if (e.bound <= cap && e.estimate <= cap) { supportHint = c / N; break; }
  }
  const fmt = (x: number) => (x >= 1e15 ? x.toExponential(1) : Math.round(x).toLocaleString("en-US"));
  const why = first.bound > cap
    ? `at least ${fmt(Math.max(first.bound, first.estimate))}: ${first.core} items occur together in ${first.coreBaskets} of ${N} baskets, so every combination of them is frequent`
    : `about ${fmt(first.estimate)} by sampling the search tree`;
  const hints = [supportHint !== null ? `raise the minimum support (--min-support ${+supportHint.toPrecision(2)})` : "raise the minimum support (--min-support)", lFit >= 1 && lFit < maxLen ? `lower the longest itemset (--max-len ${lFit})` : ""].filter(Boolean);
  throw new CustlabError("E_TOO_MANY", `itemset explosion predicted before mining: ${why} (minSupport ${minSupport}, maxLen ${maxLen}, limit ${fmt(cap)}). ${hints.join(" or ").replace(/^r/, "R")}`);
}

interface ItemsetEstimate { bound: number; estimate: number; perLevel: Float64Array; core: number; coreBaskets: number }

function estimateItemsets(hOff: Int32Array, hItems: Int32Array, byRank: number[][], N: number, F: number, minCount: number, maxLen: number): ItemsetEstimate {
  const cnt = new Int32Array(F);
  // 1. dense core
  let T = new Int32Array(N);
  for (let t = 0; t < N; t++) T[t] = t;
  let nT = N;
  const inCore = new Uint8Array(F);
  let core = 0;
  while (core < 64) {
    for (let i = 0; i < nT; i++) { const t = T[i]; for (let p = hOff[t]; p < hOff[t + 1]; p++) cnt[hItems[p]]++; }
    let best = -1;
    for (let r = 0; r < F; r++) { if (!inCore[r] && cnt[r] >= minCount && (best < 0 || cnt[r] > cnt[best])) best = r; }
    cnt.fill(0);
    if (best < 0) break;
    inCore[best] = 1;
    let w = 0;
    for (let i = 0; i < nT; i++) if (holds(hOff, hItems, T[i], best)) T[w++] = T[i];
    nT = w;
    core++;
  }
  // 2. Knuth's estimator over the enumeration tree (children of an itemset: its frequent extensions by higher ranks)
  const roots: number[] = [];
  for (let r = 0; r < F; r++) if (byRank[r].length >= minCount) roots.push(r);
  const perLevel = new Float64Array(maxLen + 1);
  if (!roots.length) return { bound: 0, estimate: 0, perLevel, core, coreBaskets: nT };
  const rng = createRng(42);
  const walks = 200;
  const kids: number[] = [];
  for (let w = 0; w < walks; w++) {
    let r = roots[rng.int(roots.length)];
    let tids = byRank[r];
    let path = roots.length;
    perLevel[1] += path;
    for (let depth = 1; depth < maxLen; depth++) {
      for (const t of tids) for (let p = hOff[t + 1] - 1; p >= hOff[t] && hItems[p] > r; p--) cnt[hItems[p]]++;
      kids.length = 0;
      for (let x = r + 1; x < F; x++) { if (cnt[x] >= minCount) kids.push(x); cnt[x] = 0; }
      if (!kids.length) break;
      path *= kids.length;
      perLevel[depth + 1] += path;
      r = kids[rng.int(kids.length)];
      tids = tids.filter((t) => holds(hOff, hItems, t, r));
    }
  }
  let estimate = 0;
  for (let l = 1; l <= maxLen; l++) { perLevel[l] /= walks; estimate += perLevel[l]; }
  return { bound: subsetsUpTo(core, maxLen), estimate, perLevel, core, coreBaskets: nT };
}

/**
 * Mine all frequent itemsets (support ≥ minSupport, size ≤ maxLen) with a
 * depth-first projection miner in the style of LCM / FP-growth:
 * - items are ranked by ascending support and every basket is re-coded as the
 *   sorted ranks of its frequent items (CSR typed arrays);
 * - all pairs are counted in one pass into an F×F matrix (F = frequent items,
 *   up to 3,000), so each single item's conditional database keeps only its
 *   frequent partners;
 * - an itemset's conditional database holds the baskets that contain it,
 *   each cut to the items of higher rank that are frequent together with it
 *   (database reduction); one pass counts the extensions, a second delivers
 *   the occurrences of each frequent extension, and each child's reduced
 *   database is built in a per-depth arena before recursing.
 * The work is proportional to the size of the reduced databases, not to
 * candidate pairs × bitset width as in plain Eclat (`bench/rules.ts` measures
 * both reference Eclat variants against it). Memory is the pair matrix plus
 * O(maxLen × occurrences) typed scratch (`scratchBytes`).
 *
 * @example
 * const fi = frequentItemsets(loadBasketFile("groceries.csv"), { minSupport: 0.001 });
 * fi.counts.length; // 13,492 itemsets
 */
export function frequentItemsets(b: Baskets, o: FrequentItemsetOptions = {}): FrequentItemsets {
  const t0 = performance.now();
  const minSupport = o.minSupport ?? 0.01;
  const maxLen = o.maxLen ?? 10;
  const maxItemsets = o.maxItemsets ?? 10_000_000;
  if (!(minSupport > 0 && minSupport <= 1)) throw new CustlabError("E_OPTION", `option minSupport: expected a fraction in (0, 1], got ${minSupport}`);
  if (!(Number.isInteger(maxLen) && maxLen >= 1)) throw new CustlabError("E_OPTION", `option maxLen: expected an integer ≥ 1, got ${maxLen}`);
  const N = numBaskets(b);
  if (N === 0) throw new CustlabError("E_EMPTY", "no baskets to mine");
  const minCount = Math.max(1, Math.ceil(minSupport * N - 1e-9));
  const nItems = b.itemNames.length;

  // 1. item supports and ranks (ascending support, ties by item id)
  const itemCount = new Int32Array(nItems);
  for (let k = 0; k < b.items.length; k++) itemCount[b.items[k]]++;
  const freq: number[] = [];
  for (let i = 0; i < nItems; i++) if (itemCount[i] >= minCount) freq.push(i);
  freq.sort((x, y) => itemCount[x] - itemCount[y] || x - y);
  const F = freq.length;
  const rank = new Int32Array(nItems).fill(-1);
  const itemOfRank = Int32Array.from(freq);
  for (let r = 0; r < F; r++) rank[freq[r]] = r;

  // 2. horizontal database in ranks (frequent items only), sorted ascending per basket
  const hOff = new Int32Array(N + 1);
  for (let t = 0; t < N; t++) {
    let c = 0;
    for (let k = b.offsets[t]; k < b.offsets[t + 1]; k++) if (rank[b.items[k]] >= 0) c++;
    hOff[t + 1] = hOff[t] + c;
  }
  const hItems = new Int32Array(hOff[N]);
  for (let t = 0; t < N; t++) {
    let p = hOff[t];
    for (let k = b.offsets[t]; k < b.offsets[t + 1]; k++) { const r = rank[b.items[k]]; if (r >= 0) hItems[p++] = r; }
    hItems.subarray(hOff[t], p).sort();
  }
  const totalOcc = hOff[N];
  refuseExplosion(hOff, hItems, N, F, minCount, minSupport, maxLen, maxItemsets);

  // output
  const outOff = new Grow(); outOff.push(0);
  const outItems = new Grow();
  const outCount = new Grow();
  const outLast = new Grow();
  const childStart = new Grow();
  const childCount = new Grow();
  let nSets = 0;
  const emit = (parent: number, r: number, count: number): number => {
    if (nSets >= maxItemsets) throw new CustlabError("E_TOO_MANY", `more than ${maxItemsets.toLocaleString("en-US")} frequent itemsets at minSupport ${minSupport} and maxLen ${maxLen}: raise the minimum support (--min-support) or lower the longest itemset (--max-len)`);
    if (parent >= 0) {
      const s = outOff.a[parent], e = outOff.a[parent + 1];
      for (let k = s; k < e; k++) outItems.push(outItems.a[k]);
    }
    outItems.push(itemOfRank[r]);
    outOff.push(outItems.n);
    outCount.push(count);
    outLast.push(r);
    childStart.push(0);
    childCount.push(0);
    return nSets++;
  };

  const cnt = new Int32Array(F);
  // Per-depth scratch, grown on demand: kid marks, occurrence lists (db position of the kid item,
  // transaction end) and the conditional database of the child being expanded.
  const marks: Int32Array[] = [], slots: Int32Array[] = [];
  const occPos: Int32Array[] = [], occEnd: Int32Array[] = [];
  const dbOff: Int32Array[] = [], dbItems: Int32Array[] = [];
  const grow = (arr: Int32Array[], d: number, need: number): Int32Array => {
    while (arr.length <= d) arr.push(new Int32Array(0));
    if (arr[d].length < need) { scratch -= arr[d].byteLength; arr[d] = new Int32Array(Math.max(need, Math.ceil(arr[d].length * 1.5), 64)); scratch += arr[d].byteLength; }
    return arr[d];
  };
  let stampSeq = 0;
  let scratch = hOff.byteLength + hItems.byteLength + 2 * cnt.byteLength;

  /**
   * Expand itemset `node` of size `size` whose conditional database (baskets containing it, each
   * reduced to the items of higher rank that are frequent together with it) is
   * items[off[t] .. off[t+1]) for t < nT. Emits its frequent one-item extensions as a trie block,
   * then builds each child's conditional database in turn (database reduction as in LCM / FP-growth:
   * items that are infrequent in this projection never reach deeper levels) and recurses.
   */
  const expand = (node: number, size: number, off: Int32Array, items: Int32Array, nT: number): void => {
    const touched: number[] = [];
    const total = off[nT];
    for (let p = 0; p < total; p++) { const r = items[p]; if (cnt[r]++ === 0) touched.push(r); }
    touched.sort((x, y) => x - y);
    const kidRank: number[] = [], kidCount: number[] = [];
    for (const r of touched) {
      if (cnt[r] >= minCount) { kidRank.push(r); kidCount.push(cnt[r]); }
      cnt[r] = 0;
    }
    const k = kidRank.length;
    if (k === 0) return;
    childStart.a[node] = nSets;
    childCount.a[node] = k;
    const first = nSets;
    for (let j = 0; j < k; j++) emit(node, kidRank[j], kidCount[j]);
    if (size + 1 >= maxLen || k === 1) return;
    // mark kids (value = bucket index + 1 under a fresh stamp) and deliver their occurrences
    const mark = grow(marks, size, F);
    const stamp = ++stampSeq;
    const bucketOf = new Int32Array(k + 1);
    for (let j = 0; j < k; j++) { mark[kidRank[j]] = stamp; bucketOf[j + 1] = bucketOf[j] + kidCount[j]; }
    const fill = bucketOf.slice(0, k);
    const oPos = grow(occPos, size, bucketOf[k]), oEnd = grow(occEnd, size, bucketOf[k]);
    const rankSlot = grow(slots, size, F); // rank -> bucket, valid where mark[r] === stamp
    for (let j = 0; j < k; j++) rankSlot[kidRank[j]] = j;
    for (let t = 0; t < nT; t++) {
      const e = off[t + 1];
      for (let p = off[t]; p < e; p++) {
        const r = items[p];
        if (mark[r] !== stamp) continue;
        const q = fill[rankSlot[r]]++;
        oPos[q] = p; oEnd[q] = e;
      }
    }
    // children in rank order; the last kid has no higher-ranked kids to extend with
    const cOff = grow(dbOff, size, bucketOf[k] + 1);
    const cItems = grow(dbItems, size, total);
    for (let j = 0; j < k - 1; j++) {
      let n2 = 0, w = 0;
      cOff[0] = 0;
      for (let q = bucketOf[j]; q < bucketOf[j + 1]; q++) {
        const e = oEnd[q];
        const w0 = w;
        for (let p = oPos[q] + 1; p < e; p++) { const r = items[p]; if (mark[r] === stamp) cItems[w++] = r; }
        if (w > w0) cOff[++n2] = w;
      }
      if (n2 === 0) continue;
      expand(first + j, size + 1, cOff, cItems, n2);
    }
  };

  // 3. level 1 (root): singletons, then the whole reduced database is the root's conditional database
  for (let r = 0; r < F; r++) emit(-1, r, itemCount[itemOfRank[r]]);
  const rootCount = F;
  if (maxLen >= 2 && F > 1) {
    // expand each singleton r with the baskets containing r, reduced to the items after r
    const starts = new Int32Array(F + 1);
    for (let r = 0; r < F; r++) starts[r + 1] = starts[r] + itemCount[itemOfRank[r]];
    const oPos = new Int32Array(starts[F]), oEnd = new Int32Array(starts[F]);
    const fillPos = starts.slice(0, F);
    for (let t = 0; t < N; t++) for (let p = hOff[t]; p < hOff[t + 1]; p++) { const q = fillPos[hItems[p]]++; oPos[q] = p; oEnd[q] = hOff[t + 1]; }
    const cOff = new Int32Array(N + 1);
    const cItems = new Int32Array(Math.max(1, totalOcc));
    // With a moderate number of frequent items, count all pairs in one pass (F×F matrix) so each
    // singleton's conditional database keeps only its frequent partners.
    const usePairs = maxLen >= 2 && F <= 3000;
    const pair = usePairs ? new Int32Array(F * F) : null;
    scratch += (pair ? pair.byteLength : 0) + oPos.byteLength + oEnd.byteLength + cOff.byteLength + cItems.byteLength;
    if (pair) {
      for (let t = 0; t < N; t++) {
        const e = hOff[t + 1];
        for (let p = hOff[t]; p < e; p++) { const row = hItems[p] * F; for (let q = p + 1; q < e; q++) pair[row + hItems[q]]++; }
      }
    }
    for (let r = 0; r < F - 1; r++) {
      let n2 = 0, w = 0;
      const row = r * F;
      for (let q = starts[r]; q < starts[r + 1]; q++) {
        const e = oEnd[q];
        const w0 = w;
        if (pair) { for (let p = oPos[q] + 1; p < e; p++) { const x = hItems[p]; if (pair[row + x] >= minCount) cItems[w++] = x; } }
        else for (let p = oPos[q] + 1; p < e; p++) cItems[w++] = hItems[p];
        if (w > w0) cOff[++n2] = w;
      }
      if (n2 > 0) expand(r, 1, cOff, cItems, n2);
      if (o.onProgress && (r % 16 === 0 || r === F - 2)) o.onProgress({ stage: "itemsets", done: r + 1, total: F - 1, message: `${nSets} itemsets` });
    }
  }

  return {
    numTransactions: N,
    itemNames: b.itemNames,
    minSupport,
    minCount,
    maxLen,
    offsets: outOff.done(),
    items: outItems.done(),
    counts: outCount.done(),
    lastRank: outLast.done(),
    childStart: childStart.done(),
    childCount: childCount.done(),
    rootCount,
    rank,
    itemOfRank,
    seconds: (performance.now() - t0) / 1000,
    scratchBytes: scratch,
  };
}

/** Number of frequent itemsets.
 *
 * @example
 * numItemsets(frequentItemsets(b, { minSupport: 0.001 })); // 13492 on Groceries
 */
export function numItemsets(fi: FrequentItemsets): number {
  return fi.counts.length;
}

/**
 * Index of a frequent itemset given its item ids (any order), or -1 when it
 * is not frequent. The empty itemset has no index (its support is 1).
 *
 * @example
 * const i = findItemset(fi, [basketItemId(b, "liquor"), basketItemId(b, "bottled beer")]); fi.counts[i];
 */
export function findItemset(fi: FrequentItemsets, ids: ArrayLike<number>): number {
  const ranks: number[] = [];
  for (let i = 0; i < ids.length; i++) { const r = fi.rank[ids[i]]; if (r < 0) return -1; ranks.push(r); }
  ranks.sort((a, b) => a - b);
  return findByRanks(fi, ranks, ranks.length);
}

/**
 * Trie walk over sorted ranks `ranks[0..len)`; -1 when absent.
 *
 * @example
 * findByRanks(fi, Int32Array.of(0, 5), 2); // itemset of ranks 0 and 5, or -1
 */
export function findByRanks(fi: FrequentItemsets, ranks: ArrayLike<number>, len: number): number {
  let lo = 0, hi = fi.rootCount;
  let node = -1;
  for (let d = 0; d < len; d++) {
    const r = ranks[d];
    if (d > 0) { lo = fi.childStart[node]; hi = lo + fi.childCount[node]; }
    // binary search for r among lastRank[lo..hi)
    let a = lo, z = hi - 1, found = -1;
    while (a <= z) {
      const m = (a + z) >> 1;
      const v = fi.lastRank[m];
      if (v === r) { found = m; break; }
      if (v < r) a = m + 1; else z = m - 1;
    }
    if (found < 0) return -1;
    node = found;
  }
  return node;
}

/**
 * Support count of an itemset given by item ids (0 when not frequent; baskets count for the empty set).
 *
 * @example
 * itemsetCount(fi, [basketItemId(b, "whole milk")]); // 2513 on Groceries
 */
export function itemsetCount(fi: FrequentItemsets, ids: ArrayLike<number>): number {
  if (ids.length === 0) return fi.numTransactions;
  const i = findItemset(fi, ids);
  return i < 0 ? 0 : fi.counts[i];
}
