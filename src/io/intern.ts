/**
 * Byte-keyed string interning: repeated values (ids, countries, product
 * names) are looked up by their bytes and decoded to a JS string only the
 * first time, so a column of 500k repeated ids holds a few thousand strings.
 * @module
 */

/**
 * Open-addressing hash table from byte spans to strings.
 *
 * @example
 * const it = new ByteInterner();
 * const b = Buffer.from("abc,abc");
 * it.get(b, 0, 3, false) === it.get(b, 4, 7, false);  // true, decoded once
 */
export class ByteInterner {
  private slots: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private offs: Int32Array;
  private lens: Int32Array;
  private pool: Uint8Array;
  private poolUsed = 0;
  private readonly strings: string[] = [];
  /** Stop interning (decode every value) once this many distinct values are held. */
  readonly maxEntries: number;

  constructor(maxEntries = 2_000_000) {
    this.maxEntries = maxEntries;
    this.slots = new Int32Array(1024);
    this.mask = 1023;
    this.hashes = new Int32Array(512);
    this.offs = new Int32Array(512);
    this.lens = new Int32Array(512);
    this.pool = new Uint8Array(1 << 16);
  }

  /** Number of distinct values held. */
  get size(): number {
    return this.strings.length;
  }

  /**
   * The string for bytes [s, e) of `buf`. `utf8` chooses UTF-8 decoding (for
   * spans with bytes ≥ 0x80); otherwise latin1, exact for ASCII.
   */
  get(buf: Buffer, s: number, e: number, utf8: boolean): string {
    const len = e - s;
    if (len === 0) return "";
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const mask = this.mask, slots = this.slots, hashes = this.hashes, lens = this.lens, offs = this.offs, pool = this.pool;
    let slot = h & mask;
    for (;;) {
      const k = slots[slot] - 1;
      if (k < 0) break;
      if (hashes[k] === h && lens[k] === len) {
        const o = offs[k];
        let j = 0;
        while (j < len && pool[o + j] === buf[s + j]) j++;
        if (j === len) return this.strings[k];
      }
      slot = (slot + 1) & mask;
    }
    const str = utf8 ? buf.toString("utf8", s, e) : buf.toString("latin1", s, e);
    if (this.strings.length >= this.maxEntries) return str;
    this.insert(slot, h, buf, s, e, str);
    return str;
  }

  private insert(slot: number, h: number, buf: Buffer, s: number, e: number, str: string): void {
    const k = this.strings.length;
    const len = e - s;
    if (k === this.hashes.length) {
      const cap = k * 2;
      const nh = new Int32Array(cap); nh.set(this.hashes); this.hashes = nh;
      const no = new Int32Array(cap); no.set(this.offs); this.offs = no;
      const nl = new Int32Array(cap); nl.set(this.lens); this.lens = nl;
    }
    if (this.poolUsed + len > this.pool.length) {
      let cap = this.pool.length * 2;
      while (cap < this.poolUsed + len) cap *= 2;
      const np = new Uint8Array(cap); np.set(this.pool.subarray(0, this.poolUsed)); this.pool = np;
    }
    this.pool.set(buf.subarray(s, e), this.poolUsed);
    this.hashes[k] = h; this.offs[k] = this.poolUsed; this.lens[k] = len;
    this.poolUsed += len;
    this.strings.push(str);
    this.slots[slot] = k + 1;
    if ((k + 1) * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    for (let k = 0; k < this.strings.length; k++) {
      let slot = this.hashes[k] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
