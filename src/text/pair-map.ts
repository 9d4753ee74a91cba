/**
 * A hash map from pairs of non-negative 32-bit integers to non-negative
 * integers, in typed arrays (open addressing, linear probing). The TF-IDF
 * vectoriser interns n-grams as (prefix gram id, unit id) pairs: with a
 * JavaScript `Map` those keys need a combined number above 2³¹, which V8
 * boxes and hashes slowly; here they stay two int32s.
 *
 * @example
 * const m = new PairMap();
 * m.set(3, 7, 42);
 * m.get(3, 7); // 42
 * m.get(7, 3); // -1 (absent)
 */
export class PairMap {
  private keyA: Int32Array;
  private keyB: Int32Array;
  private vals: Int32Array;
  private mask: number;
  /** Number of stored pairs. */
  size = 0;

  constructor(capacity = 1 << 12) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keyA = new Int32Array(cap).fill(-1);
    this.keyB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private static slot(a: number, b: number, mask: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h & mask;
  }

  /** The value stored for (a, b), or −1 when absent. */
  get(a: number, b: number): number {
    const { keyA, keyB, mask } = this;
    let s = PairMap.slot(a, b, mask);
    for (;;) {
      const ka = keyA[s];
      if (ka === -1) return -1;
      if (ka === a && keyB[s] === b) return this.vals[s];
      s = (s + 1) & mask;
    }
  }

  /** Stores `value` (≥ 0) for (a, b), replacing any previous value. */
  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.keyA.length) this.grow();
    const { keyA, keyB, mask } = this;
    let s = PairMap.slot(a, b, mask);
    for (;;) {
      const ka = keyA[s];
      if (ka === -1) { keyA[s] = a; keyB[s] = b; this.vals[s] = value; this.size++; return; }
      if (ka === a && keyB[s] === b) { this.vals[s] = value; return; }
      s = (s + 1) & mask;
    }
  }

  private grow(): void {
    const { keyA, keyB, vals } = this;
    const cap = keyA.length * 2;
    this.keyA = new Int32Array(cap).fill(-1);
    this.keyB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    const nA = this.keyA, nB = this.keyB, nV = this.vals, mask = this.mask;
    for (let s = 0; s < keyA.length; s++) {
      const a = keyA[s];
      if (a === -1) continue;
      let t = PairMap.slot(a, keyB[s], mask);
      while (nA[t] !== -1) t = (t + 1) & mask;
      nA[t] = a; nB[t] = keyB[s]; nV[t] = vals[s];
    }
  }
}
