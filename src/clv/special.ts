/**
 * Special functions for the buy-till-you-die models, written for accuracy in
 * log space: `lgamma`, `digamma`, `lbeta`, `logSumExp`, and the Gauss
 * hypergeometric function 2F1 as a log-scaled power series with convergence
 * checks and (for negative arguments) the Pfaff transformation.
 */
import { lgamma, logSumExp } from "../util/numeric";

// lgamma and logSumExp live with the other shared numerics in util/numeric; clvSpecial keeps offering them.
export { lgamma, logSumExp };



/**
 * log(Γ(z + n)/Γ(z)) = log of the rising factorial (z)ₙ, accurate even when z is
 * huge (where subtracting two lgamma values loses digits): for integer n and
 * z < 15 the first factors (z)(z + 1)… up to z + m ≥ 15 as a product, then (as for z ≥ 15) the difference
 * of Stirling series arranged without cancelling large terms; O(1) in n. Otherwise
 * `lgamma(z + n) − lgamma(z)`.
 * @example
 * lgammaRatio(1e15, 3); // ≈ 3 · log(1e15)
 */
export function lgammaRatio(z: number, n: number): number {
  if (n === 0) return 0;
  if (Number.isInteger(n) && n > 0 && z > 0 && z < 15) {
    // the first factors as a product until z + m ≥ 15, then the Stirling difference below (O(1) in n)
    const m = Math.min(n, Math.ceil(15 - z));
    let prod = 1;
    for (let k = 0; k < m; k++) prod *= z + k;
    return Math.log(prod) + (m < n ? lgammaRatio(z + m, n - m) : 0);
  }
  if (z > 1e8 * Math.max(1, Math.abs(n))) {
    // log Γ(z+n)/Γ(z) = n log z + n(n−1)/(2z) − n(n−1)(2n−1)/(12 z²)·… (asymptotic, error ~ n⁴/z³)
    return n * Math.log(z) + (n * (n - 1)) / (2 * z);
  }
  const w = z + n;
  if (z >= 15 && w >= 15) {
    // Stirling difference arranged without cancelling large terms:
    // (z − ½) log1p(n/z) + n log w − n + [S(w) − S(z)], S the Stirling correction series.
    return (z - 0.5) * Math.log1p(n / z) + n * Math.log(w) - n + (stirlingSeries(w) - stirlingSeries(z));
  }
  return lgamma(z + n) - lgamma(z);
}

/** The correction series of Stirling's log Γ(x) for x ≥ 15 (a module function: no closure per call on hot paths). */
function stirlingSeries(x: number): number {
  const i = 1 / x, i2 = i * i;
  return i * (1 / 12 - i2 * (1 / 360 - i2 * (1 / 1260 - i2 * (1 / 1680 - i2 / 1188))));
}

/** The asymptotic series of ψ(x) − log x + 1/(2x) for x ≥ 15, negated: 1/(12x²) − 1/(120x⁴) + … */
function digammaSeries(x: number): number {
  const i2 = 1 / (x * x);
  return i2 * (1 / 12 - i2 * (1 / 120 - i2 * (1 / 252 - i2 * (1 / 240 - i2 / 132))));
}

/**
 * ψ(z + n) − ψ(z), the derivative in z of {@link lgammaRatio}, accurate when z is huge (where
 * subtracting two digamma values loses digits): for integer n and z < 15 the first terms
 * 1/z + 1/(z + 1) + … until z + m ≥ 15, then (as for z ≥ 15) the difference of the asymptotic
 * series arranged without cancelling large terms, log1p(n/z) + n/(2z(z + n)) − [S(z + n) − S(z)];
 * O(1) in n. Otherwise `digamma(z + n) − digamma(z)`.
 * @example
 * digammaRatio(2, 3);   // 1/2 + 1/3 + 1/4
 * digammaRatio(1e15, 3); // ≈ 3e-15
 */
export function digammaRatio(z: number, n: number): number {
  if (n === 0) return 0;
  if (Number.isInteger(n) && n > 0 && z > 0) {
    let acc = 0;
    let m = 0;
    while (m < n && z + m < 15) { acc += 1 / (z + m); m++; }
    if (m === n) return acc;
    const zz = z + m, k = n - m, w = zz + k;
    return acc + Math.log1p(k / zz) + k / (2 * zz * w) - (digammaSeries(w) - digammaSeries(zz));
  }
  return digamma(z + n) - digamma(z);
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x).
 * Reflection for x < 0, upward recurrence to x ≥ 10, then the asymptotic
 * series to x⁻¹². Poles (non-positive integers) give NaN.
 *
 * @example
 * digamma(1); // −0.5772156649015329 (−Euler's γ)
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return NaN;
  if (x < 0) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let acc = 0;
  while (x < 10) { acc -= 1 / x; x += 1; }
  const inv = 1 / x, inv2 = inv * inv;
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))));
  return acc + Math.log(x) - 0.5 * inv - series;
}

/**
 * log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b).
 * @example
 * lbeta(2, 3); // log(1/12)
 */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/**
 * log(e^a + e^b) without overflow.
 * @example
 * logAddExp(1000, 1000); // 1000 + log 2
 */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * log(e^a − e^b) for a ≥ b (NaN when a < b, −Infinity when equal).
 * @example
 * logSubExp(Math.log(3), Math.log(1)); // log 2
 */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a < b) return NaN;
  if (a === b) return -Infinity;
  const d = b - a;
  // log(1 − e^d): use log(−expm1(d)) near 0 and log1p(−e^d) far from 0.
  return a + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}


/**
 * log I_x(a, b), the regularised incomplete Beta function, from log x and log(1 − x) (pass both so
 * neither is rounded: for the negative binomial tail, x = t/(α + t) and 1 − x = α/(α + t)).
 * Lentz's continued fraction (Numerical Recipes `betacf`) on the side where it converges fast:
 * directly when x < (a + 1)/(a + b + 2), else as 1 − I_(1−x)(b, a) (then the value is at least about ½,
 * so nothing small is lost). About √max(a, b) terms; relative error ~1e-14 away from the switch-over.
 *
 * P(N ≥ n) for N negative binomial with shape r and P(N = j) ∝ Γ(r + j)/j! · qʲ is I_q(n, r).
 *
 * @param a - first shape (> 0)
 * @param b - second shape (> 0)
 * @param logX - log x, x ∈ [0, 1]
 * @param log1mX - log(1 − x)
 * @returns log I_x(a, b) (−Infinity at x = 0, 0 at x = 1)
 * @example
 * Math.exp(logBetaIncReg(2, 3, Math.log(0.4), Math.log(0.6))); // 0.5248 (= 1 − P(Binomial(4, 0.4) ≤ 1))
 */
export function logBetaIncReg(a: number, b: number, logX: number, log1mX: number): number {
  if (!(a > 0 && b > 0)) return NaN;
  if (logX === -Infinity) return -Infinity;
  if (log1mX === -Infinity) return 0;
  const x = Math.exp(logX);
  const front = (aa: number, bb: number, lx: number, l1x: number) => aa * lx + bb * l1x - lbeta(aa, bb) - Math.log(aa);
  if (x < (a + 1) / (a + b + 2)) return front(a, b, logX, log1mX) + Math.log(betaContinuedFraction(a, b, x));
  const lc = front(b, a, log1mX, logX) + Math.log(betaContinuedFraction(b, a, Math.exp(log1mX)));
  return lc > -Math.LN2 ? Math.log(-Math.expm1(lc)) : Math.log1p(-Math.exp(lc));
}

/** The continued fraction of I_x(a, b) (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300, EPS = 1e-16;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Result of {@link hyp2f1Log}: the value as sign × exp(log). */
export interface Hyp2F1Result {
  /** log|2F1(a, b; c; z)|. */
  log: number;
  /** Sign of the value (+1, −1, or 0). */
  sign: number;
  /** Series terms summed. */
  terms: number;
  /** Whether the series met its tolerance before `maxTerms`. */
  converged: boolean;
}

/** Options for {@link hyp2f1Log}. */
export interface Hyp2F1Options {
  /** Relative tolerance on the last term (default 1e-15). */
  tol?: number;
  /** Maximum number of series terms (default 2,000,000). */
  maxTerms?: number;
}

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for real a, b, c and
 * z < 1, returned in log form (log|value| and sign) so huge values (as in
 * BG/NBD and Pareto/NBD conditional expectations with many purchases) never
 * overflow. It converges in every region the models reach: c < 0 or c + 1 − a − b
 * anywhere, z → 1 (t = 500 periods with a small α) and z → 0.
 *
 * Method:
 * - 0 ≤ z ≤ 0.99, or a / b a non-positive integer (a polynomial): the power
 *   series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ, rescaled whenever it passes 1e250 (the
 *   scale is kept as a log), stopped when a geometric bound on the tail is below
 *   `tol` × |sum|. For a sum near 1 the log is `log1p` of the tail, so
 *   1 − (1 − z)^k ₂F₁ keeps its digits when z is tiny.
 * - 0.99 < z < 1: the linear transformation to 1 − z (Abramowitz & Stegun
 *   15.3.6), two fast series with Γ-factors carried as log and sign. When
 *   c − a − b is within 1e-3 of an integer (where both halves have poles that
 *   cancel) the value is interpolated in c from six points at distance
 *   1e-3, 2e-3 and 3e-3 either side (error about 1e-11 relative).
 * - z < 0: the Pfaff transformation ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1))
 *   maps the argument into [0, 1), then the rules above.
 * - z ≥ 1, or c a non-positive integer (a pole): NaN.
 *
 * @param a - first numerator parameter
 * @param b - second numerator parameter
 * @param c - denominator parameter (not a non-positive integer)
 * @param z - argument, z < 1
 * @returns log|value|, sign, number of terms and a converged flag
 * @example
 * Math.exp(hyp2f1Log(1, 1, 2, 0.5).log); // −log(1 − 0.5)/0.5 = 1.3862943611198906
 * hyp2f1Log(1.234, 0.6163, -0.3052, 0.7047).sign; // −1 (the value is −30.48)
 */
export function hyp2f1Log(a: number, b: number, c: number, z: number, options: Hyp2F1Options = {}): Hyp2F1Result {
  const tol = options.tol ?? 1e-15;
  const maxTerms = options.maxTerms ?? 2_000_000;
  const bad: Hyp2F1Result = { log: NaN, sign: NaN, terms: 0, converged: false };
  if (!(z < 1) || Number.isNaN(a + b + c + z)) return bad;
  if (z === 0 || a === 0 || b === 0) return { log: 0, sign: 1, terms: 1, converged: true };
  const poly = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  if (isNonPositiveInteger(c) && !(poly && Math.max(a, b) > c)) return bad;
  if (z < 0 && !poly) {
    // Pfaff: (1−z)^(−a) 2F1(a, c−b; c; w) with w = z/(z−1) ∈ (0, 1); of the two
    // forms (a ↔ b) take the one whose inner function is cheaper (a polynomial when possible).
    const w = z / (z - 1);
    // Otherwise the form whose smaller parameter is larger: a large negative parameter makes the series alternate and cancel.
    const poly1 = isNonPositiveInteger(c - b), poly2 = isNonPositiveInteger(c - a);
    const swap = poly1 !== poly2 ? poly2 : Math.min(b, c - a) > Math.min(a, c - b);
    const [p, q] = swap ? [b, a] : [a, b];
    const inner = hyp2f1Unit(p, c - q, c, w, tol, maxTerms);
    return { ...inner, log: inner.log - p * Math.log1p(-z) };
  }
  return hyp2f1Unit(a, b, c, z, tol, maxTerms);
}

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/** log|Γ(x)| and the sign of Γ(x); sign 0 at the poles (so 1/Γ = 0 there). */
function lgammaSigned(x: number): [number, number] {
  if (isNonPositiveInteger(x)) return [Infinity, 0];
  const sign = x > 0 ? 1 : (Math.floor(x) % 2 === 0 ? 1 : -1);
  return [lgamma(x), sign];
}

/** ₂F₁ for 0 ≤ z < 1 (or any z < 1 when a or b is a non-positive integer). */
function hyp2f1Unit(a: number, b: number, c: number, z: number, tol: number, maxTerms: number): Hyp2F1Result {
  if (z <= 0.99 || isNonPositiveInteger(a) || isNonPositiveInteger(b)) return hyp2f1Series(a, b, c, z, tol, maxTerms);
  const m = c - a - b;
  const m0 = Math.round(m);
  const H = 1e-3;
  if (Math.abs(m - m0) < H) {
    // Interpolated in c across c − a − b = m0, in log scale: L + log|Σ wᵢ sᵢ e^(lᵢ − L)|.
    const res: Hyp2F1Result[] = [];
    interpolateAcross((cc) => { res.push(hyp2f1OneMinusZ(a, b, cc, z, tol, maxTerms)); return 0; }, c, a + b + m0, H);
    if (res.some((r) => !Number.isFinite(r.log) && r.sign !== 0)) return { log: NaN, sign: NaN, terms: 0, converged: false };
    const L = Math.max(...res.map((r) => (r.sign === 0 ? -Infinity : r.log)));
    let i = 0;
    const v = interpolateAcross(() => { const r = res[i++]; return r.sign === 0 ? 0 : r.sign * Math.exp(r.log - L); }, c, a + b + m0, H);
    return { log: L + Math.log(Math.abs(v)), sign: Math.sign(v), terms: res.reduce((s, r) => s + r.terms, 0), converged: res.every((r) => r.converged) };
  }
  return hyp2f1OneMinusZ(a, b, c, z, tol, maxTerms);
}

/**
 * A&S 15.3.6: ₂F₁(a,b;c;z) = Γ(c)Γ(m)/(Γ(c−a)Γ(c−b)) ₂F₁(a, b; 1−m; 1−z)
 *   + (1−z)^m Γ(c)Γ(−m)/(Γ(a)Γ(b)) ₂F₁(c−a, c−b; 1+m; 1−z), m = c − a − b not an integer.
 */
function hyp2f1OneMinusZ(a: number, b: number, c: number, z: number, tol: number, maxTerms: number): Hyp2F1Result {
  const m = c - a - b, w = 1 - z;
  const [gc, sc] = lgammaSigned(c);
  if (sc === 0) return { log: NaN, sign: NaN, terms: 0, converged: false };
  const [gm, sm] = lgammaSigned(m), [gnm, snm] = lgammaSigned(-m);
  const [gca, sca] = lgammaSigned(c - a), [gcb, scb] = lgammaSigned(c - b);
  const [ga, sa] = lgammaSigned(a), [gb, sb] = lgammaSigned(b);
  let log1 = -Infinity, sign1 = 0, terms = 0, converged = true;
  if (sca !== 0 && scb !== 0) {
    const f = hyp2f1Series(a, b, 1 - m, w, tol, maxTerms);
    log1 = gc + gm - gca - gcb + f.log; sign1 = sc * sm * sca * scb * f.sign;
    terms += f.terms; converged &&= f.converged;
  }
  let log2 = -Infinity, sign2 = 0;
  if (sa !== 0 && sb !== 0) {
    const f = hyp2f1Series(c - a, c - b, 1 + m, w, tol, maxTerms);
    log2 = m * Math.log(w) + gc + gnm - ga - gb + f.log; sign2 = sc * snm * sa * sb * f.sign;
    terms += f.terms; converged &&= f.converged;
  }
  const [log, sign] = logSignedAdd(log1, sign1, log2, sign2);
  return { log, sign, terms, converged };
}

/** log|s₁e^l₁ + s₂e^l₂| and its sign. */
function logSignedAdd(l1: number, s1: number, l2: number, s2: number): [number, number] {
  if (s1 === 0 || l1 === -Infinity) return [l2, s2];
  if (s2 === 0 || l2 === -Infinity) return [l1, s1];
  if (s1 === s2) return [logAddExp(l1, l2), s1];
  if (l1 === l2) return [-Infinity, 0];
  return l1 > l2 ? [logSubExp(l1, l2), s1] : [logSubExp(l2, l1), s2];
}

function hyp2f1Series(a: number, b: number, c: number, z: number, tol: number, maxTerms: number): Hyp2F1Result {
  let term = 1;
  let tail = 0; // Σ_{n≥1} term, so that sum = 1 + tail (before any rescaling)
  let sum = 1;
  let logScale = 0;
  let n = 0;
  let converged = false;
  for (; n < maxTerms; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    term *= ratio;
    sum += term;
    if (logScale === 0) tail += term;
    if (term === 0) { converged = true; break; }
    const absSum = Math.abs(sum);
    if (absSum > 1e250) {
      logScale += Math.log(absSum);
      term /= absSum;
      sum /= absSum;
    }
    // Past the peak the term ratio tends monotonically to z (it is
    // 1 + (a+b−c−1)/n + O(n⁻²) times z), so the tail is bounded by a geometric
    // series with ratio q = max(next ratio, z).
    if (n >= 1 && n + 1 > -c) {
      const nextRatio = Math.abs(((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2)) * z);
      const q = Math.max(nextRatio, Math.abs(z));
      if (q < 1) {
        const bound = (Math.abs(term) * q) / (1 - q);
        if (bound <= tol * Math.abs(sum)) { converged = true; n++; break; }
      }
    }
  }
  const log = logScale === 0 && tail > -1 ? Math.log1p(tail) : logScale + Math.log(Math.abs(sum));
  return { log, sign: sum === 0 ? 0 : Math.sign(sum), terms: n + 1, converged };
}

/**
 * f(x) for a function that is smooth at x but cannot be evaluated at or near
 * `singular` (a removable singularity, or a point where two large terms cancel):
 * when |x − singular| < h it is the six-point Lagrange interpolant through
 * f(singular ± h), f(singular ± 2h), f(singular ± 3h) (error O((3h)⁶ f⁽⁶⁾/720));
 * otherwise f(x). The six evaluations happen in that order.
 *
 * @param f - the function
 * @param x - where to evaluate
 * @param singular - the point to keep away from
 * @param h - half-width of the excluded window (default 1e-3)
 * @returns f(x), interpolated near `singular`
 * @example
 * interpolateAcross((a) => (a * a - 1) / (a - 1), 1, 1); // ≈ 2
 */
export function interpolateAcross(f: (x: number) => number, x: number, singular: number, h = 1e-3): number {
  if (!(Math.abs(x - singular) < h)) return f(x);
  const offs = [-3 * h, -2 * h, -h, h, 2 * h, 3 * h];
  const vals = offs.map((o) => f(singular + o));
  const d = x - singular;
  let v = 0;
  for (let i = 0; i < offs.length; i++) {
    let w = 1;
    for (let j = 0; j < offs.length; j++) if (j !== i) w *= (d - offs[j]) / (offs[i] - offs[j]);
    v += w * vals[i];
  }
  return v;
}
