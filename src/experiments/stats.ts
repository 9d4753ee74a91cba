/**
 * Small, exact-enough statistics for A/B tests on proportions: the standard
 * normal CDF and quantile, Wilson score intervals, Newcombe's hybrid score
 * interval for a difference, the Wald interval, the Katz log interval for a
 * ratio, and the pooled two-proportion z-test.
 */

/**
 * Complementary error function, Chebyshev fit (Numerical Recipes `erfcc`),
 * fractional error below 1.2e-7 everywhere.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/**
 * Standard normal CDF Φ(z) (relative error < 1.2e-7).
 * @example experimentNormalCdf(1.959964); // 0.975
 */
export function experimentNormalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's rational approximation refined by
 * one Halley step (absolute error ~1e-9 here, limited by the CDF).
 * @example experimentNormalQuantile(0.975); // 1.959964
 */
export function experimentNormalQuantile(p: number): number {
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
  const e = experimentNormalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Wilson score interval for a proportion x/n (Wilson 1927; Newcombe 1998
 * method 3). `[NaN, NaN]` when n = 0.
 * @example wilsonInterval(81, 263); // [0.2553, 0.3662] (Newcombe 1998)
 */
export function wilsonInterval(x: number, n: number, alpha = 0.05): [number, number] {
  if (n <= 0) return [NaN, NaN];
  const z = experimentNormalQuantile(1 - alpha / 2);
  const p = x / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Confidence interval for a difference of proportions p₁ − p₀.
 * - "newcombe" (default): Newcombe's hybrid score interval (1998, method 10),
 *   built from the two Wilson intervals; good coverage even for small counts.
 * - "wald": p₁ − p₀ ± z·√(p₁q₁/n₁ + p₀q₀/n₀); fine for large samples, poor near 0 or 1.
 * @example differenceInterval(56, 70, 48, 80); // [0.0524, 0.3339] (Newcombe 1998, method 10)
 */
export function differenceInterval(x1: number, n1: number, x0: number, n0: number, alpha = 0.05, method: "newcombe" | "wald" = "newcombe"): [number, number] {
  const p1 = x1 / n1, p0 = x0 / n0, d = p1 - p0;
  if (method === "wald") {
    const z = experimentNormalQuantile(1 - alpha / 2);
    const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
    return [d - z * se, d + z * se];
  }
  const [l1, u1] = wilsonInterval(x1, n1, alpha);
  const [l0, u0] = wilsonInterval(x0, n0, alpha);
  const lo = d - Math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2);
  const hi = d + Math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2);
  return [lo, hi];
}

/**
 * Interval for the relative uplift p₁/p₀ − 1 by the Katz log method:
 * exp(ln RR ± z·√(1/x₁ − 1/n₁ + 1/x₀ − 1/n₀)) − 1. NaN when a count is 0.
 * @example
 * ```ts
 * import { experimentRelativeUpliftInterval } from "custlab";
 * // 130/1000 treated vs 100/1000 control converted: +30% relative uplift
 * experimentRelativeUpliftInterval(130, 1000, 100, 1000); // [0.0170, 0.6618] (95%)
 * ```
 */
export function relativeUpliftInterval(x1: number, n1: number, x0: number, n0: number, alpha = 0.05): [number, number] {
  if (x1 <= 0 || x0 <= 0) return [NaN, NaN];
  const z = experimentNormalQuantile(1 - alpha / 2);
  const lrr = Math.log((x1 / n1) / (x0 / n0));
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0);
  return [Math.exp(lrr - z * se) - 1, Math.exp(lrr + z * se) - 1];
}

/**
 * Pooled two-proportion z-test of H₀: p₁ = p₀.
 * z = (p₁ − p₀)/√(p̄(1−p̄)(1/n₁ + 1/n₀)), p̄ = (x₁+x₀)/(n₁+n₀); two-sided p = 2(1 − Φ(|z|)).
 * @example twoProportionZTest(130, 1000, 100, 1000); // { z: 2.1027, pValue: 0.0355 }
 */
export function twoProportionZTest(x1: number, n1: number, x0: number, n0: number): { z: number; pValue: number } {
  const pbar = (x1 + x0) / (n1 + n0);
  const se = Math.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n0));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x0 / n0) / se;
  return { z, pValue: Math.min(1, 2 * (1 - experimentNormalCdf(Math.abs(z)))) };
}
