/**
 * Text encodings of input files: names the loaders accept, detection
 * (`"auto"`), and streaming transcoding to UTF-8 for encodings the byte-level
 * tokenizer cannot read directly (Windows-1252, UTF-16).
 * @module
 */
import * as fs from "fs";
import { CustlabError } from "../util/errors";

/** Encoding names every loader accepts (`encoding` option, CLI `--encoding`). */
export const INPUT_ENCODINGS = ["auto", "utf-8", "utf8", "latin1", "iso-8859-1", "windows-1252", "cp1252", "utf-16", "utf-16le", "utf-16be", "utf8-or-latin1"] as const;

/**
 * An input encoding: `"auto"` (detect: UTF-16 by byte-order mark or NUL
 * pattern, Latin-1 / Windows-1252 when bytes that are not UTF-8 dominate,
 * UTF-8 otherwise), `"utf-8"` (strict: a field that is not valid UTF-8
 * quarantines its row as `invalid_utf8`), `"latin1"`, `"windows-1252"`,
 * `"utf-16"` (LE or BE by byte-order mark, LE without one), or
 * `"utf8-or-latin1"` (per field: UTF-8 when valid, else Latin-1).
 */
export type InputEncoding = (typeof INPUT_ENCODINGS)[number];

/** What an encoding option resolved to for one file. */
export interface ResolvedEncoding {
  /** Name reported in load reports and JSON: "utf-8", "latin1", "windows-1252", "utf-16le", "utf-16be" or "utf8-or-latin1". */
  name: string;
  /** How fields of the (possibly transcoded) bytes are decoded. */
  field: "utf8" | "latin1" | "utf8-or-latin1";
  /** Bytes are transcoded to UTF-8 from this encoding before tokenizing. */
  transcode?: "windows-1252" | "utf-16le" | "utf-16be";
  /** True when `"auto"` chose the encoding. */
  detected: boolean;
}

/**
 * Normalise an encoding name; a CustlabError listing the known names otherwise.
 *
 * @example
 * normalizeEncoding("CP1252");   // "windows-1252"
 */
export function normalizeEncoding(enc: string | undefined): InputEncoding {
  const e = (enc ?? "utf-8").trim().toLowerCase().replace(/_/g, "-");
  const alias: Record<string, InputEncoding> = {
    "auto": "auto", "utf-8": "utf-8", "utf8": "utf-8", "latin1": "latin1", "latin-1": "latin1", "iso-8859-1": "latin1", "iso8859-1": "latin1",
    "windows-1252": "windows-1252", "cp1252": "windows-1252", "win1252": "windows-1252", "utf-16": "utf-16", "utf16": "utf-16",
    "utf-16le": "utf-16le", "utf16le": "utf-16le", "utf-16be": "utf-16be", "utf16be": "utf-16be", "utf8-or-latin1": "utf8-or-latin1",
  };
  const n = alias[e];
  if (!n) throw new CustlabError("E_OPTION", `option encoding: unknown encoding "${enc}" (choose one of: auto, utf-8, latin1, windows-1252, utf-16, utf8-or-latin1)`);
  return n;
}

function readSample(file: string): { head: Buffer; windows: Buffer[] } {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    const size = fs.fstatSync(fd).size;
    const head = Buffer.allocUnsafe(Math.min(size, 1 << 20));
    const got = fs.readSync(fd, head, 0, head.length, 0);
    const windows: Buffer[] = [];
    if (size > 2 << 20) {
      // 15 more windows of 64 KiB spread over the file: a file whose first MiB is ASCII is still recognised.
      for (let k = 1; k <= 15; k++) {
        const w = Buffer.allocUnsafe(1 << 16);
        const n = fs.readSync(fd, w, 0, w.length, Math.floor((size * k) / 16));
        // start after the first line end so a window does not begin inside a multi-byte character
        const nl = w.subarray(0, n).indexOf(10);
        windows.push(w.subarray(nl >= 0 ? nl + 1 : n, n));
      }
    }
    return { head: head.subarray(0, got), windows };
  } catch (e) {
    if (e instanceof CustlabError) throw e;
    throw new CustlabError("E_FILE", `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Counts lines holding invalid UTF-8, lines holding valid multi-byte UTF-8, and bytes 0x80–0x9F. */
function scanUtf8(b: Buffer, acc: { bad: number; good: number; c1: number; lines: number }): void {
  let lineBad = false, lineGood = false;
  const n = b.length;
  for (let i = 0; i < n; ) {
    const c = b[i];
    if (c === 10) { acc.lines++; if (lineBad) acc.bad++; else if (lineGood) acc.good++; lineBad = lineGood = false; i++; continue; }
    if (c < 0x80) { i++; continue; }
    if (c >= 0x80 && c <= 0x9f) acc.c1++;
    let len = 0;
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) len = 3;
    else if (c >= 0xf0 && c <= 0xf4) len = 4;
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) if ((b[i + k] & 0xc0) !== 0x80) ok = false;
    if (ok) { lineGood = true; i += len; } else if (len > 0 && i + len > n) { i = n; } else { lineBad = true; i++; }
  }
  if (lineBad) acc.bad++; else if (lineGood) acc.good++;
}

/**
 * Resolve an encoding option for a file. `"auto"` reads a sample (the first
 * MiB and 15 windows of 64 KiB across larger files): a UTF-16 byte-order mark
 * or a NUL byte in every other position means UTF-16; when at least two sampled
 * lines (and 0.1% of them) hold bytes that are not UTF-8 and they outnumber
 * the lines with valid multi-byte UTF-8, the file is Latin-1 (named
 * `windows-1252` when it uses bytes 0x80–0x9F, which Windows-1252 maps to
 * `€ ‘ ’ “ ”`…); otherwise UTF-8 (strict: a stray bad line is quarantined).
 *
 * @example
 * resolveEncoding("orders.csv", "auto").name;   // "utf-8", "windows-1252", "utf-16le"…
 */
export function resolveEncoding(file: string, requested: string | undefined): ResolvedEncoding {
  const enc = normalizeEncoding(requested);
  switch (enc) {
    case "utf-8": case "utf8": return { name: "utf-8", field: "utf8", detected: false };
    case "latin1": case "iso-8859-1": return { name: "latin1", field: "latin1", detected: false };
    case "windows-1252": case "cp1252": return { name: "windows-1252", field: "utf8", transcode: "windows-1252", detected: false };
    case "utf8-or-latin1": return { name: "utf8-or-latin1", field: "utf8-or-latin1", detected: false };
    case "utf-16le": return { name: "utf-16le", field: "utf8", transcode: "utf-16le", detected: false };
    case "utf-16be": return { name: "utf-16be", field: "utf8", transcode: "utf-16be", detected: false };
    case "utf-16": {
      const { head } = readSample(file);
      const be = head.length >= 2 && head[0] === 0xfe && head[1] === 0xff;
      return { name: be ? "utf-16be" : "utf-16le", field: "utf8", transcode: be ? "utf-16be" : "utf-16le", detected: false };
    }
  }
  // auto
  const { head, windows } = readSample(file);
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { name: "utf-16le", field: "utf8", transcode: "utf-16le", detected: true };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { name: "utf-16be", field: "utf8", transcode: "utf-16be", detected: true };
  // UTF-16 without a byte-order mark: ASCII text has a NUL in every other byte.
  const m = Math.min(head.length & ~1, 4096);
  if (m >= 4) {
    let evenNul = 0, oddNul = 0;
    for (let i = 0; i < m; i += 2) { if (head[i] === 0) evenNul++; if (head[i + 1] === 0) oddNul++; }
    if (oddNul > 0.4 * (m / 2) && evenNul === 0) return { name: "utf-16le", field: "utf8", transcode: "utf-16le", detected: true };
    if (evenNul > 0.4 * (m / 2) && oddNul === 0) return { name: "utf-16be", field: "utf8", transcode: "utf-16be", detected: true };
  }
  const acc = { bad: 0, good: 0, c1: 0, lines: 0 };
  scanUtf8(head, acc);
  for (const w of windows) scanUtf8(w, acc);
  if (acc.bad >= 2 && acc.bad > acc.good && acc.bad >= 0.001 * acc.lines) {
    return acc.c1 > 0 ? { name: "windows-1252", field: "utf8", transcode: "windows-1252", detected: true } : { name: "latin1", field: "latin1", detected: true };
  }
  return { name: "utf-8", field: "utf8", detected: true };
}

/**
 * Streaming transcoder to UTF-8 (chunks may split characters; the decoder
 * keeps the partial bytes). A UTF-16 byte-order mark is dropped.
 *
 * @example
 * const t = new Utf8Transcoder("windows-1252");
 * t.push(Buffer.from([0x63, 0x61, 0x66, 0xe9])).toString();   // "café"
 */
export class Utf8Transcoder {
  private readonly dec: TextDecoder;
  constructor(from: "windows-1252" | "utf-16le" | "utf-16be") {
    this.dec = new TextDecoder(from, { ignoreBOM: false });
  }
  /** Transcode the next chunk. */
  push(chunk: Uint8Array): Buffer {
    return Buffer.from(this.dec.decode(chunk, { stream: true }), "utf8");
  }
  /** Flush what is left (an incomplete character becomes U+FFFD). */
  end(): Buffer {
    return Buffer.from(this.dec.decode(), "utf8");
  }
}
