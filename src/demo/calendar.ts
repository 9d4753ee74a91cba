import { DAY_MS, DemoSegmentSpec, MONTH_FACTORS } from "./config";

/**
 * The demo calendar: day indices from the window start, per-segment daily
 * order intensity s[d] (month seasonality × weekday rhythm, normalised to mean
 * 1; zero on closure days) and its cumulative sum C, so that a customer with
 * rate λ has expected purchases λ·(C(t₂) − C(t₁)) between process times t₁, t₂
 * (in days). Inverting C turns unit-rate exponential gaps into the exact
 * non-homogeneous Poisson process.
 */
export interface DemoCalendar {
  /** Window start, epoch ms UTC (midnight). */
  startMs: number;
  /** Number of days in the window. */
  nDays: number;
  /** Per segment: daily intensity (length nDays). */
  s: Float64Array[];
  /** Per segment: cumulative intensity (length nDays + 1), C[0] = 0. */
  C: Float64Array[];
  /** Per segment: cumulative hour-of-day profile over 06:00..24:00 (length 19). */
  hourCdf: Float64Array[];
}

/** Parse "YYYY-MM-DD" as UTC midnight (ms). */
export function parseDay(iso: string): number {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new Error(`bad date ${iso}`);
  return ms;
}

/** Build the calendar for a window with closure days (day indices with zero intensity). */
export function buildCalendar(start: string, end: string, segments: DemoSegmentSpec[], closedDays: number[]): DemoCalendar {
  const startMs = parseDay(start);
  const nDays = Math.round((parseDay(end) - startMs) / DAY_MS) + 1;
  const closed = new Set(closedDays);
  const s: Float64Array[] = [];
  const C: Float64Array[] = [];
  const hourCdf: Float64Array[] = [];
  const mf = MONTH_FACTORS.slice();
  const mMean = mf.reduce((a, b) => a + b, 0) / 12;
  for (const seg of segments) {
    const wMean = seg.weekday.reduce((a, b) => a + b, 0) / 7;
    const sd = new Float64Array(nDays);
    let tot = 0;
    for (let d = 0; d < nDays; d++) {
      const date = new Date(startMs + d * DAY_MS);
      const v = (mf[date.getUTCMonth()] / mMean) * (seg.weekday[date.getUTCDay()] / wMean);
      sd[d] = v;
      tot += v;
    }
    // Normalise to mean 1 over the window (before closures), then close days.
    const norm = tot / nDays;
    const cd = new Float64Array(nDays + 1);
    for (let d = 0; d < nDays; d++) {
      sd[d] = closed.has(d) ? 0 : sd[d] / norm;
      cd[d + 1] = cd[d] + sd[d];
    }
    s.push(sd);
    C.push(cd);
    const h = new Float64Array(seg.hours.length + 1);
    const hs = seg.hours.reduce((a, b) => a + b, 0);
    for (let i = 0; i < seg.hours.length; i++) h[i + 1] = h[i] + seg.hours[i] / hs;
    h[seg.hours.length] = 1;
    hourCdf.push(h);
  }
  return { startMs, nDays, s, C, hourCdf };
}

/** Cumulative intensity of segment `g` at process time t (days, may be fractional). */
export function cumAt(cal: DemoCalendar, g: number, t: number): number {
  const C = cal.C[g];
  if (t <= 0) return 0;
  if (t >= cal.nDays) return C[cal.nDays];
  const d = Math.floor(t);
  return C[d] + (t - d) * cal.s[g][d];
}

/** Inverse of {@link cumAt}: the process time where the cumulative intensity reaches `c` (Infinity past the window). */
export function invCum(cal: DemoCalendar, g: number, c: number): number {
  const C = cal.C[g];
  if (c >= C[cal.nDays]) return Infinity;
  // First d with C[d + 1] > c; then C[d] <= c < C[d + 1] and s[d] > 0.
  let lo = 0, hi = cal.nDays - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (C[mid + 1] > c) hi = mid; else lo = mid + 1;
  }
  return lo + (c - C[lo]) / cal.s[g][lo];
}

/**
 * Map a process time to a wall-clock timestamp (epoch ms, whole minutes):
 * the day is kept, the position inside the day's intensity mass is mapped
 * through the segment's hour profile onto 06:00–23:59. Monotone inside a day,
 * so day boundaries (cutoffs) are preserved exactly.
 */
export function clockMs(cal: DemoCalendar, g: number, t: number): number {
  const d = Math.floor(t);
  const f = t - d;
  const h = cal.hourCdf[g];
  let i = 0;
  while (i < h.length - 2 && h[i + 1] <= f) i++;
  const within = h[i + 1] > h[i] ? (f - h[i]) / (h[i + 1] - h[i]) : 0;
  const minute = Math.min(59, Math.floor(within * 60));
  return cal.startMs + d * DAY_MS + (6 + i) * 3_600_000 + minute * 60_000;
}

const dayCache = new Map<number, string>();
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));

/** ISO-8601 UTC without milliseconds, e.g. "2024-03-05T14:22:00Z" (fast path for whole minutes). */
export function isoMinute(ms: number): string {
  if (ms % 60_000 !== 0 || !(ms >= 0)) return new Date(ms).toISOString().slice(0, 19) + "Z";
  const day = Math.floor(ms / DAY_MS);
  let d = dayCache.get(day);
  if (d === undefined) {
    d = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(day, d);
  }
  const minOfDay = (ms - day * DAY_MS) / 60_000;
  return `${d}${TWO[Math.floor(minOfDay / 60)]}:${TWO[minOfDay % 60]}:00Z`;
}
