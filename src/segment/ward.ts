import { Matrix } from "../util/matrix";
import { CustlabError } from "../util/errors";
import { Figure } from "../plot/figure";
import { checkMatrix } from "./kmeans";

/**
 * Largest number of rows {@link wardLinkage} accepts: the algorithm keeps the
 * n(n−1)/2 pairwise distances (3,000 rows → 4.5 M doubles, 36 MB) and runs in
 * O(n²) time with the nearest-neighbour chain. Sample larger data first.
 */
export const WARD_MAX_N = 3000;

/**
 * A hierarchical clustering in scipy's linkage format: merge t joins clusters
 * `left[t]` and `right[t]` (ids < n are rows, id n + s is the cluster made by
 * merge s) at `height[t]`, giving a cluster of `size[t]` rows. Merges are in
 * increasing height.
 */
export interface Linkage {
  n: number;
  left: Int32Array;
  right: Int32Array;
  height: Float64Array;
  size: Int32Array;
}

/** Options for {@link wardLinkage}. */
export interface WardOptions {
  /** Override the size guard ({@link WARD_MAX_N}); memory grows as n². */
  maxN?: number;
}

/**
 * Ward hierarchical clustering (minimum increase of within-cluster SSE) with
 * the nearest-neighbour-chain algorithm and Lance–Williams updates on squared
 * Euclidean distances. Heights equal scipy's `linkage(X, "ward")`:
 * √(2·nₐn_b/(nₐ+n_b))·‖cₐ − c_b‖. For at most {@link WARD_MAX_N} rows.
 *
 * @example
 * const Z = wardLinkage(sample);
 * const labels = cutTree(Z, 4);
 * dendrogramFigure(Z, { truncate: 30 });
 */
export function wardLinkage(X: Matrix, options: WardOptions = {}): Linkage {
  checkMatrix(X, "wardLinkage");
  const n = X.rows, d = X.cols, data = X.data;
  const maxN = options.maxN ?? WARD_MAX_N;
  if (n > maxN) throw new CustlabError("E_SIZE", `wardLinkage: ${n} rows is more than ${maxN} (memory grows as n²); cluster a sample or raise maxN`);
  if (n < 2) throw new CustlabError("E_SIZE", "wardLinkage: needs at least 2 rows");
  // Full symmetric matrix of squared distances (simple indexing; n ≤ 3000 → 72 MB max).
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) { const v = data[i * d + t] - data[j * d + t]; s += v * v; }
    D[i * n + j] = s; D[j * n + i] = s;
  }
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const chain = new Int32Array(n);
  let chainLen = 0;
  const mx: number[] = [], my: number[] = [], mh: number[] = [];
  for (let m = 0; m < n - 1; m++) {
    if (chainLen === 0) { let f = 0; while (!active[f]) f++; chain[chainLen++] = f; }
    let x = 0, y = 0, best = 0;
    for (;;) {
      x = chain[chainLen - 1];
      const prev = chainLen >= 2 ? chain[chainLen - 2] : -1;
      let z = -1;
      best = Infinity;
      if (prev >= 0) { z = prev; best = D[x * n + prev]; }
      for (let i = 0; i < n; i++) {
        if (!active[i] || i === x) continue;
        const v = D[x * n + i];
        if (v < best) { best = v; z = i; }
      }
      if (z === prev) { y = prev; break; }
      chain[chainLen++] = z;
    }
    chainLen -= 2;
    // merge x into y (scipy keeps the merged cluster at y's slot)
    const nx = size[x], ny = size[y];
    const dxy = D[x * n + y];
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === x || k === y) continue;
      const nk = size[k];
      const v = ((nx + nk) * D[x * n + k] + (ny + nk) * D[y * n + k] - nk * dxy) / (nx + ny + nk);
      D[y * n + k] = v; D[k * n + y] = v;
    }
    active[x] = 0;
    size[y] = nx + ny;
    mx.push(x); my.push(y); mh.push(Math.sqrt(Math.max(0, best)));
  }
  // Sort merges by height (stable) and relabel with union-find, as scipy does.
  const order = mh.map((_, i) => i).sort((a, b) => mh[a] - mh[b] || a - b);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (a: number): number => { while (parent[a] !== a) { parent[a] = parent[parent[a]]; a = parent[a]; } return a; };
  const csize = new Int32Array(2 * n - 1).fill(1);
  const Z: Linkage = { n, left: new Int32Array(n - 1), right: new Int32Array(n - 1), height: new Float64Array(n - 1), size: new Int32Array(n - 1) };
  order.forEach((src, t) => {
    const a = find(mx[src]), b = find(my[src]);
    const id = n + t;
    Z.left[t] = Math.min(a, b); Z.right[t] = Math.max(a, b);
    Z.height[t] = mh[src];
    csize[id] = csize[a] + csize[b];
    Z.size[t] = csize[id];
    parent[a] = id; parent[b] = id;
  });
  return Z;
}

/**
 * Flat clusters from a linkage: stop after n − k merges (scipy
 * `fcluster(Z, k, "maxclust")` when heights are distinct). Labels are 0..k−1
 * in order of each cluster's first row.
 * @example
 * const labels = cutTree(wardLinkage(sample), 4); // Int32Array of 0..3
 */
export function cutTree(Z: Linkage, k: number): Int32Array {
  const n = Z.n;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new CustlabError("E_OPTION", `option k: must be an integer in 1..${n}, got ${k}`);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (a: number): number => { while (parent[a] !== a) { parent[a] = parent[parent[a]]; a = parent[a]; } return a; };
  for (let t = 0; t < n - k; t++) { parent[Z.left[t]] = n + t; parent[Z.right[t]] = n + t; }
  const labels = new Int32Array(n);
  const code = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let c = code.get(r);
    if (c === undefined) { c = code.size; code.set(r, c); }
    labels[i] = c;
  }
  return labels;
}

/** Options for {@link dendrogramFigure}. */
export interface DendrogramOptions {
  /** Show only the last `truncate` merges' clusters as leaves (scipy's `truncate_mode="lastp"`). Default 30. */
  truncate?: number;
  /** Draw a dashed line where cutting gives this many clusters. */
  cutK?: number;
  /** Figure title. Default "Ward dendrogram". */
  title?: string;
}

/**
 * A dendrogram as a plotly figure: one line trace of ⊓-shaped links (x =
 * leaf order, y = merge height), leaves labelled with their row id or, when
 * truncated, with the cluster size "(n)".
 * @example
 * showFigure(dendrogramFigure(wardLinkage(sample), { truncate: 30, cutK: 4 }));
 */
export function dendrogramFigure(Z: Linkage, options: DendrogramOptions = {}): Figure {
  const n = Z.n;
  const p = Math.max(2, Math.min(options.truncate ?? 30, n));
  const firstShown = n - p; // merges t ≥ firstShown are drawn; clusters existing before them are leaves
  const isLeaf = (id: number) => id < n || id - n < firstShown;
  const leafSize = (id: number) => (id < n ? 1 : Z.size[id - n]);
  const xs: (number | null)[] = [], ys: (number | null)[] = [];
  const tickVals: number[] = [], tickText: string[] = [];
  let nextX = 0;
  const pos = (id: number): [number, number] => {
    if (isLeaf(id)) {
      const x = 10 * nextX++ + 5;
      tickVals.push(x);
      tickText.push(id < n ? String(id) : `(${leafSize(id)})`);
      return [x, 0];
    }
    const t = id - n;
    const [xl, yl] = pos(Z.left[t]);
    const [xr, yr] = pos(Z.right[t]);
    const h = Z.height[t];
    xs.push(xl, xl, xr, xr, null); ys.push(yl, h, h, yr, null);
    return [(xl + xr) / 2, h];
  };
  pos(2 * n - 2);
  const shapes: Record<string, unknown>[] = [];
  if (options.cutK && options.cutK >= 2 && options.cutK <= n) {
    const hi = Z.height[n - options.cutK], lo = Z.height[n - options.cutK - 1] ?? 0;
    const y = (hi + lo) / 2;
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y, line: { dash: "dash", color: "#d64545" } });
  }
  return {
    data: [{ type: "scatter", mode: "lines", x: xs, y: ys, line: { color: "#334e68", width: 1.2 }, hoverinfo: "y", name: "merge" }],
    layout: {
      title: { text: options.title ?? "Ward dendrogram" },
      xaxis: { tickvals: tickVals, ticktext: tickText, tickangle: -90, title: { text: firstShown > 0 ? `clusters (size) — last ${p} merges` : "rows" }, zeroline: false },
      yaxis: { title: { text: "merge height (Ward distance)" }, rangemode: "tozero" },
      shapes,
      showlegend: false,
    },
  };
}
