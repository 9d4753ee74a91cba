/**
 * Byte-keyed string interning: repeated values (ids, countries, product
 * names) are looked up by their bytes and decoded to a JS string only the
 * first time, so a column of 500k repeated ids holds a few thousand strings.
 * Each distinct value gets a dense code (0 = ""), which loaders keep as
 * dictionary codes for the column (see {@link textCodes}).
 * @module
 */

/**
 * Open-addressing hash table from byte spans to dense codes and strings.
 *
 * @example
 * const it = new ByteInterner();
 * const b = Buffer.from("abc,abc");
 * it.code(b, 0, 3, false) === it.code(b, 4, 7, false);  // true; "abc" decoded once
 * it.strings[it.code(b, 0, 3, false)];                  // "abc"
 */
export class ByteInterner {
  private slots: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private offs: Int32Array;
  private lens: Int32Array;
  private pool: Uint8Array;
  private poolUsed = 0;
  /** Distinct values by code; code 0 is "". */
  readonly strings: string[] = [""];
  private lastCode = 0;
  private viewBuf: Buffer | null = null;
  private view: DataView | null = null;
  private poolView: DataView;

  constructor() {
    this.slots = new Int32Array(1024);
    this.mask = 1023;
    this.hashes = new Int32Array(512);
    this.offs = new Int32Array(512);
    this.lens = new Int32Array(512);
    this.pool = new Uint8Array(1 << 16);
    this.poolView = new DataView(this.pool.buffer);
  }

  /** Number of distinct values held (including ""). */
  get size(): number {
    return this.strings.length;
  }

  /** The string for bytes [s, e) of `buf` (see {@link ByteInterner.code}). */
  get(buf: Buffer, s: number, e: number, utf8: boolean): string {
    return this.strings[this.code(buf, s, e, utf8)];
  }

  /**
   * The code of bytes [s, e) of `buf`, adding the value when new. `utf8`
   * chooses UTF-8 decoding (for spans with bytes ≥ 0x80); otherwise latin1,
   * exact for ASCII. The previous value is checked first (runs of equal
   * values are common: the lines of one order).
   */
  code(buf: Buffer, s: number, e: number, utf8: boolean): number {
    const len = e - s;
    if (len === 0) return 0;
    if (buf !== this.viewBuf) { this.viewBuf = buf; this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }
    const view = this.view!, pview = this.poolView;
    const lens = this.lens, offs = this.offs;
    const last = this.lastCode;
    const e4 = e - 3;
    if (last > 0 && lens[last] === len && sameBytes(view, s, e, e4, pview, offs[last])) return last;
    // murmur3-style hash, 4 bytes at a time.
    let h = len | 0;
    let i = s;
    for (; i < e4; i += 4) {
      let k = Math.imul(view.getInt32(i, true), 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    for (; i < e; i++) h = Math.imul(h ^ view.getUint8(i), 0x01000193);
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
    const mask = this.mask, slots = this.slots, hashes = this.hashes;
    let slot = h & mask;
    for (;;) {
      const k = slots[slot];
      if (k === 0) break;
      if (hashes[k] === h && lens[k] === len && sameBytes(view, s, e, e4, pview, offs[k])) { this.lastCode = k; return k; }
      slot = (slot + 1) & mask;
    }
    const str = utf8 ? buf.toString("utf8", s, e) : buf.toString("latin1", s, e);
    const k = this.insert(slot, h, buf, s, e, str);
    this.lastCode = k;
    return k;
  }

  /** The code of a string (looked up by its UTF-8 bytes, so codes stay canonical). */
  codeOfString(str: string): number {
    if (str === "") return 0;
    const b = Buffer.from(str, "utf8");
    return this.code(b, 0, b.length, true);
  }

  private insert(slot: number, h: number, buf: Buffer, s: number, e: number, str: string): number {
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
      this.poolView = new DataView(np.buffer);
    }
    this.pool.set(buf.subarray(s, e), this.poolUsed);
    this.hashes[k] = h; this.offs[k] = this.poolUsed; this.lens[k] = len;
    this.poolUsed += len;
    this.strings.push(str);
    this.slots[slot] = k;
    if (k * 2 > this.slots.length) this.rehash();
    return k;
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    for (let k = 1; k < this.strings.length; k++) {
      const h = this.hashes[k];
      let slot = h & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Bytes [s, e) of `a` equal the same number of bytes of `b` from `o` (4 at a time). */
function sameBytes(a: DataView, s: number, e: number, e4: number, b: DataView, o: number): boolean {
  let i = s;
  for (; i < e4; i += 4, o += 4) if (a.getInt32(i, true) !== b.getInt32(o, true)) return false;
  for (; i < e; i++, o++) if (a.getUint8(i) !== b.getUint8(o)) return false;
  return true;
}

// The dictionary-code registry lives with the table (a lower layer); re-exported here for io users.
export { textCodes, peekTextCodes, registerTextCodes } from "../table/codes";
export type { TextCodes } from "../table/codes";
