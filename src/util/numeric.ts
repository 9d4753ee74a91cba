/**
 * Shared numerics, one home each: the day in milliseconds and the ISO day, log Γ, log-sum-exp, the
 * complementary error function with the standard normal CDF and quantile, the Wilson score interval
 * and the median. Every folder uses these instead of its own copy.
 */

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/**
 * The UTC calendar day of an epoch-ms time, `YYYY-MM-DD`.
 * @example isoDay(Date.UTC(2011, 8, 9, 15)); // "2011-09-09"
 */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const LN_SQRT_2PI = 0.91893853320467274178; // log(sqrt(2π))

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients): ~1e-15 relative on [0.5, 15].
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Natural log of |Γ(x)| for real x.
 *
 * - x ≤ 0 and an integer: `Infinity` (pole);
 * - x < 0.5: reflection `log π − log|sin πx| − lgamma(1 − x)`;
 * - 0.5 ≤ x < 15: Lanczos (g = 7, 9 terms);
 * - x ≥ 15: Stirling series with Bernoulli terms to x⁻⁹ (error < 1e-16 relative).
 *
 * Absolute error is below 1e-14 on (0, 1e300]; near the roots x = 1, 2 it is
 * computed from `log1p` of the Lanczos sum so it stays small in absolute terms.
 *
 * @param x - argument
 * @returns log|Γ(x)|
 * @example
 * lgamma(0.5);   // 0.5723649429247001 (= log √π)
 * lgamma(100);   // 359.1342053695754
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Γ(x)Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI) - Math.log(Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (x >= 15) {
    const inv = 1 / x, inv2 = inv * inv;
    // Stirling: (x−½)log x − x + log√(2π) + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹)
    const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
    return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series;
  }
  const xm1 = x - 1;
  let a = LANCZOS[0];
  const t = xm1 + LANCZOS_G + 0.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (xm1 + i);
  return LN_SQRT_2PI + (xm1 + 0.5) * Math.log(t) - t + Math.log(a);
}
/**
 * log Σ exp(v[i]) for any array-like, stable for very large or very small
 * values. Empty input gives −Infinity.
 * @example
 * logSumExp([0, 0, 0]); // log 3
 */
export function logSumExp(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) if (v[i] > m) m = v[i];
  if (m === -Infinity || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.exp(v[i] - m);
  return m + Math.log(s);
}

/**
 * Softmax of each row of a row-major n × k matrix, in place (max-shifted, so
 * very large scores do not overflow). Returns `z`.
 * @example
 * softmaxRows(Float64Array.of(0, 0, 1, 1), 2, 2); // [0.5, 0.5, 0.5, 0.5]
 */
export function softmaxRows(z: Float64Array, rows: number, k: number): Float64Array {
  for (let i = 0; i < rows; i++) {
    let mx = -Infinity, s = 0;
    for (let c = 0; c < k; c++) mx = Math.max(mx, z[i * k + c]);
    for (let c = 0; c < k; c++) { z[i * k + c] = Math.exp(z[i * k + c] - mx); s += z[i * k + c]; }
    for (let c = 0; c < k; c++) z[i * k + c] /= s;
  }
  return z;
}

/**
 * Complementary error function, Chebyshev fit (Numerical Recipes `erfcc`), fractional error below
 * 1.2e-7 everywhere.
 * @example erfc(0); // 1
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/**
 * Standard normal CDF Φ(z), from {@link erfc} (fractional error below 1.2e-7 everywhere).
 * @example normalCdf(1.959964); // 0.975
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's rational approximation refined by one Halley step
 * (absolute error ~1e-9, limited by {@link normalCdf}).
 * @example normalQuantile(0.975); // 1.959964
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Wilson score interval for a proportion `successes / n` (Wilson 1927; Newcombe 1998 method 3) at
 * normal quantile `z` (1.96 for 95%). NaN bounds when n ≤ 0. The bounds are clamped to [0, 1].
 * @example wilsonInterval(81, 263); // { rate: 0.308, low: 0.2553, high: 0.3662 } (Newcombe 1998)
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): { rate: number; low: number; high: number } {
  if (n <= 0) return { rate: NaN, low: NaN, high: NaN };
  const p = successes / n, z2 = z * z;
  const den = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The median of the values (NaN when there are none): the middle value, or the mean of the
 * two middle values for an even count. The input is not modified.
 * @example median([3, 1, 2, 10]); // 2.5
 */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (!n) return NaN;
  const s = Float64Array.from(values).sort();
  const m = n >> 1;
  return n % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
