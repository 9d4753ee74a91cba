import * as fs from "fs";
import { writeFileAtomic } from "../util/output";
import * as os from "os";
import * as path from "path";
import { createRng, Rng } from "../util/random";
import { CustlabError, optionError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { Table } from "../table";
import { TRANSACTION_COLUMNS, REVIEW_COLUMNS } from "../io/schema";
import { AGE_BANDS, DAY_MS, MONTH_FACTORS, DEMO_CHANNELS, DEMO_COUNTRIES, DEMO_MIGRATIONS, DEMO_SEGMENTS, ZH_COUNTRIES } from "./config";
import { buildCatalogue, DEMO_CATEGORIES, DemoProduct } from "./catalogue";
import { buildCalendar, clockMs, cumAt, DemoCalendar, invCum, isoMinute, parseDay } from "./calendar";
import { DEMO_TOPICS, DemoSentiment, DemoTopic, ratingFor, writeReview } from "./reviews";
import { DIRTY_KINDS, DirtyKind, makeDirtyRow, DirtyOutcome } from "./dirty";
import { rocAucScore } from "./stats";
import { DemoTxRow, csvField, formatTxRow } from "./format";
import { isoDay } from "../util/numeric";
export type { DemoTxRow } from "./format";
export { formatTxRow } from "./format";

/** Options for {@link generateDemoShop} and {@link writeDemoShop}. */
export interface DemoOptions {
  /** Seed of every random draw (default 42). Same seed and options → byte-identical files. */
  seed?: number;
  /** Number of customers (default 3,000). Ignored when `scaleTransactions` is set. */
  customers?: number;
  /**
   * Target number of transaction lines; the customer count is scaled to reach
   * it (about {@link DEMO_LINES_PER_CUSTOMER} lines per customer). For benchmarks,
   * e.g. 10,000,000 with {@link writeDemoShop} (streams in bounded memory).
   */
  scaleTransactions?: number;
  /** Cutoff date for the churn truth, ISO date (default "2024-09-30"). Must lie inside the window with the horizon. */
  cutoff?: string;
  /** Churn horizon in days after the cutoff (default 90). */
  horizonDays?: number;
  /** Plant dirty rows in transactions.csv (default true). */
  dirty?: boolean;
  /** Customers simulated and written per block (default 10,000): bounds memory when scaling up. */
  blockCustomers?: number;
  /** Progress callback (stage "demo", done/total customers). */
  onProgress?: ProgressCallback;
}

/** Average transaction lines per customer at the default parameters (used by `scaleTransactions`; measured 15.7 on 606k customers). */
export const DEMO_LINES_PER_CUSTOMER = 15.8;
/** Default number of customers of the committed demo shop. */
export const DEMO_DEFAULT_CUSTOMERS = 3000;
const WINDOW_START = "2023-01-01";
const WINDOW_END = "2024-12-31";

/** Truth of one planted segment, as written to truth.json. */
export interface DemoSegmentTruth {
  id: number;
  name: string;
  /** Expected share (the realised share is in `realised_share`). */
  share: number;
  /** Share of generated customers in this segment at the start. */
  realised_share: number;
  /** BG/NBD parameters, per-day rates (λ ~ Gamma(r, rate α)). */
  bgnbd: { r: number; alpha: number; a: number; b: number };
  /** The same in per-week units (α/7). */
  bgnbd_week: { r: number; alpha: number; a: number; b: number };
  /** Gamma-Gamma spend parameters (lifetimes' p, q, v). */
  gammagamma: { p: number; q: number; v: number };
  /** Expected mean order value p·v/(q−1). */
  mean_order_value: number;
  /** Top 3 preferred categories. */
  top_categories: string[];
  /** Window (days from the window start) in which customers of this segment make their first purchase. */
  birth_days: [number, number];
}

/** Everything planted in the demo shop (truth.json). */
export interface DemoTruth {
  seed: number;
  window: { start: string; end: string };
  cutoff: string;
  horizon_days: number;
  /** How the cutoff and horizon are meant (see datasets/README.md). */
  cutoff_rule: string;
  /** Days the shop was closed (no orders), ISO dates. */
  closed_days: string[];
  counts: { customers: number; orders: number; lines: number; return_orders: number; return_lines: number; reviews: number; products: number };
  segments: DemoSegmentTruth[];
  migrations: Array<{ cohort_size: number; from: string; to: string; at: string; lambda_factor: number; p_dropout: number; quarter_index: number }>;
  seasonality: { month_factors: number[]; note: string };
  co_purchase_pairs: Array<{ a: { product_id: string; product_name: string }; b: { product_id: string; product_name: string }; p_b_given_a: number }>;
  topics: { en: Array<{ name: string; words: string[] }>; zh: Array<{ name: string; words: string[] }> };
  campaign: { sent_at: string; customers: number; baseline_rate: number; uplift_abs: number; by_segment: Array<{ segment: string; n: number; baseline: number; uplift: number }>; note: string };
  dirty: Record<string, number>;
  dirty_rows: Array<{ line: number; reason: string; detail: string }>;
  churn_bayes_auc: number;
  churn_rate: number;
  mean_churn_prob: number;
  alive_at_cutoff_rate: number;
}

/** The demo shop in memory: canonical tables plus the truth. */
export interface DemoShop {
  /**
   * Transaction lines a correct loader accepts (canonical columns, file order):
   * every clean line plus the planted rows that cleaning flags but keeps
   * (duplicates, missing customer ids, zero prices, zero quantities). The rows
   * a loader must quarantine exist only in the file.
   */
  transactions: Table;
  /** Reviews (canonical review columns). */
  reviews: Table;
  /** customer_id, signup_date, country, channel, age_band, gender. */
  customers: Table;
  /** customer_id, segment, arm, converted. */
  campaign: Table;
  /** Per-customer truth (see datasets/README.md). */
  truthCustomers: Table;
  /** review_id, sentiment, topic, language. */
  truthReviews: Table;
  /** return_order_id, product_id, quantity, original_order_id. */
  truthReturns: Table;
  /** product_id, product_name, category, list_price. */
  products: Table;
  /** truth.json. */
  truth: DemoTruth;
}

interface Line { pi: number; qty: number; price: number }
interface TxEvent { ms: number; cust: number; seq: number; isReturn: boolean; lines: Line[]; channel: string; ref: TxEvent | null; orderId: string }
interface ReviewEvent { ms: number; cust: number; seq: number; pi: number; lang: "en" | "zh"; topic: DemoTopic; sentiment: DemoSentiment; rating: number; title: string; text: string }

interface SimCustomer {
  index: number;
  id: string;
  seg: number;
  migrated: boolean;
  migDay: number;
  lambda0: number;
  p0: number;
  lambda1: number;
  p1: number;
  nu: number;
  times: number[];
  deathTime: number;
  country: string;
  channel: string;
  age: string;
  gender: string;
  signupMs: number;
  convertU: number;
}

/** Sinks receive generated records; the file sink formats CSV, the memory sink builds tables. */
interface DemoSink {
  tx(row: DemoTxRow): void;
  txRaw(text: string | Buffer): void;
  review(r: Record<string, string | number>): void;
  customer(r: string[]): void;
  campaign(r: string[]): void;
  truthCustomer(r: (string | number)[]): void;
  truthReview(r: string[]): void;
  truthReturn(r: string[]): void;
  product(r: (string | number)[]): void;
  /** Physical line number (1-based, header = 1) the next transaction line will have. */
  nextTxLine(): number;
}

const TX_HEADER = Object.keys(TRANSACTION_COLUMNS);
const REVIEW_HEADER = Object.keys(REVIEW_COLUMNS);
const CUSTOMER_HEADER = ["customer_id", "signup_date", "country", "channel", "age_band", "gender"];
const CAMPAIGN_HEADER = ["customer_id", "segment", "arm", "converted"];
const QUARTER_STARTS = ["2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01", "2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"];
const TRUTH_CUSTOMER_HEADER = [
  "customer_id", "segment", "segment_final", "lambda", "p_dropout", "alive_at_cutoff", "churn_prob", "churned",
  ...QUARTER_STARTS.map((_, i) => `segment_q${i + 1}`),
  "lambda_initial", "p_dropout_initial", "migrated", "p_alive_cutoff", "purchases_before_cutoff", "purchases_in_horizon",
  "first_purchase", "dropout_date", "expected_order_value", "orders_total",
];

function num6(x: number): string {
  if (!Number.isFinite(x)) return "";
  return String(Number(x.toPrecision(6)));
}

interface Ctx {
  seed: number;
  cal: DemoCalendar;
  products: DemoProduct[];
  pairs: Array<[number, number]>;
  /** product indices by category index */
  byCat: number[][];
  /** per segment: category weights (length = categories) */
  catW: Float64Array[];
  cutoffT: number; // process time of the cutoff instant (start of the day after the cutoff date)
  horizonT: number;
  migration: { from: number; to: number; day: number; share: number; lambdaFactor: number; pDropout: number; quarter: number } | null;
  quarterDays: number[];
  /** Cached cumulative product weights (see productCdf). */
  cdfCache: Map<number, Float64Array>;
}

function validate(o: DemoOptions): Required<Omit<DemoOptions, "onProgress" | "scaleTransactions">> & { onProgress?: ProgressCallback } {
  const seed = o.seed ?? 42;
  if (!Number.isFinite(seed)) optionError("seed", `must be a number, got ${seed}`);
  let customers = o.customers ?? DEMO_DEFAULT_CUSTOMERS;
  if (o.scaleTransactions !== undefined) {
    if (!(o.scaleTransactions >= 1000)) optionError("scaleTransactions", `must be at least 1000, got ${o.scaleTransactions}`);
    customers = Math.ceil(o.scaleTransactions / DEMO_LINES_PER_CUSTOMER);
  }
  if (!Number.isInteger(customers) || customers < 50) optionError("customers", `must be an integer ≥ 50, got ${customers}`);
  const cutoff = o.cutoff ?? "2024-09-30";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cutoff) || !Number.isFinite(Date.parse(cutoff)) || isoDay(Date.parse(cutoff)) !== cutoff) optionError("cutoff", `must be an ISO date like 2024-09-30, got "${cutoff}"`);
  const horizonDays = o.horizonDays ?? 90;
  if (!Number.isInteger(horizonDays) || horizonDays < 1) optionError("horizonDays", `must be a positive integer, got ${horizonDays}`);
  const startMs = parseDay(WINDOW_START), endMs = parseDay(WINDOW_END);
  const cMs = parseDay(cutoff);
  if (cMs < startMs + 180 * DAY_MS || cMs + horizonDays * DAY_MS > endMs) {
    optionError("cutoff", `${cutoff} + ${horizonDays} days must lie inside ${WINDOW_START}..${WINDOW_END} with at least 180 days of history`);
  }
  const blockCustomers = o.blockCustomers ?? 10_000;
  if (!Number.isInteger(blockCustomers) || blockCustomers < 100) optionError("blockCustomers", `must be an integer ≥ 100, got ${blockCustomers}`);
  return { seed, customers, cutoff, horizonDays, dirty: o.dirty ?? true, blockCustomers, onProgress: o.onProgress };
}

function makeCtx(seed: number, cutoff: string, horizonDays: number): Ctx {
  const startMs = parseDay(WINDOW_START);
  const cutoffDay = Math.round((parseDay(cutoff) - startMs) / DAY_MS);
  // Closed on the cutoff date and on the last horizon day: both "< cutoff 00:00" and
  // "≤ cutoff 23:59" conventions then give the same history and the same labels.
  const closed = [cutoffDay, cutoffDay + horizonDays];
  const cal = buildCalendar(WINDOW_START, WINDOW_END, DEMO_SEGMENTS, closed);
  const catRng = createRng((seed ^ 0x5eed) >>> 0);
  const { products, pairs } = buildCatalogue(catRng);
  const byCat: number[][] = DEMO_CATEGORIES.map(() => []);
  products.forEach((p, i) => byCat[p.categoryIndex].push(i));
  const catW = DEMO_SEGMENTS.map((seg) => Float64Array.from(DEMO_CATEGORIES, (c) => seg.categoryWeights[c] ?? 1));
  const quarterDays = QUARTER_STARTS.map((q) => Math.round((parseDay(q) - startMs) / DAY_MS));
  let migration: Ctx["migration"] = null;
  const m = DEMO_MIGRATIONS[0];
  if (m) {
    const day = Math.round((parseDay(m.at) - startMs) / DAY_MS);
    migration = {
      from: DEMO_SEGMENTS.findIndex((s) => s.name === m.from), to: DEMO_SEGMENTS.findIndex((s) => s.name === m.to),
      day, share: m.share, lambdaFactor: m.lambdaFactor, pDropout: m.pDropout, quarter: quarterDays.indexOf(day),
    };
  }
  return { seed, cal, products, pairs, byCat, catW, cdfCache: new Map(), cutoffT: cutoffDay + 1, horizonT: cutoffDay + 1 + horizonDays, migration, quarterDays };
}

/** Cumulative expected purchases L(t) of a customer (rate λ0 before migration, λ1 after). */
function Lcum(ctx: Ctx, c: SimCustomer, t: number): number {
  const g = c.seg;
  if (!c.migrated || t <= c.migDay) return c.lambda0 * cumAt(ctx.cal, g, t);
  const cm = cumAt(ctx.cal, g, c.migDay);
  return c.lambda0 * cm + c.lambda1 * (cumAt(ctx.cal, g, t) - cm);
}

function invL(ctx: Ctx, c: SimCustomer, L: number): number {
  const g = c.seg;
  if (!c.migrated) return invCum(ctx.cal, g, L / c.lambda0);
  const cm = cumAt(ctx.cal, g, c.migDay);
  const Lm = c.lambda0 * cm;
  if (L <= Lm) return invCum(ctx.cal, g, L / c.lambda0);
  return invCum(ctx.cal, g, cm + (L - Lm) / c.lambda1);
}

function drawIndex(w: ArrayLike<number>, rng: Rng): number {
  return rng.categorical(w);
}

function simulateCustomer(ctx: Ctx, index: number, idWidth: number, rng: Rng): SimCustomer {
  const seg = rng.categorical(DEMO_SEGMENTS.map((s) => s.share));
  const spec = DEMO_SEGMENTS[seg];
  const { r, alpha, a, b } = spec.bgnbd;
  const lambda0 = rng.gamma(r) / alpha;
  const p0 = rng.beta(a, b);
  const nu = rng.gamma(spec.gammagamma.q) / spec.gammagamma.v;
  const mig = ctx.migration;
  const migrated = !!mig && mig.from === seg && rng.next() < mig.share;
  const c: SimCustomer = {
    index, id: `cust${String(index + 1).padStart(idWidth, "0")}`, seg, migrated,
    migDay: migrated ? mig!.day : Infinity,
    lambda0, p0, lambda1: migrated ? lambda0 * mig!.lambdaFactor : lambda0, p1: migrated ? mig!.pDropout : p0,
    nu, times: [], deathTime: Infinity,
    country: DEMO_COUNTRIES[drawIndex(spec.countries, rng)],
    channel: DEMO_CHANNELS[drawIndex(spec.channels, rng)],
    age: AGE_BANDS[drawIndex(seg === 0 ? [1, 4, 4, 2, 1, 0.5] : seg === 2 ? [4, 4, 2, 1, 0.5, 0.3] : seg === 1 ? [0.5, 2, 3, 3, 2, 1] : [2, 3, 2, 2, 1, 1], rng)],
    gender: ["F", "M", "X"][drawIndex([0.52, 0.45, 0.03], rng)],
    signupMs: 0, convertU: rng.next(),
  };
  // Birth = first purchase, uniform in the segment's birth window (never on a closed day).
  const [b0, b1] = spec.birthDays;
  let tb = b0 + rng.next() * (b1 - b0);
  while (ctx.cal.s[seg][Math.floor(tb)] === 0) tb += 1;
  c.times.push(tb);
  const back = Math.floor(rng.next() * rng.next() * 60);
  c.signupMs = ctx.cal.startMs + Math.max(0, Math.floor(tb) - back) * DAY_MS;
  // Repeat purchases: exact non-homogeneous Poisson by inverting L; dropout after each repeat purchase.
  let t = tb;
  for (;;) {
    const target = Lcum(ctx, c, t) + rng.exponential(1);
    const tn = invL(ctx, c, target);
    if (!(tn < ctx.cal.nDays)) break;
    t = tn;
    c.times.push(t);
    const p = t >= c.migDay ? c.p1 : c.p0;
    if (rng.next() < p) { c.deathTime = t; break; }
  }
  return c;
}

/** Truth at the cutoff for one customer. */
function churnTruth(ctx: Ctx, c: SimCustomer) {
  const T = ctx.cutoffT;
  let nBefore = 0;
  let tx = c.times[0];
  for (const t of c.times) if (t < T) { nBefore++; tx = t; }
  const x = nBefore - 1;
  let pAlive = 1;
  if (x > 0) {
    const px = tx >= c.migDay ? c.p1 : c.p0;
    const lam = Lcum(ctx, c, T) - Lcum(ctx, c, tx);
    pAlive = 1 / (1 + (px / (1 - px)) * Math.exp(lam));
  }
  const lamH = Lcum(ctx, c, ctx.horizonT) - Lcum(ctx, c, T);
  const churnProb = 1 - pAlive * (1 - Math.exp(-lamH));
  let inH = 0;
  for (const t of c.times) if (t >= T && t < ctx.horizonT) inH++;
  return { pAlive, churnProb, churned: inH === 0 ? 1 : 0, inH, nBefore, alive: c.deathTime < T ? 0 : 1 };
}

function segmentInQuarter(ctx: Ctx, c: SimCustomer, q: number): number {
  if (c.migrated && ctx.quarterDays[q] >= c.migDay) return ctx.migration!.to;
  return c.seg;
}

/** Price-fit kernel resolution: targets are binned on a log grid of this step. */
const LOG_STEP = 0.05;
const LOG_MIN = Math.log(0.5);
const LOG_BINS = Math.ceil((Math.log(5000) - LOG_MIN) / LOG_STEP) + 1;

/** Cumulative product weights per (category, log-target bin): popularity × exp(−(ln price − ln target)²/(2·0.8²)). */
function productCdf(ctx: Ctx, ci: number, bin: number): Float64Array {
  const key = ci * LOG_BINS + bin;
  let cdf = ctx.cdfCache.get(key);
  if (cdf) return cdf;
  const items = ctx.byCat[ci];
  cdf = new Float64Array(items.length);
  const lt = LOG_MIN + bin * LOG_STEP;
  let acc = 0;
  for (let i = 0; i < items.length; i++) {
    const p = ctx.products[items[i]];
    const d = Math.log(p.price) - lt;
    acc += p.popularity * Math.exp((-d * d) / (2 * 0.8 * 0.8));
    cdf[i] = acc;
  }
  ctx.cdfCache.set(key, cdf);
  return cdf;
}

function chooseProduct(ctx: Ctx, seg: number, target: number, rng: Rng): number {
  const ci = drawIndex(ctx.catW[seg], rng);
  const bin = Math.min(LOG_BINS - 1, Math.max(0, Math.round((Math.log(Math.max(0.5, target)) - LOG_MIN) / LOG_STEP)));
  const cdf = productCdf(ctx, ci, bin);
  const u = rng.next() * cdf[cdf.length - 1];
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] > u) hi = mid; else lo = mid + 1; }
  return ctx.byCat[ci][lo];
}

/** Order lines for an order of value z: items picked by segment taste and price fit, prices scaled so the order totals z. */
function buildBasket(ctx: Ctx, seg: number, z: number, rng: Rng): Line[] {
  const spec = DEMO_SEGMENTS[seg];
  const k = Math.min(8, 1 + rng.poisson(spec.basketMean - 1));
  const target = z / k;
  const lines: Line[] = [];
  for (let i = 0; i < k; i++) {
    const pi = chooseProduct(ctx, seg, target, rng);
    const ex = lines.find((l) => l.pi === pi);
    const price = ctx.products[pi].price;
    const qty = price >= target ? 1 : Math.max(1, Math.min(6, Math.round((target / price) * (0.6 + 0.8 * rng.next()))));
    if (ex) ex.qty += 1; else lines.push({ pi, qty, price });
  }
  // Planted co-purchase pairs.
  for (const [a, b] of ctx.pairs) {
    const hasA = lines.some((l) => l.pi === a), hasB = lines.some((l) => l.pi === b);
    if (hasA && !hasB && rng.next() < 0.7) lines.push({ pi: b, qty: 1, price: ctx.products[b].price });
    else if (hasB && !hasA && rng.next() < 0.25) lines.push({ pi: a, qty: 1, price: ctx.products[a].price });
  }
  // Keep the price scaling near 1 by adjusting quantities, then scale to the exact order value.
  for (let it = 0; it < 8; it++) {
    const sum = lines.reduce((s, l) => s + l.qty * l.price, 0);
    const c = z / sum;
    if (c > 1.5) {
      let best = 0;
      for (let i = 1; i < lines.length; i++) if (lines[i].price < lines[best].price) best = i;
      if (lines[best].qty >= 12) break;
      lines[best].qty++;
    } else if (c < 0.67) {
      let best = -1;
      for (let i = 0; i < lines.length; i++) if (lines[i].qty > 1 && (best < 0 || lines[i].price * lines[i].qty > lines[best].price * lines[best].qty)) best = i;
      if (best < 0) break;
      lines[best].qty--;
    } else break;
  }
  const sum = lines.reduce((s, l) => s + l.qty * l.price, 0);
  const c = z / sum;
  for (const l of lines) l.price = Math.max(0.01, Math.round(l.price * c * 100) / 100);
  return lines;
}

/** Categories whose quality reviews talk about fabric and stitching. */
const SOFT_GOODS = new Set(["Apparel", "Footwear", "Accessories", "Home"]);

function topicWeights(ctx: Ctx, seg: number, pi: number): number[] {
  const cat = ctx.products[pi].category;
  const w = cat === "Apparel" || cat === "Footwear" ? [3, 1, 2, 1, 1] : cat === "Accessories" ? [1, 1, 2, 1.5, 1] : [0, 1.5, 2, 1.5, 1];
  if (DEMO_SEGMENTS[seg].name === "bargain_hunters") w[3] *= 2.5;
  if (DEMO_SEGMENTS[seg].name === "at_risk") { w[4] *= 2.5; w[1] *= 1.5; }
  return w;
}

/**
 * Core of the generator: simulates customers block by block and hands every
 * record to the sink. Deterministic in (seed, options).
 */
function runDemo(opts: ReturnType<typeof validate>, sink: DemoSink): DemoTruth {
  const { seed, customers: nCust, cutoff, horizonDays, blockCustomers } = opts;
  const ctx = makeCtx(seed, cutoff, horizonDays);
  const master = createRng(seed);
  const campaignRng = createRng((seed + 7919) >>> 0);
  const idWidth = Math.max(5, String(nCust).length);
  ctx.products.forEach((p) => sink.product([p.product_id, p.product_name, p.category, p.price.toFixed(2)]));

  // Dirty-row schedule: insert after these clean-line indices (0-based), spread over the expected lines.
  const dirtyPlan: Array<{ at: number; kind: DirtyKind }> = [];
  if (opts.dirty) {
    const dRng = createRng((seed + 104729) >>> 0);
    const estLines = nCust * DEMO_LINES_PER_CUSTOMER;
    const scale = Math.max(1, Math.floor(estLines / 45_000));
    for (const [kind, count] of Object.entries(DIRTY_KINDS) as Array<[DirtyKind, number]>) {
      for (let i = 0; i < count * scale; i++) dirtyPlan.push({ at: 50 + Math.floor(dRng.next() * estLines * 0.9), kind });
    }
    dirtyPlan.sort((x, y) => x.at - y.at || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0));
  }
  const dirtyRng = createRng((seed + 15485863) >>> 0);
  const dirtyCounts: Record<string, number> = {};
  const dirtyRows: DemoTruth["dirty_rows"] = [];
  let planPos = 0;
  let cleanLines = 0;
  let orderNo = 500000;
  let reviewNo = 0;
  let nOrders = 0, nLines = 0, nReturnOrders = 0, nReturnLines = 0;
  let lastRow: DemoTxRow | null = null;

  const churnProb = new Float64Array(nCust);
  const churned = new Uint8Array(nCust);
  let aliveCount = 0;
  const segCounts = new Float64Array(DEMO_SEGMENTS.length);
  let migratedCount = 0;
  const campaignBySeg = DEMO_SEGMENTS.map(() => ({ n: 0, baseline: 0, uplift: 0 }));
  // Topic vocabulary statistics from the first block's reviews.
  const topicTexts: Record<"en" | "zh", Record<string, string[]>> = { en: {}, zh: {} };

  const emitDirty = (kind: DirtyKind) => {
    if (!lastRow) return;
    const line = sink.nextTxLine();
    const out: DirtyOutcome = makeDirtyRow(kind, lastRow, dirtyRng, () => String(++orderNo));
    if (out.row) sink.tx(out.row);
    else sink.txRaw(out.raw!);
    dirtyCounts[kind] = (dirtyCounts[kind] ?? 0) + 1;
    dirtyRows.push({ line, reason: kind, detail: out.detail });
  };

  for (let b0 = 0; b0 < nCust; b0 += blockCustomers) {
    const b1 = Math.min(nCust, b0 + blockCustomers);
    const events: TxEvent[] = [];
    const reviews: ReviewEvent[] = [];
    const sims: SimCustomer[] = [];
    for (let i = b0; i < b1; i++) {
      const rng = master.fork();
      const c = simulateCustomer(ctx, i, idWidth, rng);
      sims.push(c);
      segCounts[c.seg]++;
      if (c.migrated) migratedCount++;
      const spec = DEMO_SEGMENTS[c.seg];
      const lang: "en" | "zh" = ZH_COUNTRIES.has(c.country) ? "zh" : "en";
      let seq = 0;
      for (const t of c.times) {
        const z = rng.gamma(spec.gammagamma.p) / c.nu;
        const lines = buildBasket(ctx, c.seg, z, rng);
        const ms = clockMs(ctx.cal, c.seg, t);
        const channel = DEMO_CHANNELS[drawIndex(spec.channels, rng)];
        const ev: TxEvent = { ms, cust: i, seq: seq++, isReturn: false, lines, channel, ref: null, orderId: "" };
        events.push(ev);
        for (const l of lines) {
          const cat = ctx.products[l.pi].category;
          const retP = spec.returnRate * (cat === "Apparel" || cat === "Footwear" ? 1.6 : 0.7);
          let returned = false;
          if (rng.next() < retP) {
            let rd = Math.floor(t + 3 + rng.next() * 27);
            while (rd < ctx.cal.nDays && ctx.cal.s[0][rd] === 0 && ctx.cal.s[1][rd] === 0) rd++;
            if (rd < ctx.cal.nDays) {
              returned = true;
              const qty = l.qty > 1 && rng.next() < 0.4 ? 1 + rng.int(l.qty - 1) : l.qty;
              const rms = ctx.cal.startMs + rd * DAY_MS + (9 * 60 + rng.int(9 * 60)) * 60_000;
              events.push({ ms: rms, cust: i, seq: seq++, isReturn: true, lines: [{ pi: l.pi, qty: -qty, price: l.price }], channel: ev.channel, ref: ev, orderId: "" });
            }
          }
          const revP = spec.reviewRate * (lang === "zh" ? 1.6 : 1) * (returned ? 2.5 : 1);
          if (rng.next() < revP) {
            const rday = t + 2 + rng.next() * 20;
            if (rday < ctx.cal.nDays) {
              let sentiment: DemoSentiment;
              let topic: DemoTopic;
              if (returned) {
                sentiment = (["negative", "neutral", "positive"] as const)[drawIndex([0.75, 0.15, 0.1], rng)];
                topic = cat === "Apparel" || cat === "Footwear" ? (rng.next() < 0.7 ? "fit" : "quality") : (rng.next() < 0.7 ? "quality" : "service");
              } else {
                sentiment = (["positive", "neutral", "negative"] as const)[drawIndex(spec.sentimentMix, rng)];
                topic = DEMO_TOPICS[drawIndex(topicWeights(ctx, c.seg, l.pi), rng)];
              }
              const { title, text } = writeReview(lang, topic, sentiment, rng, SOFT_GOODS.has(cat));
              const rating = ratingFor(sentiment, rng);
              reviews.push({ ms: clockMs(ctx.cal, c.seg, rday), cust: i, seq: seq++, pi: l.pi, lang, topic, sentiment, rating, title, text });
            }
          }
        }
      }
    }
    // Transactions in time order; order numbers follow time like invoice numbers.
    events.sort((x, y) => x.ms - y.ms || x.cust - y.cust || x.seq - y.seq);
    for (const ev of events) {
      ev.orderId = ev.isReturn ? `C${++orderNo}` : String(++orderNo);
      const c = sims[ev.cust - b0];
      if (ev.isReturn) { nReturnOrders++; nReturnLines += ev.lines.length; } else nOrders++;
      for (const l of ev.lines) {
        const p = ctx.products[l.pi];
        const row: DemoTxRow = {
          customer_id: c.id, order_id: ev.orderId, ms: ev.ms, product_id: p.product_id, product_name: p.product_name,
          category: p.category, quantity: l.qty, unit_price: l.price, country: c.country, channel: ev.channel,
        };
        sink.tx(row);
        if (ev.isReturn) sink.truthReturn([ev.orderId, p.product_id, String(l.qty), ev.ref!.orderId]);
        if (!ev.isReturn) lastRow = row; // dirty rows copy purchases, never returns
        nLines++;
        cleanLines++;
        while (planPos < dirtyPlan.length && dirtyPlan[planPos].at < cleanLines) emitDirty(dirtyPlan[planPos++].kind);
      }
    }
    // Reviews in time order.
    reviews.sort((x, y) => x.ms - y.ms || x.cust - y.cust || x.seq - y.seq);
    for (const r of reviews) {
      const id = `R${String(++reviewNo).padStart(6, "0")}`;
      const c = sims[r.cust - b0];
      const p = ctx.products[r.pi];
      sink.review({
        review_id: id, product_id: p.product_id, customer_id: c.id, timestamp: r.ms, rating: r.rating, title: r.title, text: r.text,
        language: r.lang, category: p.category, label: r.sentiment === "positive" ? 1 : r.sentiment === "negative" ? 0 : NaN,
      });
      sink.truthReview([id, r.sentiment, r.topic, r.lang]);
      if (b0 === 0) (topicTexts[r.lang][r.topic] ??= []).push(`${r.title} ${r.text}`);
    }
    // Customers, truth and the campaign (stratified by segment at the cutoff).
    const cutoffQuarter = Math.max(0, ctx.quarterDays.filter((d) => d < ctx.cutoffT).length - 1);
    const bySeg: number[][] = DEMO_SEGMENTS.map(() => []);
    for (const c of sims) {
      const tr = churnTruth(ctx, c);
      churnProb[c.index] = tr.churnProb;
      churned[c.index] = tr.churned;
      aliveCount += tr.alive;
      const quarters = ctx.quarterDays.map((_, q) => DEMO_SEGMENTS[segmentInQuarter(ctx, c, q)].name);
      const atCutoffLambda = ctx.cutoffT > c.migDay ? c.lambda1 : c.lambda0;
      const atCutoffP = ctx.cutoffT > c.migDay ? c.p1 : c.p0;
      sink.customer([c.id, isoDay(c.signupMs), c.country, c.channel, c.age, c.gender]);
      sink.truthCustomer([
        c.id, DEMO_SEGMENTS[c.seg].name, quarters[quarters.length - 1], num6(atCutoffLambda), num6(atCutoffP), tr.alive, num6(tr.churnProb), tr.churned,
        ...quarters, num6(c.lambda0), num6(c.p0), c.migrated ? 1 : 0, num6(tr.pAlive), tr.nBefore, tr.inH,
        isoDay(clockMs(ctx.cal, c.seg, c.times[0])), Number.isFinite(c.deathTime) ? isoDay(clockMs(ctx.cal, c.seg, c.deathTime)) : "",
        num6(DEMO_SEGMENTS[c.seg].gammagamma.p / c.nu), c.times.length,
      ]);
      bySeg[segmentInQuarter(ctx, c, cutoffQuarter)].push(c.index - b0);
    }
    const armOf = new Int8Array(sims.length);
    const segOf = new Int8Array(sims.length);
    for (let g = 0; g < bySeg.length; g++) {
      const members = campaignRng.shuffle(bySeg[g].slice());
      const firstArm = campaignRng.int(2);
      members.forEach((m, j) => { armOf[m] = (j + firstArm) % 2; segOf[m] = g; });
    }
    for (let m = 0; m < sims.length; m++) {
      const c = sims[m], g = segOf[m];
      const spec = DEMO_SEGMENTS[g].campaign;
      const treat = armOf[m] === 1;
      const conv = c.convertU < spec.baseline + (treat ? spec.uplift : 0) ? 1 : 0;
      campaignBySeg[g].n++;
      sink.campaign([c.id, DEMO_SEGMENTS[g].name, treat ? "treatment" : "control", String(conv)]);
    }
    opts.onProgress?.({ stage: "demo", done: b1, total: nCust, message: `${nLines} lines` });
  }
  while (planPos < dirtyPlan.length) emitDirty(dirtyPlan[planPos++].kind);

  let nCampaign = 0, baseSum = 0, upSum = 0;
  const campaignSegs = DEMO_SEGMENTS.map((s, g) => {
    const n = campaignBySeg[g].n;
    nCampaign += n; baseSum += n * s.campaign.baseline; upSum += n * s.campaign.uplift;
    return { segment: s.name, n, baseline: s.campaign.baseline, uplift: s.campaign.uplift };
  });
  let cr = 0, mp = 0;
  for (let i = 0; i < nCust; i++) { cr += churned[i]; mp += churnProb[i]; }
  const mig = ctx.migration;
  return {
    seed,
    window: { start: WINDOW_START, end: WINDOW_END },
    cutoff,
    horizon_days: horizonDays,
    cutoff_rule: `history = orders dated on or before ${cutoff}; churned = no order dated in the next ${horizonDays} days. The shop was closed on ${cutoff} and on ${isoDay(ctx.cal.startMs + (ctx.horizonT - 1) * DAY_MS)}, so "timestamp < ${cutoff}T00:00Z" and "date ≤ ${cutoff}" conventions give identical features and labels.`,
    closed_days: [isoDay(ctx.cal.startMs + (ctx.cutoffT - 1) * DAY_MS), isoDay(ctx.cal.startMs + (ctx.horizonT - 1) * DAY_MS)],
    counts: { customers: nCust, orders: nOrders, lines: nLines, return_orders: nReturnOrders, return_lines: nReturnLines, reviews: reviewNo, products: ctx.products.length },
    segments: DEMO_SEGMENTS.map((s) => ({
      id: s.id, name: s.name, share: s.share, realised_share: round6(segCounts[s.id] / nCust),
      bgnbd: { r: s.bgnbd.r, alpha: round12(s.bgnbd.alpha), a: s.bgnbd.a, b: s.bgnbd.b },
      bgnbd_week: { r: s.bgnbd.r, alpha: round12(s.bgnbd.alpha / 7), a: s.bgnbd.a, b: s.bgnbd.b },
      gammagamma: { p: s.gammagamma.p, q: s.gammagamma.q, v: round12(s.gammagamma.v) },
      mean_order_value: round6((s.gammagamma.p * s.gammagamma.v) / (s.gammagamma.q - 1)),
      top_categories: Object.entries(s.categoryWeights).sort((x, y) => y[1] - x[1]).slice(0, 3).map((e) => e[0]),
      birth_days: s.birthDays,
    })),
    migrations: mig ? [{
      cohort_size: migratedCount, from: DEMO_SEGMENTS[mig.from].name, to: DEMO_SEGMENTS[mig.to].name, at: DEMO_MIGRATIONS[0].at,
      lambda_factor: mig.lambdaFactor, p_dropout: mig.pDropout, quarter_index: mig.quarter + 1,
    }] : [],
    seasonality: { month_factors: monthFactorsNormalised(), note: "order intensity × month factor (Jan..Dec, mean 1) × segment weekday factor; λ is the average rate per day" },
    co_purchase_pairs: ctx.pairs.map(([a, b]) => ({
      a: { product_id: ctx.products[a].product_id, product_name: ctx.products[a].product_name },
      b: { product_id: ctx.products[b].product_id, product_name: ctx.products[b].product_name },
      p_b_given_a: 0.7,
    })),
    topics: { en: topicWords(topicTexts.en, "en"), zh: topicWords(topicTexts.zh, "zh") },
    campaign: {
      sent_at: cutoff, customers: nCampaign, baseline_rate: round6(baseSum / nCampaign), uplift_abs: round6(upSum / nCampaign), by_segment: campaignSegs,
      note: "every customer, assigned 50/50 within segment-at-cutoff strata; converted ~ Bernoulli(baseline_segment + uplift_segment·treated); uplift_abs is the population-weighted average treatment effect",
    },
    dirty: Object.fromEntries(Object.entries(dirtyCounts).sort((x, y) => (x[0] < y[0] ? -1 : 1))),
    dirty_rows: dirtyRows,
    churn_bayes_auc: round6(rocAucScore(churned, churnProb)),
    churn_rate: round6(cr / nCust),
    mean_churn_prob: round6(mp / nCust),
    alive_at_cutoff_rate: round6(aliveCount / nCust),
  };
}

function monthFactorsNormalised(): number[] {
  const m = MONTH_FACTORS.reduce((a, b) => a + b, 0) / 12;
  return MONTH_FACTORS.map((x) => round6(x / m));
}

function round12(x: number): number {
  return Number(x.toPrecision(12));
}

function round6(x: number): number {
  return Number(x.toPrecision(6));
}

const EN_STOP = new Set("the a an and or but is was were it i my me to of in on at for with this that be been as so very really extremely super too after about from what you had did didn't not no never do does got just one all even a bit".split(" "));

/**
 * Candidate Chinese words (each one segment for Intl.Segmenter('zh')): counting
 * them by substring keeps truth.json independent of the ICU version.
 */
const ZH_CANDIDATES = (
  "尺寸 合适 大小 长度 袖子 裤子 腰身 衣服 标准 物流 快递 包装 收到 速度 送货 及时 仔细 完好 准时 " +
  "质量 做工 材料 布料 结实 耐用 手感 粗糙 精细 舒服 可靠 价格 价钱 实惠 划算 便宜 优惠 合理 值得 力度 " +
  "服务 商家 回复 退款 态度 耐心 热情 周到 客户 麻烦 喜欢 推荐 满意 失望 后悔 一般"
).split(" ");

function zhTokens(t: string): string[] {
  const out: string[] = [];
  for (const w of ZH_CANDIDATES) for (let i = t.indexOf(w); i >= 0; i = t.indexOf(w, i + w.length)) out.push(w);
  return out;
}

/** Topic words from generated reviews: frequent tokens that occur mostly (≥ 75%) in one planted topic. */
function topicWords(texts: Record<string, string[]>, lang: "en" | "zh"): Array<{ name: string; words: string[] }> {
  const counts: Record<string, Map<string, number>> = {};
  const total = new Map<string, number>();
  for (const topic of DEMO_TOPICS) {
    const m = new Map<string, number>();
    counts[topic] = m;
    for (const t of texts[topic] ?? []) {
      const toks = lang === "en"
        ? t.toLowerCase().split(/[^a-z']+/).filter((w) => w.length > 2 && !EN_STOP.has(w))
        : zhTokens(t);
      for (const w of toks) { m.set(w, (m.get(w) ?? 0) + 1); total.set(w, (total.get(w) ?? 0) + 1); }
    }
  }
  return DEMO_TOPICS.map((topic) => {
    const m = counts[topic];
    const words = [...m.entries()]
      .filter(([w, n]) => n >= 5 && n / total.get(w)! >= 0.75)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, 10)
      .map((e) => e[0]);
    return { name: topic, words };
  });
}

// ---------------------------------------------------------------- sinks

class ChunkWriter {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(file: string) { this.fd = fs.openSync(file, "w"); }
  write(s: string | Buffer): void {
    if (typeof s !== "string") { this.flush(); fs.writeSync(this.fd, s); return; }
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.size) fs.writeSync(this.fd, Buffer.from(this.parts.join(""), "utf8"));
    this.parts = [];
    this.size = 0;
  }
  close(): void { this.flush(); fs.closeSync(this.fd); }
}

function csvLine(fields: (string | number)[]): string {
  return fields.map((f) => csvField(String(f))).join(",") + "\n";
}

class FileSink implements DemoSink {
  readonly w: Record<string, ChunkWriter> = {};
  private txLine = 2;
  constructor(dir: string) {
    const open = (name: string, header: string[]) => { const w = new ChunkWriter(path.join(dir, name)); w.write(header.join(",") + "\n"); this.w[name] = w; };
    open("transactions.csv", TX_HEADER);
    open("reviews.csv", REVIEW_HEADER);
    open("customers.csv", CUSTOMER_HEADER);
    open("campaign.csv", CAMPAIGN_HEADER);
    open("truth_customers.csv", TRUTH_CUSTOMER_HEADER);
    open("truth_reviews.csv", ["review_id", "sentiment", "topic", "language"]);
    open("truth_returns.csv", ["return_order_id", "product_id", "quantity", "original_order_id"]);
    open("products.csv", ["product_id", "product_name", "category", "list_price"]);
  }
  tx(row: DemoTxRow): void { this.w["transactions.csv"].write(formatTxRow(row) + "\n"); this.txLine++; }
  txRaw(text: string | Buffer): void { this.w["transactions.csv"].write(text); this.w["transactions.csv"].write("\n"); this.txLine++; }
  nextTxLine(): number { return this.txLine; }
  review(r: Record<string, string | number>): void {
    this.w["reviews.csv"].write(csvLine(REVIEW_HEADER.map((k) => {
      const v = r[k];
      if (k === "timestamp") return isoMinute(v as number);
      if (typeof v === "number") return Number.isNaN(v) ? "" : String(v);
      return v;
    })));
  }
  customer(r: string[]): void { this.w["customers.csv"].write(csvLine(r)); }
  campaign(r: string[]): void { this.w["campaign.csv"].write(csvLine(r)); }
  truthCustomer(r: (string | number)[]): void { this.w["truth_customers.csv"].write(csvLine(r)); }
  truthReview(r: string[]): void { this.w["truth_reviews.csv"].write(csvLine(r)); }
  truthReturn(r: string[]): void { this.w["truth_returns.csv"].write(csvLine(r)); }
  product(r: (string | number)[]): void { this.w["products.csv"].write(csvLine(r)); }
  close(): void { for (const w of Object.values(this.w)) w.close(); }
}

class MemorySink implements DemoSink {
  tx_: DemoTxRow[] = [];
  reviews_: Record<string, string | number>[] = [];
  customers_: string[][] = [];
  campaign_: string[][] = [];
  truthCustomers_: (string | number)[][] = [];
  truthReviews_: string[][] = [];
  truthReturns_: string[][] = [];
  products_: (string | number)[][] = [];
  private txLine = 2;
  tx(row: DemoTxRow): void { this.tx_.push(row); this.txLine++; }
  txRaw(): void { this.txLine++; }
  nextTxLine(): number { return this.txLine; }
  review(r: Record<string, string | number>): void { this.reviews_.push(r); }
  customer(r: string[]): void { this.customers_.push(r); }
  campaign(r: string[]): void { this.campaign_.push(r); }
  truthCustomer(r: (string | number)[]): void { this.truthCustomers_.push(r); }
  truthReview(r: string[]): void { this.truthReviews_.push(r); }
  truthReturn(r: string[]): void { this.truthReturns_.push(r); }
  product(r: (string | number)[]): void { this.products_.push(r); }
}

function textTable(header: string[], rows: (string | number)[][], numeric: string[] = []): Table {
  const cols: Record<string, string[] | Float64Array> = {};
  header.forEach((h, j) => {
    if (numeric.includes(h)) cols[h] = Float64Array.from(rows, (r) => (r[j] === "" ? NaN : Number(r[j])));
    else cols[h] = rows.map((r) => String(r[j]));
  });
  return new Table(cols);
}

/**
 * Generate the demo shop in memory: canonical tables plus the planted truth.
 * Use for tests and notebooks at the default size; for large sizes use
 * {@link writeDemoShop}, which streams to files.
 *
 * @param options - see {@link DemoOptions}; defaults: seed 42, 3,000 customers, cutoff 2024-09-30, horizon 90 days
 * @returns the tables and truth
 * @example
 * const shop = generateDemoShop({ seed: 42 });
 * shop.transactions.numRows;          // ~44,000 lines
 * shop.truth.churn_bayes_auc;          // Bayes-optimal churn AUC at the cutoff
 * shop.truthCustomers.str("segment");  // planted segment per customer
 */
export function generateDemoShop(options: DemoOptions = {}): DemoShop {
  const opts = validate(options);
  if (opts.customers > 200_000) optionError("customers", `generateDemoShop keeps everything in memory; use writeDemoShop for ${opts.customers} customers`);
  const sink = new MemorySink();
  const truth = runDemo(opts, sink);
  const t = sink.tx_;
  const transactions = new Table({
    customer_id: t.map((r) => r.customer_id),
    order_id: t.map((r) => r.order_id),
    timestamp: Float64Array.from(t, (r) => r.ms),
    product_id: t.map((r) => r.product_id),
    product_name: t.map((r) => r.product_name),
    category: t.map((r) => r.category),
    quantity: Float64Array.from(t, (r) => r.quantity),
    unit_price: Float64Array.from(t, (r) => r.unit_price),
    country: t.map((r) => r.country),
    channel: t.map((r) => r.channel),
  }, { timestamp: "date" });
  const rv = sink.reviews_;
  const reviews = new Table({
    review_id: rv.map((r) => r.review_id as string),
    product_id: rv.map((r) => r.product_id as string),
    customer_id: rv.map((r) => r.customer_id as string),
    timestamp: Float64Array.from(rv, (r) => r.timestamp as number),
    rating: Float64Array.from(rv, (r) => r.rating as number),
    title: rv.map((r) => r.title as string),
    text: rv.map((r) => r.text as string),
    language: rv.map((r) => r.language as string),
    category: rv.map((r) => r.category as string),
    label: Float64Array.from(rv, (r) => r.label as number),
  }, { timestamp: "date" });
  return {
    transactions,
    reviews,
    customers: textTable(CUSTOMER_HEADER, sink.customers_),
    campaign: textTable(CAMPAIGN_HEADER, sink.campaign_, ["converted"]),
    truthCustomers: textTable(TRUTH_CUSTOMER_HEADER, sink.truthCustomers_, [
      "lambda", "p_dropout", "alive_at_cutoff", "churn_prob", "churned", "lambda_initial", "p_dropout_initial", "migrated",
      "p_alive_cutoff", "purchases_before_cutoff", "purchases_in_horizon", "expected_order_value", "orders_total",
    ]),
    truthReviews: textTable(["review_id", "sentiment", "topic", "language"], sink.truthReviews_),
    truthReturns: textTable(["return_order_id", "product_id", "quantity", "original_order_id"], sink.truthReturns_, ["quantity"]),
    products: textTable(["product_id", "product_name", "category", "list_price"], sink.products_, ["list_price"]),
    truth,
  };
}

/** Names of the files {@link writeDemoShop} writes. */
export const DEMO_FILES = [
  "transactions.csv", "reviews.csv", "customers.csv", "campaign.csv", "products.csv",
  "truth.json", "truth_customers.csv", "truth_reviews.csv", "truth_returns.csv",
] as const;

/**
 * Generate the demo shop and stream it to CSV files in `dir` (created if
 * missing): see {@link DEMO_FILES} and datasets/README.md. Memory stays
 * bounded by `blockCustomers`, so `scaleTransactions: 10_000_000` works.
 * Same seed and options → byte-identical files.
 *
 * @param dir - output folder
 * @param options - see {@link DemoOptions}
 * @returns the truth (also written to truth.json)
 * @example
 * const truth = writeDemoShop("datasets/demo", { seed: 42 });
 * truth.counts.lines;   // transaction lines written
 */
export function writeDemoShop(dir: string, options: DemoOptions = {}): DemoTruth {
  const opts = validate(options);
  try { fs.mkdirSync(dir, { recursive: true }); }
  catch (e) { throw new CustlabError("E_OUTPUT", `cannot create output folder: ${(e as Error).message}`, { file: dir }); }
  const sink = new FileSink(dir);
  let truth: DemoTruth;
  try { truth = runDemo(opts, sink); }
  finally { sink.close(); }
  writeFileAtomic(path.join(dir, "truth.json"), JSON.stringify(truth, null, 2) + "\n", "truth.json");
  return truth;
}

/**
 * Folder where {@link demoPath} generates the demo shop when custlab runs from
 * an installed package (which ships no datasets): `$CUSTLAB_CACHE`, else
 * `$XDG_CACHE_HOME/custlab`, else `~/.cache/custlab`, then `demo-<version>`.
 *
 * @example
 * demoCacheDir(); // e.g. "/home/me/.cache/custlab/demo-0.1.0"
 */
export function demoCacheDir(): string {
  let version = "dev";
  try { version = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")).version ?? version; } catch { /* keep "dev" */ }
  const base = process.env.CUSTLAB_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "custlab");
  return path.join(base, `demo-${version}`);
}

/**
 * Absolute path of a file of the demo shop (seed 42, default options), e.g.
 * `demoPath("transactions.csv")`. In a checkout of custlab that is the
 * committed `datasets/demo` (from src/ or dist/). An installed package ships no
 * datasets: the first call then generates the shop (byte-identical to the
 * committed one, a few seconds) into {@link demoCacheDir} and later calls reuse it.
 *
 * @param file - a file name from {@link DEMO_FILES} (default: the folder itself)
 * @example
 * const { table } = await loadTransactions(demoPath("transactions.csv"), { format: "custlab" });
 */
export function demoPath(file = ""): string {
  const bundled = path.resolve(__dirname, "../../datasets/demo");
  if (fs.existsSync(path.join(bundled, "truth.json"))) return path.resolve(bundled, file);
  const dir = demoCacheDir();
  if (!fs.existsSync(path.join(dir, "truth.json"))) {
    // Generate into a private folder, then rename it into place: a reader never sees a half-written shop,
    // and when two processes race the loser drops its copy and uses the winner's (same seed, same bytes).
    try { fs.mkdirSync(path.dirname(dir), { recursive: true }); }
    catch (e) { throw new CustlabError("E_OUTPUT", `cannot create the demo cache folder (set CUSTLAB_CACHE to a writable folder): ${(e as Error).message}`, { file: path.dirname(dir) }); }
    const tmp = fs.mkdtempSync(`${dir}.tmp-`);
    try {
      writeDemoShop(tmp, { seed: 42 });
      try { fs.renameSync(tmp, dir); }
      catch (e) { if (!fs.existsSync(path.join(dir, "truth.json"))) throw new CustlabError("E_OUTPUT", `cannot move the generated demo shop into ${dir}: ${(e as Error).message}`, { file: dir }); }
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  }
  return path.resolve(dir, file);
}
