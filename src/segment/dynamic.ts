import { Table } from "../table";
import { Matrix } from "../util/matrix";
import { CustlabError, optionError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { Figure } from "../plot/figure";
import { KMeans } from "./kmeans";
import { standardizeMatrix, unstandardizeMatrix, log1pMatrix, MatrixScaler } from "./scale";
import { tableToMatrix } from "../table/matrix";
import { segmentFeatures, SegmentFeatureSet, segmentFeatureColumns } from "./segment";
import { hungarian } from "./hungarian";
import { silhouetteScore } from "./metrics";
import { segmentPersonas } from "./personas";
import { isoDay, DAY_MS } from "../util/numeric";


/** Default PSI threshold above which re-clustering is flagged (the usual "significant shift" level). */
export const PSI_DRIFT_THRESHOLD = 0.25;

/** Options for {@link populationStabilityIndex}. */
export interface PSIOptions {
  /** Number of quantile bins taken from the expected (reference) sample. Default 10. */
  bins?: number;
  /** Floor on bin proportions so empty bins do not give ∞. Default 1e-4. */
  epsilon?: number;
}

/**
 * Population stability index of `actual` against `expected`:
 * Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over bins, with bin edges at the quantiles of
 * `expected` (duplicate edges merged, so integer-valued features get fewer
 * bins) and proportions floored at `epsilon`. Rule of thumb: < 0.1 stable,
 * 0.1–0.25 moderate shift, > 0.25 significant shift.
 *
 * @example
 * populationStabilityIndex(lastQuarter.num("recency_days"), thisQuarter.num("recency_days")); // e.g. 0.04
 */
export function populationStabilityIndex(expected: ArrayLike<number>, actual: ArrayLike<number>, options: PSIOptions = {}): number {
  const bins = options.bins ?? 10, eps = options.epsilon ?? 1e-4;
  const e = Array.from(expected).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const a = Array.from(actual).filter((v) => !Number.isNaN(v));
  if (!e.length || !a.length) throw new CustlabError("E_EMPTY", "populationStabilityIndex: empty sample");
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const q = e[Math.min(e.length - 1, Math.floor((b * e.length) / bins))];
    if (!edges.length || q > edges[edges.length - 1]) edges.push(q);
  }
  const count = (xs: number[]) => {
    const c = new Float64Array(edges.length + 1);
    for (const x of xs) {
      let lo = 0, hi = edges.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (x < edges[mid]) hi = mid; else lo = mid + 1; }
      c[lo]++;
    }
    return c;
  };
  return psiFromCounts(count(e), count(a), eps);
}

/**
 * PSI between two count (or share) vectors over the same categories
 * (proportions floored at `epsilon`).
 * @example
 * psiFromCounts([50, 50], [80, 20]); // 0.416
 */
export function psiFromCounts(expected: ArrayLike<number>, actual: ArrayLike<number>, epsilon = 1e-4): number {
  let se = 0, sa = 0;
  for (let i = 0; i < expected.length; i++) { se += expected[i]; sa += actual[i]; }
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const pe = Math.max(expected[i] / se, epsilon), pa = Math.max(actual[i] / sa, epsilon);
    psi += (pa - pe) * Math.log(pa / pe);
  }
  return psi;
}

/** Options for {@link trackSegments}. */
export interface SegmentTrackerOptions {
  /** Number of segments (fixed across periods so they can be matched). Required. */
  k: number;
  /** Period length. Default "quarterly". Ignored when `periodEnds` is given. */
  windows?: "monthly" | "quarterly";
  /** Explicit period ends (epoch ms, exclusive): features at each use only rows with timestamp < end. */
  periodEnds?: number[];
  /**
   * Per-customer RFM at each of `periodEnds` computed elsewhere (`customerRFM` columns
   * over lines before the end, recency from the end: an engine's
   * `rfm({ asOf: end, before: end })`); then `tx` is not read.
   */
  periodRFM?: Table[];
  /** Skip leading periods with fewer customers than this. Default 20 × k. */
  minCustomers?: number;
  /** Feature set. Default "rfm-aov". */
  features?: SegmentFeatureSet;
  /**
   * "always" (default): re-fit k-means at every period end and match the new
   * segments to the previous ones. "on-drift": keep the last model (its
   * scaler and centres) and only re-fit when the drift rule fires.
   */
  refit?: "always" | "on-drift";
  /** PSI above which re-clustering is flagged. Default 0.25 ({@link PSI_DRIFT_THRESHOLD}). */
  psiThreshold?: number;
  /** PSI bins. Default 10. */
  psiBins?: number;
  nInit?: number;
  /** Seed. Default 42. */
  seed?: number;
  /** Progress per period (stage "segment-periods"). */
  onProgress?: ProgressCallback;
}

/** One period of a {@link SegmentTrack}. */
export interface SegmentPeriod {
  /** Label such as "2024-Q1" or "2024-03" (the period the data runs through). */
  label: string;
  /** Exclusive end (epoch ms). */
  end: number;
  customers: number;
  /** Customers per (stable) segment. */
  sizes: number[];
  shares: number[];
  /** Centres in log1p feature space (not scaled), k × features. */
  centers: Matrix;
  /** Whether k-means was re-fitted at this period. */
  refitted: boolean;
  inertia: number;
  silhouette: number;
  /** Segment name from the members' mean RFM scores at this period. */
  names: string[];
}

/** A drift alarm. */
export interface DriftFlag {
  /** Period label where the drift was measured (against the previous period). */
  period: string;
  previous: string;
  /** "feature" or "segment_shares". */
  kind: "feature" | "segment_shares";
  /** Feature name, or "segment_shares". */
  name: string;
  psi: number;
  threshold: number;
  /** Plain-language reason, e.g. "PSI(recency_days) = 0.31 > 0.25 between 2024-Q1 and 2024-Q2: re-cluster". */
  reason: string;
}

/** Result of {@link trackSegments}. */
export interface SegmentTrack {
  periods: SegmentPeriod[];
  /** Every customer seen by the last period, in `customerRFM` order of the last period. */
  customerIds: string[];
  /** labels[p][c]: stable segment of customer c at period p (−1 = not a customer yet). */
  labels: Int32Array[];
  /** migrations[p]: k × k counts from period p to p+1 (row = from), customers present in both. */
  migrations: number[][][];
  /** PSI per feature and for segment shares, one row per (period, name); first period has none. */
  psi: Table;
  driftFlags: DriftFlag[];
  /** Stable segment names (from the last period). */
  names: string[];
  k: number;
  features: string[];
}

function periodLabel(end: number, windows: "monthly" | "quarterly"): string {
  const d = new Date(end - 1);
  const y = d.getUTCFullYear(), m = d.getUTCMonth();
  return windows === "monthly" ? `${y}-${String(m + 1).padStart(2, "0")}` : `${y}-Q${Math.floor(m / 3) + 1}`;
}

/**
 * Calendar period ends (exclusive, 00:00 UTC on the first day of the next month/quarter) covering [min, max] timestamps.
 * @example
 * calendarPeriodEnds(Date.UTC(2024, 0, 5), Date.UTC(2024, 4, 1)); // [Apr 1, Jul 1] 2024 (epoch ms)
 */
export function calendarPeriodEnds(minTs: number, maxTs: number, windows: "monthly" | "quarterly" = "quarterly"): number[] {
  const step = windows === "monthly" ? 1 : 3;
  const d0 = new Date(minTs);
  let y = d0.getUTCFullYear(), m = d0.getUTCMonth();
  m = Math.floor(m / step) * step + step;
  const out: number[] = [];
  for (;;) {
    while (m >= 12) { m -= 12; y++; }
    const end = Date.UTC(y, m, 1);
    out.push(end);
    if (end > maxTs) break;
    m += step;
  }
  return out;
}

function segmentNamesFor(customers: Table, labels: Int32Array, k: number): string[] {
  const { personas } = segmentPersonas(customers, labels);
  return personas.map((p, j) => (p.size ? p.name : `Segment ${j}`));
}

/**
 * Dynamic re-segmentation: segment the same customers at successive period
 * ends with features computed only from data before each end, keep segment
 * ids stable by matching each period's centres to the previous period's with
 * the Hungarian algorithm (cost = Euclidean distance between centres in the
 * log1p feature space, scaled by the current period's feature std), and
 * report migrations, per-customer histories, PSI per feature and for segment
 * shares, and drift flags (PSI > threshold ⇒ re-cluster, with the reason).
 *
 * Segment ids at the first period are ordered by decreasing centre monetary
 * value, so id 0 is the highest-spending segment.
 *
 * @param tx - canonical purchase lines (cleaned: `purchases(cleanTransactions(t).table)`)
 * @example
 * const track = trackSegments(purchases(table), { k: 5, windows: "quarterly", seed: 42 });
 * track.driftFlags.map((f) => f.reason);
 * segmentSankeyFigure(track);
 * segmentHistoryTable(track);
 */
export function trackSegments(tx: Table, options: SegmentTrackerOptions): SegmentTrack {
  const k = options.k;
  if (!Number.isInteger(k) || k < 2) optionError("k", `must be an integer ≥ 2, got ${k}`);
  const windows = options.windows ?? "quarterly";
  if (windows !== "monthly" && windows !== "quarterly") optionError("windows", `must be monthly|quarterly, got ${windows}`);
  const threshold = options.psiThreshold ?? PSI_DRIFT_THRESHOLD;
  const seed = options.seed ?? 42;
  const refitMode = options.refit ?? "always";
  const featureSet = options.features ?? "rfm-aov";
  const columns = segmentFeatureColumns(featureSet);
  if (options.periodRFM && options.periodRFM.length !== (options.periodEnds ?? []).length) optionError("periodRFM", `needs one RFM table per period end (${(options.periodEnds ?? []).length}), got ${options.periodRFM.length}`);
  let ends = options.periodEnds;
  if (!options.periodRFM) {
    const ts = tx.num("timestamp");
    let minTs = Infinity, maxTs = -Infinity;
    for (let i = 0; i < ts.length; i++) { const t = ts[i]; if (t < minTs) minTs = t; if (t > maxTs) maxTs = t; }
    if (!Number.isFinite(minTs)) throw new CustlabError("E_EMPTY", "trackSegments: no transactions with a timestamp");
    ends ??= calendarPeriodEnds(minTs, maxTs, windows);
  }
  if (!ends) throw new CustlabError("E_EMPTY", "trackSegments: no period ends");
  const minCustomers = options.minCustomers ?? 20 * k;

  interface Raw { end: number; label: string; ids: string[]; raw: Matrix; X: Matrix; scaler: MatrixScaler; customers: Table }
  const raws: Raw[] = [];
  for (let e = 0; e < ends.length; e++) {
    const end = ends[e];
    const f = segmentFeatures(tx, { asOf: end, features: featureSet, rfm: options.periodRFM?.[e] });
    if (f.customers.numRows < minCustomers) continue;
    const raw = log1pMatrix(tableToMatrix(f.customers, columns)); // log1p features (exact, not round-tripped)
    raws.push({ end, label: options.periodEnds ? isoDay(end) : periodLabel(end, windows), ids: f.customers.str("customer_id"), raw, X: f.X, scaler: f.scaler, customers: f.customers });
  }
  if (raws.length < 2) throw new CustlabError("E_EMPTY", `trackSegments: need at least 2 periods with ≥ ${minCustomers} customers, got ${raws.length}`);

  const d = columns.length;
  const periods: SegmentPeriod[] = [];
  const periodLabels: Int32Array[] = [];
  const psiRows: { period: string; name: string; psi: number }[] = [];
  const driftFlags: DriftFlag[] = [];
  let prevCenters: Float64Array | null = null; // log1p space, stable order
  let model: KMeans | null = null;
  let modelScaler: MatrixScaler | null = null;
  let perm: Int32Array | null = null; // model cluster → stable id
  let prevShares: number[] | null = null;
  let needRefit = true;
  raws.forEach((p, pi) => {
    // Drift vs previous period (computed first so "on-drift" can react to it).
    const flagsHere: DriftFlag[] = [];
    if (pi > 0) {
      const q = raws[pi - 1];
      columns.forEach((c, j) => {
        // on the exact feature values (ties matter for integer features like frequency)
        const psi = populationStabilityIndex(q.customers.num(c), p.customers.num(c), { bins: options.psiBins ?? 10 });
        psiRows.push({ period: p.label, name: c, psi });
        if (psi > threshold) flagsHere.push({ period: p.label, previous: q.label, kind: "feature", name: c, psi, threshold, reason: `PSI(${c}) = ${psi.toFixed(3)} > ${threshold} between ${q.label} and ${p.label}: re-cluster` });
      });
    }
    const refit = refitMode === "always" || needRefit || flagsHere.length > 0;
    let labels: Int32Array;
    let inertia: number;
    if (refit) {
      model = new KMeans({ k, nInit: options.nInit ?? 10, seed }).fit(p.X);
      modelScaler = p.scaler;
      const centersLog = unstandardizeMatrix(model.clusterCenters_, p.scaler).data;
      if (!prevCenters) {
        // first fit: order by decreasing monetary centre
        const mj = columns.indexOf("monetary");
        const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => centersLog[b * d + mj] - centersLog[a * d + mj]);
        perm = new Int32Array(k);
        order.forEach((cl, stable) => { perm![cl] = stable; });
      } else {
        const cost = new Float64Array(k * k);
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
          let s = 0;
          for (let t = 0; t < d; t++) { const v = (centersLog[a * d + t] - prevCenters[b * d + t]) / p.scaler.std[t]; s += v * v; }
          cost[a * k + b] = Math.sqrt(s);
        }
        perm = hungarian(cost, k, k).assignment;
      }
      labels = Int32Array.from(model.labels_, (l) => perm![l]);
      inertia = model.inertia_;
      needRefit = false;
    } else {
      const Xs = standardizeMatrix(p.raw, modelScaler!).X;
      const raw = model!.predict(Xs);
      labels = Int32Array.from(raw, (l) => perm![l]);
      inertia = -model!.score(Xs);
    }
    // stable-order centres in log space = member means (also correct after predict)
    const centers = new Float64Array(k * d), sizes = new Array<number>(k).fill(0);
    for (let i = 0; i < labels.length; i++) { const l = labels[i]; sizes[l]++; for (let t = 0; t < d; t++) centers[l * d + t] += p.raw.data[i * d + t]; }
    for (let j = 0; j < k; j++) if (sizes[j]) for (let t = 0; t < d; t++) centers[j * d + t] /= sizes[j];
    const n = labels.length;
    const shares = sizes.map((s) => s / n);
    if (prevShares) {
      const psi = psiFromCounts(prevShares, shares);
      psiRows.push({ period: p.label, name: "segment_shares", psi });
      if (psi > threshold) flagsHere.push({ period: p.label, previous: raws[pi - 1].label, kind: "segment_shares", name: "segment_shares", psi, threshold, reason: `PSI(segment shares) = ${psi.toFixed(3)} > ${threshold} between ${raws[pi - 1].label} and ${p.label}: segment mix shifted, re-cluster` });
    }
    driftFlags.push(...flagsHere);
    if (refitMode === "on-drift" && flagsHere.some((f) => f.kind === "segment_shares")) needRefit = true;
    let sil = NaN;
    try { sil = silhouetteScore(p.X, labels, { seed, sampleSize: Math.min(p.X.rows, 3000) }); } catch { /* degenerate */ }
    periods.push({ label: p.label, end: p.end, customers: n, sizes, shares, centers: { data: centers, rows: k, cols: d, columns }, refitted: refit, inertia, silhouette: sil, names: segmentNamesFor(p.customers, labels, k) });
    periodLabels.push(labels);
    prevCenters = centers;
    prevShares = shares;
    options.onProgress?.({ stage: "segment-periods", done: pi + 1, total: raws.length, message: p.label });
  });

  // Align every period to the last period's customer list.
  const last = raws[raws.length - 1];
  const ids = last.ids;
  const index = new Map(ids.map((c, i) => [c, i]));
  const labels = raws.map((p, pi) => {
    const out = new Int32Array(ids.length).fill(-1);
    p.ids.forEach((c, i) => { const j = index.get(c); if (j !== undefined) out[j] = periodLabels[pi][i]; });
    return out;
  });
  const migrations: number[][][] = [];
  for (let pi = 0; pi + 1 < labels.length; pi++) {
    const M = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const a = labels[pi], b = labels[pi + 1];
    for (let i = 0; i < ids.length; i++) if (a[i] >= 0 && b[i] >= 0) M[a[i]][b[i]]++;
    migrations.push(M);
  }
  return {
    periods, customerIds: ids, labels, migrations,
    psi: new Table({ period: psiRows.map((r) => r.period), name: psiRows.map((r) => r.name), psi: Float64Array.from(psiRows, (r) => r.psi), drift: Uint8Array.from(psiRows, (r) => (r.psi > threshold ? 1 : 0)) }, { drift: "boolean" }),
    driftFlags,
    names: periods[periods.length - 1].names,
    k, features: columns,
  };
}


/**
 * Migration matrix between two periods as a Table (rows = from, columns = to,
 * counts), using stable segment names. Defaults: first and last period.
 * @example
 * showTable(migrationTable(track, 3, 7));
 */
export function migrationTable(track: SegmentTrack, from = 0, to = track.periods.length - 1): Table {
  const k = track.k, a = track.labels[from], b = track.labels[to];
  const M = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) M[a[i]][b[i]]++;
  const cols: Record<string, string[] | Float64Array> = { [`from \\ to`]: track.names.map((nm, j) => `${j} ${nm}`) };
  for (let j = 0; j < k; j++) cols[`${j} ${track.names[j]}`] = Float64Array.from(M, (row) => row[j]);
  return new Table(cols);
}

/**
 * Each customer's segment per period: customer_id plus one column per period label (segment id, −1 before the first purchase) and `moves` (number of changes).
 * @example
 * segmentHistoryTable(track).orderBy("moves", "desc").head(10);
 */
export function segmentHistoryTable(track: SegmentTrack): Table {
  const cols: Record<string, string[] | Int32Array> = { customer_id: track.customerIds };
  track.periods.forEach((p, pi) => { cols[p.label] = track.labels[pi]; });
  const moves = new Int32Array(track.customerIds.length);
  for (let i = 0; i < moves.length; i++) {
    let prev = -1;
    for (const l of track.labels) { if (l[i] >= 0 && prev >= 0 && l[i] !== prev) moves[i]++; if (l[i] >= 0) prev = l[i]; }
  }
  cols.moves = moves;
  return new Table(cols);
}

/** Options for {@link segmentSankeyFigure}. */
export interface SankeyOptions {
  /** Periods to show (indices). Default: all. */
  periods?: number[];
  /** Hide flows smaller than this many customers. Default 1. */
  minFlow?: number;
  title?: string;
}

const PALETTE = ["#2f6fb0", "#e07b39", "#3a9d5d", "#c94c4c", "#8a63b8", "#8c6d46", "#d46fb0", "#6f7782", "#b5b53a", "#3bb5c4"];

/**
 * A plotly Sankey of segment migrations: one node per (period, segment),
 * links between consecutive shown periods weighted by customers present in
 * both, coloured by the source segment.
 * @example
 * showFigure(segmentSankeyFigure(track, { periods: [3, 7] }));
 */
export function segmentSankeyFigure(track: SegmentTrack, options: SankeyOptions = {}): Figure {
  const ps = options.periods ?? track.periods.map((_, i) => i);
  const k = track.k, minFlow = options.minFlow ?? 1;
  // Readable labels: the segment names are written once, beside the first and the last column (plotly puts
  // labels right of a node, left of it in the last column); the middle columns carry no text, and each column
  // gets its period as a header. Nodes sit at their share of the column, so they never stack on each other.
  const label: string[] = [], hover: string[] = [], color: string[] = [], x: number[] = [], y: number[] = [];
  ps.forEach((p, pi) => {
    const sizes = track.periods[p].sizes, total = sizes.reduce((a, b) => a + b, 0) || 1;
    let cum = 0;
    for (let j = 0; j < k; j++) {
      const edge = pi === 0 || pi === ps.length - 1;
      label.push(edge ? `${track.names[j]} (${sizes[j].toLocaleString("en-US")})` : "");
      hover.push(`${track.periods[p].label} · ${track.names[j]}: ${sizes[j].toLocaleString("en-US")} customers`);
      color.push(PALETTE[j % PALETTE.length]);
      x.push(ps.length > 1 ? 0.001 + (0.998 * pi) / (ps.length - 1) : 0.5);
      y.push(0.02 + 0.96 * ((cum + sizes[j] / 2) / total));
      cum += sizes[j];
    }
  });
  const headers = ps.map((p, pi) => ({ text: `<b>${track.periods[p].label}</b>`, showarrow: false, xref: "paper", yref: "paper", y: 1.02, yanchor: "bottom",
    x: ps.length > 1 ? pi / (ps.length - 1) : 0.5, xanchor: ps.length > 1 ? (pi === 0 ? "left" : pi === ps.length - 1 ? "right" : "center") : "center" }));
  const source: number[] = [], target: number[] = [], value: number[] = [], lcolor: string[] = [];
  for (let s = 0; s + 1 < ps.length; s++) {
    const a = track.labels[ps[s]], b = track.labels[ps[s + 1]];
    const M = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) M[a[i]][b[i]]++;
    for (let f = 0; f < k; f++) for (let t = 0; t < k; t++) {
      if (M[f][t] < minFlow) continue;
      source.push(s * k + f); target.push((s + 1) * k + t); value.push(M[f][t]);
      lcolor.push(PALETTE[f % PALETTE.length] + "66");
    }
  }
  return {
    data: [{ type: "sankey", arrangement: "snap", node: { label, color, pad: 14, thickness: 16, x, y, customdata: hover, hovertemplate: "%{customdata}<extra></extra>" }, link: { source, target, value, color: lcolor } }],
    layout: { title: { text: options.title ?? `Segment migration (${track.periods[ps[0]].label} → ${track.periods[ps[ps.length - 1]].label}, customers present in both periods)` }, height: 560, font: { size: 12 }, annotations: headers, margin: { t: 90, l: 20, r: 20 } },
  };
}

/**
 * PSI per feature and segment shares over time as a line figure with the threshold drawn.
 * @example
 * showFigure(driftFigure(track));
 */
export function driftFigure(track: SegmentTrack, threshold = PSI_DRIFT_THRESHOLD): Figure {
  const t = track.psi;
  const names = [...new Set(t.str("name"))];
  const per = t.str("period"), nm = t.str("name"), psi = t.num("psi");
  const data = names.map((n) => {
    const xs: string[] = [], ys: number[] = [];
    for (let i = 0; i < t.numRows; i++) if (nm[i] === n) { xs.push(per[i]); ys.push(psi[i]); }
    return { type: "scatter", mode: "lines+markers", name: n, x: xs, y: ys };
  });
  return {
    data,
    layout: {
      title: { text: `Population stability index vs previous period (re-cluster when > ${threshold})` },
      yaxis: { title: { text: "PSI" }, rangemode: "tozero" },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: threshold, y1: threshold, line: { dash: "dash", color: "#d64545" } }],
    },
  };
}

void DAY_MS;

/** One flow between two segments across periods. */
export interface MigrationFlow {
  from: number;
  to: number;
  fromName: string;
  toName: string;
  /** Customers who were in `from` at the first period and in `to` at the second. */
  customers: number;
  /** customers / size of `from` at the first period (among customers present in both). */
  shareOfFrom: number;
}

/**
 * The largest off-diagonal flows between two periods (default first → last),
 * biggest first: where customers moved. A planted or real migration (e.g.
 * a cohort drifting from loyal to at-risk) shows up at the top.
 * @example
 * topMigrations(track, 3, 7)[0]; // { fromName: "Loyal (2)", toName: "At risk", customers: 86, … }
 */
export function topMigrations(track: SegmentTrack, from = 0, to = track.periods.length - 1, n = 5): MigrationFlow[] {
  const k = track.k, a = track.labels[from], b = track.labels[to];
  const M = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const rowTot = new Array<number>(k).fill(0);
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) { M[a[i]][b[i]]++; rowTot[a[i]]++; }
  const flows: MigrationFlow[] = [];
  for (let f = 0; f < k; f++) for (let t = 0; t < k; t++) {
    if (f === t || M[f][t] === 0) continue;
    flows.push({ from: f, to: t, fromName: track.names[f], toName: track.names[t], customers: M[f][t], shareOfFrom: M[f][t] / rowTot[f] });
  }
  return flows.sort((x, y) => y.customers - x.customers).slice(0, n);
}
