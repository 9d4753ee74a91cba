/**
 * Byte-level streaming CSV / TSV / whitespace tokenizer.
 *
 * Works on `Buffer` chunks as they arrive from `fs.createReadStream`; it never
 * holds the whole file in one string. A record is handed to a callback as
 * field byte spans into the current buffer, with the physical line number the
 * record starts on (1-based, the header is line 1 in a file with a header).
 * RFC 4180: quoted fields may hold delimiters, doubled quotes and newlines;
 * CRLF and LF line ends; a UTF-8 BOM at the start is skipped.
 * @module
 */

/** Field flag: the field was quoted; `starts/ends` already exclude the quotes. */
export const FIELD_QUOTED = 1;
/** Field flag: quoted with doubled quotes or text after the closing quote; the span is raw (quotes included) and needs {@link unquoteField}. */
export const FIELD_ESCAPED = 2;
/** Field flag: the field holds bytes ≥ 0x80 (needs UTF-8 validation/decoding). */
export const FIELD_NON_ASCII = 4;

/** Record-level problem: a quoted field runs to the end of the file. */
export const REC_UNTERMINATED = 1;
/** Record-level problem: a field is larger than `maxFieldBytes`. */
export const REC_FIELD_TOO_LARGE = 2;

/**
 * One tokenized record. The object and its arrays are reused between
 * callbacks: copy what you keep.
 */
export interface CsvRecord {
  /** Buffer the spans point into. */
  buf: Buffer;
  /** Number of fields (0 for an empty line). */
  n: number;
  /** Start byte of each field's content. */
  starts: Int32Array;
  /** End byte (exclusive) of each field's content. */
  ends: Int32Array;
  /** Per-field flags ({@link FIELD_QUOTED}, {@link FIELD_ESCAPED}, {@link FIELD_NON_ASCII}). */
  flags: Uint8Array;
  /** Physical (1-based) line number the record starts on. */
  line: number;
  /** Byte offset of the record's first byte in `buf`. */
  start: number;
  /** Byte offset just past the record's last byte (line terminator excluded). */
  end: number;
  /** 0, {@link REC_UNTERMINATED} or {@link REC_FIELD_TOO_LARGE}. */
  error: number;
  /** 0-based index of the field the error is in. */
  errorField: number;
  /** Physical line the record ends on (`line` for a one-line record; larger when quoted fields hold line breaks). */
  endLine: number;
}

/** Tokenizer options. */
export interface CsvTokenizerOptions {
  /** Field delimiter: one byte such as "," or "\t", or "whitespace" (runs of spaces/tabs, no quoting). Default ",". */
  delimiter?: string;
  /** Quote character (default `"`). */
  quote?: string;
  /** Largest field in bytes before the record is flagged {@link REC_FIELD_TOO_LARGE} (default 1 MiB). */
  maxFieldBytes?: number;
  /** Skip a UTF-8 byte-order mark at the start (default true; false when the bytes start mid-file). */
  skipBOM?: boolean;
  /**
   * Largest record in bytes (default 16 MiB). A longer record (say a 100 MB
   * single line) is handed over as soon as the limit is passed, flagged
   * {@link REC_FIELD_TOO_LARGE} with its first bytes only, and the rest of it is
   * skipped up to the next line end outside quotes: memory stays bounded.
   */
  maxRecordBytes?: number;
}

const LF = 10, CR = 13, SPACE = 32, TAB = 9;

/**
 * Streaming tokenizer: `push(chunk)` any number of times, then `end()`.
 * Each complete record is passed to `onRecord` synchronously.
 *
 * @example
 * const tok = new CsvTokenizer((r) => console.log(r.line, r.n), { delimiter: "," });
 * tok.push(Buffer.from('a,b\n1,"x,y"\n'));
 * tok.end();
 */
export class CsvTokenizer {
  private readonly rec: CsvRecord;
  private readonly delim: number;
  private readonly quote: number;
  private readonly whitespace: boolean;
  private readonly maxField: number;
  private readonly maxRecord: number;
  private skipping = false;
  private skipInQuote = false;
  private pending: Buffer | null = null;
  private view: DataView | null = null;
  private readonly dmask: number;
  private line = 1;
  private first = true;
  /** Total bytes pushed so far. */
  bytes = 0;

  constructor(private readonly onRecord: (r: CsvRecord) => void, options: CsvTokenizerOptions = {}) {
    const d = options.delimiter ?? ",";
    this.whitespace = d === "whitespace";
    this.delim = this.whitespace ? SPACE : d.charCodeAt(0);
    this.quote = (options.quote ?? '"').charCodeAt(0);
    this.dmask = Math.imul(this.delim, 0x01010101);
    this.maxField = options.maxFieldBytes ?? 1 << 20;
    this.maxRecord = Math.max(options.maxRecordBytes ?? 16 << 20, 1024);
    if (options.skipBOM === false) this.first = false;
    const cap = 64;
    this.rec = { buf: Buffer.alloc(0), n: 0, starts: new Int32Array(cap), ends: new Int32Array(cap), flags: new Uint8Array(cap), line: 1, start: 0, end: 0, error: 0, errorField: 0, endLine: 1 };
  }

  /** Bytes held back as an incomplete last record (0 at a record boundary). */
  get pendingBytes(): number {
    return this.pending ? this.pending.length : 0;
  }

  /** Physical line number the next record starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Feed the next chunk of bytes. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.skipping) {
      chunk = this.skip(chunk);
      if (chunk.length === 0) return;
    }
    const data = this.pending && this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let p = 0;
    if (this.first) {
      if (data.length < 3 && !this.pendingFinal) { this.pending = data; return; }
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) p = 3;
      this.first = false;
    }
    this.pending = null;
    p = this.run(data, p, false);
    this.pending = p < data.length ? data.subarray(p) : null;
    if (this.pending && this.pending.length > this.maxRecord) this.overflow();
  }

  /** The incomplete record passed the record limit: hand it over flagged, then skip to its end. */
  private overflow(): void {
    const data = this.pending!;
    this.pending = null;
    const rec = this.rec;
    let lfs = 0, inQ = false;
    const whitespace = this.whitespace, quote = this.quote;
    for (let i = 0; i < data.length; i++) {
      const b = data[i];
      if (b === LF) lfs++;
      else if (b === quote && !whitespace) inQ = !inQ;
    }
    rec.buf = data; rec.line = this.line; rec.start = 0; rec.end = data.length; rec.n = 1;
    rec.starts[0] = 0; rec.ends[0] = data.length; rec.flags[0] = FIELD_NON_ASCII;
    rec.error = REC_FIELD_TOO_LARGE; rec.errorField = 0; rec.endLine = this.line + lfs;
    this.line += lfs;
    this.skipping = true;
    this.skipInQuote = inQ;
    this.onRecord(rec);
  }

  /** Drop bytes of an overlong record up to its line end (outside quotes); returns what follows it. */
  private skip(chunk: Buffer): Buffer {
    const quote = this.quote, whitespace = this.whitespace;
    let inQ = this.skipInQuote;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF) {
        if (!inQ) { this.skipping = false; this.line++; return chunk.subarray(i + 1); }
        this.line++;
      } else if (b === quote && !whitespace) inQ = !inQ;
    }
    this.skipInQuote = inQ;
    return chunk.subarray(chunk.length);
  }

  private pendingFinal = false;

  /** Signal the end of input; flushes a last record without a line terminator. */
  end(): void {
    this.pendingFinal = true;
    if (this.skipping) { this.skipping = false; this.pending = null; return; }
    if (this.first && this.pending) {
      const data = this.pending;
      let p = 0;
      if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) p = 3;
      this.first = false;
      this.pending = null;
      this.run(data, p, true);
      return;
    }
    if (this.pending && this.pending.length) {
      const data = this.pending;
      this.pending = null;
      this.run(data, 0, true);
    }
  }

  /** Parse records from `p`; returns the offset of the first incomplete record. */
  private run(data: Buffer, p: number, final: boolean): number {
    const len = data.length;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    while (p < len) {
      const next = this.whitespace ? this.record_ws(data, p, final) : this.record(data, p, final);
      if (next < 0) return p;
      p = next;
    }
    return p;
  }

  private grow(): void {
    const r = this.rec;
    const cap = r.starts.length * 2;
    const s = new Int32Array(cap); s.set(r.starts); r.starts = s;
    const e = new Int32Array(cap); e.set(r.ends); r.ends = e;
    const f = new Uint8Array(cap); f.set(r.flags); r.flags = f;
  }

  /** One CSV record starting at p; returns the offset after it, or -1 when incomplete. */
  private record(data: Buffer, p: number, final: boolean): number {
    const len = data.length;
    const rec = this.rec;
    const delim = this.delim, quote = this.quote, maxField = this.maxField;
    const line0 = this.line;
    rec.buf = data; rec.line = line0; rec.start = p; rec.error = 0; rec.errorField = 0;
    let n = 0;
    let b = data[p];
    // Empty line (LF or CRLF).
    if (b === LF || (b === CR && p + 1 < len && data[p + 1] === LF)) {
      rec.n = 0; rec.end = p; rec.endLine = line0;
      this.line++;
      this.onRecord(rec);
      return b === LF ? p + 1 : p + 2;
    }
    if (b === CR && p + 1 >= len && !final) return -1;
    for (;;) {
      if (n === rec.starts.length) this.grow();
      let fs = p, fe: number, flag = 0;
      if (p < len && data[p] === quote) {
        // Quoted field.
        p++;
        let esc = false, hi = 0;
        let closed = false;
        while (p < len) {
          b = data[p];
          if (b === quote) {
            if (p + 1 < len && data[p + 1] === quote) { esc = true; p += 2; continue; }
            if (p + 1 >= len && !final) { this.line = line0; return -1; }
            closed = true;
            break;
          }
          if (b === LF) this.line++;
          hi |= b;
          p++;
        }
        if (!closed) {
          if (!final) { this.line = line0; return -1; }
          // Unterminated quote at end of file: the rest of the file is this record.
          rec.starts[n] = fs; rec.ends[n] = len; rec.flags[n] = FIELD_ESCAPED | (hi & 0x80 ? FIELD_NON_ASCII : 0);
          n++;
          rec.n = n; rec.end = len; rec.error = REC_UNTERMINATED; rec.errorField = n - 1; rec.endLine = this.line;
          this.onRecord(rec);
          return len;
        }
        const qEnd = p;
        p++; // past closing quote
        b = p < len ? data[p] : -1;
        if (b === delim || b === LF || b === -1 || (b === CR && (p + 1 >= len || data[p + 1] === LF))) {
          if (esc) { fe = p; flag = FIELD_ESCAPED; }
          else { fs = fs + 1; fe = qEnd; flag = FIELD_QUOTED; }
        } else {
          // Text after the closing quote: keep it, raw span, unquote later.
          while (p < len) {
            b = data[p];
            if (b === delim || b === LF) break;
            hi |= b;
            p++;
          }
          fe = p;
          if (fe > fs && data[fe - 1] === CR && b === LF) fe--;
          flag = FIELD_ESCAPED;
        }
        if (hi & 0x80) flag |= FIELD_NON_ASCII;
        if (b === -1 && !final) { this.line = line0; return -1; }
        if (b === CR && p + 1 >= len && !final) { this.line = line0; return -1; }
      } else {
        let hi = 0;
        // 4 bytes at a time while no byte is the delimiter or LF (SWAR zero-byte test).
        const view = this.view!, dmask = this.dmask, lim = len - 3;
        while (p < lim) {
          const w = view.getInt32(p, true);
          const x = w ^ dmask, y = w ^ 0x0a0a0a0a;
          if ((((x - 0x01010101) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) break;
          hi |= w;
          p += 4;
        }
        while (p < len) {
          b = data[p];
          if (b === delim || b === LF) break;
          hi |= b;
          p++;
        }
        if (p >= len) {
          if (!final) { this.line = line0; return -1; }
          b = -1;
        }
        fe = p;
        if (fe > fs && data[fe - 1] === CR && b !== delim) fe--;
        if (hi & 0x80808080) flag = FIELD_NON_ASCII;
      }
      if (fe - fs > maxField && rec.error === 0) { rec.error = REC_FIELD_TOO_LARGE; rec.errorField = n; }
      rec.starts[n] = fs; rec.ends[n] = fe; rec.flags[n] = flag;
      n++;
      // After a quoted field p points at the delimiter/terminator too.
      b = p < len ? data[p] : -1;
      if (b === CR) { // CR before LF after a quoted field
        p++;
        b = p < len ? data[p] : -1;
      }
      if (b === delim) { p++; continue; }
      rec.n = n;
      rec.endLine = this.line;
      if (b === LF) {
        rec.end = data[p - 1] === CR ? p - 1 : p;
        this.line++;
        this.onRecord(rec);
        return p + 1;
      }
      // End of data (final).
      rec.end = len;
      this.onRecord(rec);
      return len;
    }
  }

  /** One whitespace-separated record (no quoting); returns the offset after it, or -1 when incomplete. */
  private record_ws(data: Buffer, p: number, final: boolean): number {
    const len = data.length;
    const rec = this.rec;
    let q = p;
    while (q < len && data[q] !== LF) q++;
    if (q >= len && !final) return -1;
    let lineEnd = q;
    if (lineEnd > p && data[lineEnd - 1] === CR) lineEnd--;
    rec.buf = data; rec.line = this.line; rec.start = p; rec.end = lineEnd; rec.error = 0; rec.errorField = 0; rec.endLine = this.line;
    let n = 0, i = p;
    for (;;) {
      while (i < lineEnd && (data[i] === SPACE || data[i] === TAB)) i++;
      if (i >= lineEnd) break;
      const fs = i;
      let hi = 0;
      while (i < lineEnd && data[i] !== SPACE && data[i] !== TAB) { hi |= data[i]; i++; }
      if (n === rec.starts.length) this.grow();
      rec.starts[n] = fs; rec.ends[n] = i; rec.flags[n] = hi & 0x80 ? FIELD_NON_ASCII : 0;
      if (i - fs > this.maxField && rec.error === 0) { rec.error = REC_FIELD_TOO_LARGE; rec.errorField = n; }
      n++;
    }
    rec.n = n;
    this.line++;
    this.onRecord(rec);
    return q < len ? q + 1 : len;
  }
}

/**
 * Decode a raw quoted field (`"a ""b"" c"` or `"abc"def`) to its text:
 * strips the outer quotes, turns doubled quotes into one, keeps text after
 * the closing quote as is.
 */
export function unquoteField(raw: string, quote = '"'): string {
  if (!raw.startsWith(quote)) return raw;
  let out = "";
  let i = 1;
  for (;;) {
    const j = raw.indexOf(quote, i);
    if (j < 0) return out + raw.slice(i); // unterminated
    out += raw.slice(i, j);
    if (raw[j + 1] === quote) { out += quote; i = j + 2; continue; }
    return out + raw.slice(j + 1);
  }
}

/**
 * True when bytes [s, e) are valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
 * Hand-written so it is fast and never throws.
 */
export function isValidUTF8(buf: Uint8Array, s: number, e: number): boolean {
  let i = s;
  while (i < e) {
    const b = buf[i];
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= e || (buf[i + 1] & 0xc0) !== 0x80) return false;
      i += 2; continue;
    }
    if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= e) return false;
      const b1 = buf[i + 1], b2 = buf[i + 2];
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return false;
      if (b === 0xe0 && b1 < 0xa0) return false; // overlong
      if (b === 0xed && b1 >= 0xa0) return false; // surrogate
      i += 3; continue;
    }
    if (b >= 0xf0 && b <= 0xf4) {
      if (i + 3 >= e) return false;
      const b1 = buf[i + 1], b2 = buf[i + 2], b3 = buf[i + 3];
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return false;
      if (b === 0xf0 && b1 < 0x90) return false;
      if (b === 0xf4 && b1 >= 0x90) return false;
      i += 4; continue;
    }
    return false;
  }
  return true;
}
