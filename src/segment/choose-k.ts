import { Matrix } from "../util/matrix";
import { Table } from "../table";
import { Figure } from "../plot/figure";
import { optionError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { KMeans } from "./kmeans";
import { silhouetteScore, daviesBouldinScore, calinskiHarabaszScore, SILHOUETTE_EXACT_MAX } from "./metrics";

/** Options for {@link kSelection}. */
export interface KSelectionOptions {
  /** Smallest k. Default 2. */
  kMin?: number;
  /** Largest k. Default 10. */
  kMax?: number;
  /** k-means restarts per k. Default 10. */
  nInit?: number;
  /** Seed for k-means and the silhouette sample. Default 42. */
  seed?: number;
  /** Silhouette sample size; default: exact up to 10,000 rows, a seeded 10,000-row sample above. */
  silhouetteSampleSize?: number;
  /** Progress per k (stage "k-selection"). */
  onProgress?: ProgressCallback;
}

/** Result of {@link kSelection}. */
export interface KSelectionResult {
  /** One row per k: k, inertia, silhouette, davies_bouldin, calinski_harabasz. */
  table: Table;
  /** k with the highest silhouette. */
  bestSilhouette: number;
  /** k with the lowest Davies–Bouldin index. */
  bestDaviesBouldin: number;
  /** k with the highest Calinski–Harabasz index. */
  bestCalinskiHarabasz: number;
  /** Elbow of the inertia curve: the k farthest below the chord from kMin to kMax (Kneedle on the normalised curve). */
  elbow: number;
  /** The suggestion: the silhouette choice (the criterion least tied to k's scale); the others are shown for judgement. */
  suggested: number;
  /** How the silhouette was computed (exact or sampled, with n). */
  silhouetteNote: string;
  /** The fitted k-means model of each k, in the table's order (so a caller that keeps one k need not fit it again). */
  models: KMeans[];
}

/**
 * Fit k-means for k = kMin..kMax and score each k by inertia (elbow),
 * silhouette (exact ≤ 10,000 rows, else a seeded sample), Davies–Bouldin and
 * Calinski–Harabasz. See {@link kSelectionFigure} for the comparison chart.
 *
 * @example
 * const sel = kSelection(X, { kMin: 2, kMax: 8, seed: 42 });
 * sel.suggested;                 // e.g. 4
 * kSelectionFigure(sel);         // four panels
 */
export function kSelection(X: Matrix, options: KSelectionOptions = {}): KSelectionResult {
  const kMin = options.kMin ?? 2, kMax = options.kMax ?? 10, seed = options.seed ?? 42;
  if (!Number.isInteger(kMin) || kMin < 2) optionError("kMin", `must be an integer ≥ 2, got ${kMin}`);
  if (!Number.isInteger(kMax) || kMax < kMin || kMax >= X.rows) optionError("kMax", `must be an integer in ${kMin}..${X.rows - 1}, got ${kMax}`);
  const ks: number[] = [], inertia: number[] = [], sil: number[] = [], db: number[] = [], ch: number[] = [], models: KMeans[] = [];
  const sampleSize = options.silhouetteSampleSize ?? (X.rows > SILHOUETTE_EXACT_MAX ? SILHOUETTE_EXACT_MAX : undefined);
  for (let k = kMin; k <= kMax; k++) {
    const km = new KMeans({ k, nInit: options.nInit ?? 10, seed }).fit(X);
    ks.push(k);
    models.push(km);
    inertia.push(km.inertia_);
    sil.push(silhouetteScore(X, km.labels_, { sampleSize, seed }));
    db.push(daviesBouldinScore(X, km.labels_));
    ch.push(calinskiHarabaszScore(X, km.labels_));
    options.onProgress?.({ stage: "k-selection", done: k - kMin + 1, total: kMax - kMin + 1, message: `k=${k}`, metrics: { inertia: km.inertia_, silhouette: sil[sil.length - 1] } });
  }
  const argBest = (a: number[], dir: 1 | -1) => { let b = 0; for (let i = 1; i < a.length; i++) if (dir * (a[i] - a[b]) > 0) b = i; return ks[b]; };
  const table = new Table({
    k: Int32Array.from(ks),
    inertia: Float64Array.from(inertia),
    silhouette: Float64Array.from(sil),
    davies_bouldin: Float64Array.from(db),
    calinski_harabasz: Float64Array.from(ch),
  });
  const best = argBest(sil, 1);
  return {
    table,
    bestSilhouette: best,
    bestDaviesBouldin: argBest(db, -1),
    bestCalinskiHarabasz: argBest(ch, 1),
    elbow: elbowPoint(ks, inertia),
    suggested: best,
    silhouetteNote: sampleSize !== undefined && sampleSize < X.rows ? `silhouette on a seeded sample of ${sampleSize} of ${X.rows} rows` : `exact silhouette on all ${X.rows} rows`,
    models,
  };
}

/**
 * The elbow of a decreasing curve (Kneedle): normalise x and y to 0..1 and
 * return the x whose point lies farthest below the straight line between the
 * first and last points.
 * @example
 * elbowPoint([1, 2, 3, 4, 5], [100, 40, 20, 18, 17]); // 2
 */
export function elbowPoint(x: number[], y: number[]): number {
  if (x.length < 3) return x[0];
  const x0 = x[0], x1 = x[x.length - 1];
  const ymax = Math.max(...y), ymin = Math.min(...y);
  let best = x[0], bestGap = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const xn = (x[i] - x0) / (x1 - x0);
    const yn = ymax === ymin ? 0 : (y[i] - ymin) / (ymax - ymin);
    const gap = 1 - xn - yn; // chord from (0,1) to (1,0) is y = 1 − x
    if (gap > bestGap) { bestGap = gap; best = x[i]; }
  }
  return best;
}

/**
 * One figure with four panels comparing the k choices: inertia (elbow marked),
 * silhouette (↑), Davies–Bouldin (↓) and Calinski–Harabasz (↑), each with the
 * best k highlighted.
 * @example
 * showFigure(kSelectionFigure(kSelection(X, { kMax: 8, seed: 1 })));
 */
export function kSelectionFigure(sel: KSelectionResult, title = "Choosing k"): Figure {
  const t = sel.table;
  const ks = Array.from(t.num("k"));
  const panel = (col: string, name: string, i: number, bestK: number) => {
    const y = Array.from(t.num(col));
    const ax = i === 1 ? "" : String(i);
    return [
      { type: "scatter", mode: "lines+markers", x: ks, y, name, xaxis: `x${ax}`, yaxis: `y${ax}`, line: { color: "#334e68" } },
      { type: "scatter", mode: "markers", x: [bestK], y: [y[ks.indexOf(bestK)]], name: `${name}: k=${bestK}`, xaxis: `x${ax}`, yaxis: `y${ax}`, marker: { size: 13, color: "#d64545", symbol: "star" } },
    ];
  };
  const data = [
    ...panel("inertia", "inertia (elbow)", 1, sel.elbow),
    ...panel("silhouette", "silhouette ↑", 2, sel.bestSilhouette),
    ...panel("davies_bouldin", "Davies–Bouldin ↓", 3, sel.bestDaviesBouldin),
    ...panel("calinski_harabasz", "Calinski–Harabasz ↑", 4, sel.bestCalinskiHarabasz),
  ];
  const ann = (text: string, x: number, y: number) => ({ text, x, y, xref: "paper", yref: "paper", showarrow: false, font: { size: 13 }, xanchor: "center" });
  return {
    data,
    layout: {
      title: { text: `${title} — suggested k = ${sel.suggested} (${sel.silhouetteNote})` },
      grid: { rows: 2, columns: 2, pattern: "independent" },
      showlegend: false,
      height: 560,
      annotations: [
        ann(`Inertia — elbow at k=${sel.elbow}`, 0.22, 1.04), ann(`Silhouette ↑ — best k=${sel.bestSilhouette}`, 0.78, 1.04),
        ann(`Davies–Bouldin ↓ — best k=${sel.bestDaviesBouldin}`, 0.22, 0.47), ann(`Calinski–Harabasz ↑ — best k=${sel.bestCalinskiHarabasz}`, 0.78, 0.47),
      ],
      xaxis3: { title: { text: "k" } }, xaxis4: { title: { text: "k" } },
    },
  };
}
