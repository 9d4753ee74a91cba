/**
 * Planted parameters of the demo shop: latent segments with their purchase
 * process (BG/NBD), spend (Gamma-Gamma), rhythm and mix, the calendar, and the
 * planted migration. Everything the generator draws from is defined here, so
 * the truth written beside the data is exactly what produced it.
 */
import { DAY_MS } from "../util/numeric";

/** Milliseconds in one day. */
export { DAY_MS };

/** One latent customer segment and the process that generates its behaviour. */
export interface DemoSegmentSpec {
  /** Stable id (0-based, the order of {@link DEMO_SEGMENTS}). */
  id: number;
  /** Machine name, e.g. "champions" (used in the CSVs). */
  name: string;
  /** Expected share of customers. */
  share: number;
  /** BG/NBD purchase process, per-day rates: λ ~ Gamma(r, rate α), p ~ Beta(a, b). */
  bgnbd: { r: number; alpha: number; a: number; b: number };
  /** Gamma-Gamma spend: order value z ~ Gamma(p, ν), ν ~ Gamma(q, rate v); E[mean spend] = p·v/(q−1). */
  gammagamma: { p: number; q: number; v: number };
  /** Birth (first purchase) window, in days from the window start [from, to). */
  birthDays: [number, number];
  /** Category preference weights by category name (others get weight 1). */
  categoryWeights: Record<string, number>;
  /** Mean number of distinct lines per order (≥ 1). */
  basketMean: number;
  /** Probability that an order line is later returned. */
  returnRate: number;
  /** Probability that an order line gets a review. */
  reviewRate: number;
  /** Sentiment mix of reviews [positive, neutral, negative]. */
  sentimentMix: [number, number, number];
  /** Channel weights web / app / store. */
  channels: [number, number, number];
  /** Country weights, in the order of {@link DEMO_COUNTRIES}. */
  countries: number[];
  /** Relative intensity by weekday, Sunday first (normalised to mean 1). */
  weekday: [number, number, number, number, number, number, number];
  /** Relative order density by hour 06..23 (18 values). */
  hours: number[];
  /** Campaign: baseline conversion and absolute uplift from treatment. */
  campaign: { baseline: number; uplift: number };
}

/** Countries customers live in; the Chinese-speaking ones write reviews in Chinese. */
export const DEMO_COUNTRIES = ["United Kingdom", "Germany", "France", "Netherlands", "United States", "China", "Hong Kong", "Taiwan"] as const;
/** Countries whose customers review in Chinese. */
export const ZH_COUNTRIES = new Set(["China", "Hong Kong", "Taiwan"]);
/** Sales channels. */
export const DEMO_CHANNELS = ["web", "app", "store"] as const;

const H_EVENING = [1, 1, 1.2, 1.3, 1.4, 1.5, 1.5, 1.4, 1.3, 1.3, 1.5, 2, 2.6, 3, 3, 2.6, 1.8, 1];
const H_DAYTIME = [0.8, 1.4, 2, 2.4, 2.6, 2.6, 2.8, 2.6, 2.4, 2.2, 2, 1.8, 1.6, 1.4, 1.2, 1, 0.8, 0.5];
const H_FLAT = new Array(18).fill(1);

/**
 * The five planted segments. Rates are per day. Segments differ in value
 * (order value), rhythm (purchase rate, dropout), tenure and mix, so they are
 * well separated in log RFM space while heterogeneity inside a segment stays
 * small (Gamma shape r ≥ 30, Beta a+b ≥ 100), so segments are recoverable by
 * k-means and a history-based churn model can come close to the Bayes-optimal AUC.
 */
export const DEMO_SEGMENTS: DemoSegmentSpec[] = [
  {
    id: 0, name: "champions", share: 0.14,
    bgnbd: { r: 60, alpha: 60 / 0.04, a: 1, b: 1000 },
    gammagamma: { p: 20, q: 60, v: (450 * 59) / 20 },
    birthDays: [0, 150],
    categoryWeights: { Electronics: 6, Home: 4, Apparel: 3, Footwear: 2 },
    basketMean: 1.3, returnRate: 0.03, reviewRate: 0.06,
    sentimentMix: [0.75, 0.15, 0.1],
    channels: [0.35, 0.55, 0.1],
    countries: [0.4, 0.12, 0.08, 0.06, 0.14, 0.12, 0.04, 0.04],
    weekday: [0.9, 1.1, 1.1, 1.1, 1.1, 1, 0.7],
    hours: H_EVENING,
    campaign: { baseline: 0.3, uplift: 0.03 },
  },
  {
    id: 1, name: "loyal", share: 0.22,
    bgnbd: { r: 60, alpha: 60 / 0.02, a: 1, b: 1000 },
    gammagamma: { p: 20, q: 60, v: (90 * 59) / 20 },
    birthDays: [0, 200],
    categoryWeights: { Kitchen: 5, Home: 4, Books: 4, Beauty: 2 },
    basketMean: 1.2, returnRate: 0.03, reviewRate: 0.08,
    sentimentMix: [0.65, 0.2, 0.15],
    channels: [0.5, 0.25, 0.25],
    countries: [0.45, 0.14, 0.1, 0.06, 0.1, 0.09, 0.03, 0.03],
    weekday: [1.2, 0.9, 0.9, 1, 1, 1, 1],
    hours: H_DAYTIME,
    campaign: { baseline: 0.18, uplift: 0.04 },
  },
  {
    id: 2, name: "bargain_hunters", share: 0.18,
    bgnbd: { r: 60, alpha: 60 / 0.03, a: 1, b: 1000 },
    gammagamma: { p: 20, q: 60, v: (8 * 59) / 20 },
    birthDays: [0, 200],
    categoryWeights: { Toys: 5, Beauty: 4, Accessories: 4, Sports: 3 },
    basketMean: 1.3, returnRate: 0.06, reviewRate: 0.05,
    sentimentMix: [0.5, 0.2, 0.3],
    channels: [0.3, 0.65, 0.05],
    countries: [0.35, 0.15, 0.12, 0.08, 0.08, 0.14, 0.04, 0.04],
    weekday: [1.5, 0.8, 0.8, 0.8, 0.9, 1, 1.6],
    hours: H_EVENING,
    campaign: { baseline: 0.12, uplift: 0.06 },
  },
  {
    id: 3, name: "occasional", share: 0.28,
    bgnbd: { r: 30, alpha: 30 / 0.0015, a: 10, b: 90 },
    gammagamma: { p: 20, q: 60, v: (30 * 59) / 20 },
    birthDays: [0, 500],
    categoryWeights: { Apparel: 4, Footwear: 3, Books: 2, Toys: 2 },
    basketMean: 1.1, returnRate: 0.08, reviewRate: 0.15,
    sentimentMix: [0.5, 0.25, 0.25],
    channels: [0.55, 0.2, 0.25],
    countries: [0.42, 0.12, 0.1, 0.08, 0.12, 0.1, 0.03, 0.03],
    weekday: [1, 1, 1, 1, 1, 1, 1],
    hours: H_FLAT,
    campaign: { baseline: 0.05, uplift: 0.02 },
  },
  {
    id: 4, name: "at_risk", share: 0.18,
    bgnbd: { r: 40, alpha: 40 / 0.03, a: 35, b: 65 },
    gammagamma: { p: 20, q: 60, v: (250 * 59) / 20 },
    birthDays: [0, 120],
    categoryWeights: { Apparel: 5, Footwear: 4, Electronics: 2 },
    basketMean: 1.2, returnRate: 0.12, reviewRate: 0.18,
    sentimentMix: [0.25, 0.2, 0.55],
    channels: [0.6, 0.3, 0.1],
    countries: [0.4, 0.14, 0.1, 0.06, 0.12, 0.12, 0.03, 0.03],
    weekday: [1, 1, 1, 1, 1, 1, 1],
    hours: H_DAYTIME,
    campaign: { baseline: 0.08, uplift: 0.05 },
  },
];

/** Relative order intensity by calendar month (Jan..Dec); Nov/Dec peak. Normalised to mean 1 over a year. */
export const MONTH_FACTORS = [0.92, 0.82, 0.9, 0.92, 0.95, 0.9, 0.88, 0.9, 0.95, 1.0, 1.3, 1.46];

/** A planted segment migration: from `at`, a cohort of one segment takes another's process. */
export interface DemoMigrationSpec {
  /** Share of the `from` segment that migrates. */
  share: number;
  /** Source segment name. */
  from: string;
  /** Target segment name. */
  to: string;
  /** ISO date the new behaviour starts (start of a calendar quarter). */
  at: string;
  /** Purchase rate multiplier from `at` on. */
  lambdaFactor: number;
  /** Dropout probability after each purchase from `at` on. */
  pDropout: number;
}

/** The planted migration: ~10% of loyal customers turn at-risk from 2024-01-01 (rate ×0.15, dropout 0.5 after each purchase). */
export const DEMO_MIGRATIONS: DemoMigrationSpec[] = [
  { share: 0.1, from: "loyal", to: "at_risk", at: "2024-01-01", lambdaFactor: 0.15, pDropout: 0.5 },
];

/** Age bands written to customers.csv. */
export const AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"] as const;
