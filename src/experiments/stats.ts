/**
 * Small, exact-enough statistics for A/B tests on proportions: the standard
 * normal CDF and quantile, Wilson score intervals, Newcombe's hybrid score
 * interval for a difference, the Wald interval, the Katz log interval for a
 * ratio, and the pooled two-proportion z-test.
 */
import { normalCdf, normalQuantile, wilsonInterval as wilsonScore } from "../util/numeric";

/**
 * Standard normal CDF Φ(z) (relative error < 1.2e-7): the shared {@link normalCdf}.
 * @example experimentNormalCdf(1.959964); // 0.975
 */
export function experimentNormalCdf(z: number): number {
  return normalCdf(z);
}

/**
 * Standard normal quantile Φ⁻¹(p) (absolute error ~1e-9): the shared `normalQuantile` (Acklam + one Halley step).
 * @example experimentNormalQuantile(0.975); // 1.959964
 */
export function experimentNormalQuantile(p: number): number {
  return normalQuantile(p);
}

/**
 * Wilson score interval for a proportion x/n at level 1 − alpha (Wilson 1927; Newcombe 1998
 * method 3), from the shared Wilson interval. `[NaN, NaN]` when n = 0.
 * @example wilsonInterval(81, 263); // [0.2553, 0.3662] (Newcombe 1998)
 */
export function wilsonInterval(x: number, n: number, alpha = 0.05): [number, number] {
  const w = wilsonScore(x, n, normalQuantile(1 - alpha / 2));
  return [w.low, w.high];
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
