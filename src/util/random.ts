/**
 * Seeded pseudo-random numbers. Every stochastic step in custlab takes a `seed`
 * and draws from an {@link Rng}, so the same seed gives the same output.
 *
 * The generator is sfc32 seeded through splitmix32: fast, 32-bit, passes
 * PractRand to 2^40 bytes — more than enough for sampling and initialisation.
 *
 * @example
 * const rng = createRng(42);
 * rng.next();      // uniform in [0, 1)
 * rng.int(10);     // integer in [0, 10)
 * rng.normal();    // standard normal
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, one cached value). */
  normal(): number;
  /** Gamma(shape, 1) by Marsaglia–Tsang. */
  gamma(shape: number): number;
  /** Beta(a, b). */
  beta(a: number, b: number): number;
  /** Poisson(lambda); inversion for small lambda, normal approximation above 500. */
  poisson(lambda: number): number;
  /** Exponential with the given rate. */
  exponential(rate: number): number;
  /** Index drawn from unnormalised non-negative weights. */
  categorical(weights: ArrayLike<number>): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T;
  /** A new independent generator derived from this one (for parallel streams). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Create a seeded generator. Non-integer or negative seeds are hashed to 32 bits.
 *
 * @example
 * ```ts
 * import { createRng } from "custlab";
 * const rng = createRng(7);
 * const u = rng.next();   // uniform in [0, 1)
 * const k = rng.int(10);  // integer in 0..9
 * // the same seed gives the same sequence
 * createRng(7).next() === u; // true
 * ```
 */
export function createRng(seed = 42): Rng {
  const sm = splitmix32(Math.floor(Math.abs(seed)) ^ (seed < 0 ? 0x5bd1e995 : 0));
  let a = sm(), b = sm(), c = sm(), d = sm();
  const u32 = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return r >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  let spare: number | null = null;
  const rng: Rng = {
    next: () => u32() / 4294967296,
    int: (n: number) => Math.floor((u32() / 4294967296) * n),
    normal: () => {
      if (spare !== null) { const s = spare; spare = null; return s; }
      let u = 0, v = 0, s = 0;
      do { u = rng.next() * 2 - 1; v = rng.next() * 2 - 1; s = u * u + v * v; } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * m;
      return u * m;
    },
    gamma: (shape: number) => {
      if (shape < 1) return rng.gamma(shape + 1) * Math.pow(rng.next() || 1e-300, 1 / shape);
      const dd = shape - 1 / 3, cc = 1 / Math.sqrt(9 * dd);
      for (;;) {
        let x = 0, v = 0;
        do { x = rng.normal(); v = 1 + cc * x; } while (v <= 0);
        v = v * v * v;
        const u = rng.next();
        if (u < 1 - 0.0331 * x * x * x * x) return dd * v;
        if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
      }
    },
    beta: (x: number, y: number) => { const g1 = rng.gamma(x); return g1 / (g1 + rng.gamma(y)); },
    poisson: (lambda: number) => {
      if (lambda <= 0) return 0;
      if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
      const L = Math.exp(-lambda);
      let k = 0, p = 1;
      do { k++; p *= rng.next(); } while (p > L);
      return k - 1;
    },
    exponential: (rate: number) => -Math.log(1 - rng.next()) / rate,
    categorical: (w: ArrayLike<number>) => {
      let tot = 0;
      for (let i = 0; i < w.length; i++) tot += w[i];
      let r = rng.next() * tot;
      for (let i = 0; i < w.length; i++) { r -= w[i]; if (r < 0) return i; }
      return w.length - 1;
    },
    shuffle: <T extends { length: number; [i: number]: any }>(arr: T): T => {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const t = arr[i]; arr[i] = arr[j]; arr[j] = t;
      }
      return arr;
    },
    fork: () => createRng(u32()),
  };
  return rng;
}
