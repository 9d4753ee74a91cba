/**
 * Parsing numbers and dates straight from bytes (no intermediate strings, no
 * `Date` object per row), plus time-zone conversion with a per-hour cache.
 * @module
 */
import { CustlabError } from "../util/errors";

/** Parse status: a value was read. */
export const PARSE_OK = 0;
/** Parse status: the field is empty (after trimming spaces). */
export const PARSE_EMPTY = 1;
/** Parse status: not a number / not a date in the expected format. */
export const PARSE_INVALID = 2;
/** Parse status: NaN or ±Infinity written out (numbers only). */
export const PARSE_NON_FINITE = 3;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const TWO53 = 9007199254740992;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NONFINITE_RE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Date formats understood by the loaders.
 * - `"iso"`: `YYYY-MM-DD`, optionally `T` or space + `HH:MM[:SS[.fff]]`, optionally `Z` or `±HH[:MM]`
 * - `"mdy"`: `M/D/YYYY[ H:MM[:SS]][ AM|PM]` (US, as Excel shows UCI Online Retail: `12/1/2010 8:26`)
 * - `"dmy"`: `D/M/YYYY[ H:MM[:SS]]` (also with `.` or `-` separators)
 * - `"ymd8"`: `YYYYMMDD` (CDNOW)
 * - `"auto"`: per value: ISO when the 5th character is `-`, `ymd8` for 8 digits, `mdy` for slashes
 * - a strftime pattern (any text holding `%`), e.g. `"%d-%b-%y"` (`31-Jul-18`), `"%Y%m%d"`, `"%m/%d/%Y %H:%M"`:
 *   see {@link compileDateFormat} for the directives
 */
export type DateFormat = "iso" | "mdy" | "dmy" | "ymd8" | "auto" | (string & {});

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Reads numbers and dates from byte spans. After each call `status` holds one
 * of the `PARSE_*` codes and, for dates, `hasZone` says whether the text
 * carried its own zone (then the result is already UTC).
 *
 * @example
 * const p = new ByteParser();
 * p.number(Buffer.from("3.25"), 0, 4);   // 3.25, p.status === PARSE_OK
 */
export class ByteParser {
  /** Status of the last call (`PARSE_*`). */
  status = PARSE_OK;
  /** Whether the last date carried an explicit zone (Z or ±HH:MM). */
  hasZone = false;

  /** Parse a decimal number; exact (same double as `Number(text)`). */
  number(buf: Uint8Array, s: number, e: number): number {
    while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
    while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
    if (s === e) { this.status = PARSE_EMPTY; return NaN; }
    let i = s, neg = false;
    let c = buf[i];
    if (c === 45) { neg = true; i++; } else if (c === 43) i++;
    let mant = 0, nd = 0, frac = 0;
    while (i < e) {
      c = buf[i];
      if (c < 48 || c > 57) break;
      mant = mant * 10 + (c - 48); nd++; i++;
    }
    if (i < e && buf[i] === 46) {
      i++;
      while (i < e) {
        c = buf[i];
        if (c < 48 || c > 57) break;
        mant = mant * 10 + (c - 48); nd++; frac++; i++;
      }
    }
    if (i === e && nd > 0 && mant < TWO53 && frac <= 22) {
      this.status = PARSE_OK;
      const v = frac === 0 ? mant : mant / POW10[frac];
      return neg ? -v : v;
    }
    return this.slowNumber(buf, s, e);
  }

  private slowNumber(buf: Uint8Array, s: number, e: number): number {
    const str = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString("latin1");
    if (NUMBER_RE.test(str)) {
      const v = Number(str);
      if (Number.isFinite(v)) { this.status = PARSE_OK; return v; }
      this.status = PARSE_NON_FINITE; return v;
    }
    if (NONFINITE_RE.test(str)) { this.status = PARSE_NON_FINITE; return NaN; }
    this.status = PARSE_INVALID;
    return NaN;
  }

  /**
   * Parse a date/time; returns epoch ms. Without an explicit zone in the text
   * the value is the wall-clock time read as UTC (`hasZone` false): convert
   * with a {@link ZoneConverter}.
   */
  date(buf: Uint8Array, s: number, e: number, format: DateFormat): number {
    while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
    while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
    this.hasZone = false;
    if (s === e) { this.status = PARSE_EMPTY; return NaN; }
    let f = format;
    if (f.length > 2 && f.indexOf("%") >= 0) return this.pattern(buf, s, e, f);
    if (f === "auto") {
      if (e - s >= 10 && buf[s + 4] === 45) f = "iso";
      else if (e - s === 8) f = "ymd8";
      else f = "mdy";
    }
    let v: number;
    if (f === "iso") v = this.iso(buf, s, e);
    else if (f === "ymd8") v = this.ymd8(buf, s, e);
    else if (f === "mdy" || f === "dmy") v = this.slash(buf, s, e, f === "dmy");
    else throw new CustlabError("E_OPTION", `date format: unknown format "${f}" (use iso, mdy, dmy, ymd8, auto or a strftime pattern such as "%d-%b-%y")`);
    return v;
  }

  private readonly patterns = new Map<string, DatePart[]>();

  /** A value in a strftime pattern (compiled once per pattern). */
  private pattern(buf: Uint8Array, s: number, e: number, format: string): number {
    let parts = this.patterns.get(format);
    if (!parts) { parts = compileDateFormat(format); this.patterns.set(format, parts); }
    let i = s;
    let y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0, pm = -1, off = 0;
    for (const p of parts) {
      if (p.kind === "lit") {
        for (let k = 0; k < p.bytes.length; k++) {
          if (p.bytes[k] === 32) { if (i < e && buf[i] !== 32) return this.fail(); while (i < e && buf[i] === 32) i++; continue; }
          if (i >= e || buf[i] !== p.bytes[k]) return this.fail();
          i++;
        }
        continue;
      }
      if (p.kind === "month") {
        let j = i;
        while (j < e && ((buf[j] | 0x20) >= 97 && (buf[j] | 0x20) <= 122)) j++;
        const m = monthFromName(buf, i, j, p.full);
        if (m < 0) return this.fail();
        mo = m; i = j; continue;
      }
      if (p.kind === "ampm") {
        if (i + 2 > e || (buf[i + 1] | 0x20) !== 109) return this.fail();
        const c = buf[i] | 0x20;
        if (c === 97) pm = 0; else if (c === 112) pm = 1; else return this.fail();
        i += 2; continue;
      }
      if (p.kind === "zone") {
        if (i < e && (buf[i] | 0x20) === 122) { i++; this.hasZone = true; continue; }
        if (i >= e || (buf[i] !== 43 && buf[i] !== 45)) return this.fail();
        const sign = buf[i] === 45 ? -1 : 1;
        i++;
        const oh = this.digits(buf, i, 2);
        if (oh < 0) return this.fail();
        i += 2;
        if (i < e && buf[i] === 58) i++;
        const om = this.digits(buf, i, 2);
        if (om < 0) return this.fail();
        i += 2;
        off = sign * (oh * 60 + om) * 60000;
        this.hasZone = true;
        continue;
      }
      // numeric field: up to p.max digits (at least p.min)
      let v = 0, k = 0;
      while (i < e && k < p.max && buf[i] >= 48 && buf[i] <= 57) { v = v * 10 + buf[i] - 48; i++; k++; }
      if (k < p.min) return this.fail();
      switch (p.kind) {
        case "Y": y = v; break;
        case "y": y = v < 69 ? 2000 + v : 1900 + v; break; // POSIX / Python: 69–99 → 1900s, 00–68 → 2000s
        case "m": mo = v; break;
        case "d": d = v; break;
        case "H": h = v; break;
        case "I": h = v; if (v < 1 || v > 12) return this.fail(); break;
        case "M": mi = v; break;
        case "S": sec = v; break;
        case "f": ms = Math.floor(v / 10 ** (k - 3)); if (k < 3) ms = v * 10 ** (3 - k); break;
      }
    }
    if (i !== e) return this.fail();
    if (pm >= 0) { if (h === 12) h = 0; if (pm === 1) h += 12; }
    const v = this.finish(y, mo, d, h, mi, sec, ms);
    return this.status === PARSE_OK ? v - off : v;
  }

  private fail(): number { this.status = PARSE_INVALID; return NaN; }

  private digits(buf: Uint8Array, i: number, n: number): number {
    let v = 0;
    for (let k = 0; k < n; k++) {
      const c = buf[i + k] - 48;
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    return v;
  }

  private finish(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number): number {
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) return this.fail();
    this.status = PARSE_OK;
    return daysFromCivil(y, mo, d) * 86400000 + h * 3600000 + mi * 60000 + sec * 1000 + ms;
  }

  private ymd8(buf: Uint8Array, s: number, e: number): number {
    if (e - s !== 8) return this.fail();
    const y = this.digits(buf, s, 4), m = this.digits(buf, s + 4, 2), d = this.digits(buf, s + 6, 2);
    if (y < 0 || m < 0 || d < 0) return this.fail();
    return this.finish(y, m, d, 0, 0, 0, 0);
  }

  // The last ISO date part (10 bytes) and its day number: rows come in runs of the same day.
  private readonly lastDay = new Uint8Array(10);
  private lastDayMs = NaN;

  private iso(buf: Uint8Array, s: number, e: number): number {
    if (e - s < 10) return this.fail();
    const ld = this.lastDay;
    let same = this.lastDayMs === this.lastDayMs;
    for (let k = 0; same && k < 10; k++) if (buf[s + k] !== ld[k]) same = false;
    let y = 0, mo = 0, d = 0;
    if (!same) {
      y = this.digits(buf, s, 4); mo = this.digits(buf, s + 5, 2); d = this.digits(buf, s + 8, 2);
      if (y < 0 || mo < 0 || d < 0 || buf[s + 7] !== buf[s + 4] || (buf[s + 4] !== 45 && buf[s + 4] !== 47)) return this.fail();
    }
    let i = s + 10, h = 0, mi = 0, sec = 0, ms = 0;
    if (i < e && (buf[i] === 84 || buf[i] === 116 || buf[i] === 32)) {
      i++;
      if (e - i < 5 || buf[i + 2] !== 58) return this.fail();
      h = this.digits(buf, i, 2); mi = this.digits(buf, i + 3, 2);
      if (h < 0 || mi < 0) return this.fail();
      i += 5;
      if (i < e && buf[i] === 58) {
        if (e - i < 3) return this.fail();
        sec = this.digits(buf, i + 1, 2);
        if (sec < 0) return this.fail();
        i += 3;
        if (i < e && (buf[i] === 46 || buf[i] === 44)) {
          i++;
          let scale = 100, any = false;
          while (i < e && buf[i] >= 48 && buf[i] <= 57) { ms += (buf[i] - 48) * scale; scale /= 10; i++; any = true; }
          if (!any) return this.fail();
          ms = Math.floor(ms);
        }
      }
    }
    let off = 0;
    if (i < e) {
      const c = buf[i];
      if ((c === 90 || c === 122) && i + 1 === e) { this.hasZone = true; }
      else if (c === 43 || c === 45) {
        const oh = this.digits(buf, i + 1, 2);
        let om = 0;
        if (oh < 0) return this.fail();
        if (i + 3 === e) om = 0;
        else if (i + 6 === e && buf[i + 3] === 58) om = this.digits(buf, i + 4, 2);
        else if (i + 5 === e) om = this.digits(buf, i + 3, 2);
        else return this.fail();
        if (om < 0 || oh > 18) return this.fail();
        off = (c === 45 ? -1 : 1) * (oh * 60 + om) * 60000;
        this.hasZone = true;
      } else return this.fail();
    }
    let v: number;
    if (same) {
      if (h > 23 || mi > 59 || sec > 60) return this.fail();
      this.status = PARSE_OK;
      v = this.lastDayMs + h * 3600000 + mi * 60000 + sec * 1000 + ms;
    } else {
      v = this.finish(y, mo, d, 0, 0, 0, 0);
      if (this.status !== PARSE_OK) return v;
      for (let k = 0; k < 10; k++) this.lastDay[k] = buf[s + k];
      this.lastDayMs = v;
      if (h > 23 || mi > 59 || sec > 60) return this.fail();
      v += h * 3600000 + mi * 60000 + sec * 1000 + ms;
    }
    return v - off;
  }

  private slash(buf: Uint8Array, s: number, e: number, dmy: boolean): number {
    // a/b/YYYY with 1-2 digit a, b; separators '/', '.', '-'
    let i = s;
    const read = (max: number): number => {
      let v = 0, k = 0;
      while (i < e && k < max && buf[i] >= 48 && buf[i] <= 57) { v = v * 10 + buf[i] - 48; i++; k++; }
      return k === 0 ? -1 : v;
    };
    const a = read(2);
    if (a < 0 || i >= e) return this.fail();
    const sep = buf[i];
    if (sep !== 47 && sep !== 46 && sep !== 45) return this.fail();
    i++;
    const b = read(2);
    if (b < 0 || i >= e || buf[i] !== sep) return this.fail();
    i++;
    const ys = i;
    const y = read(4);
    if (y < 0 || i - ys !== 4) return this.fail();
    let h = 0, mi = 0, sec = 0;
    if (i < e) {
      if (buf[i] !== 32 && buf[i] !== 84) return this.fail();
      while (i < e && buf[i] === 32) i++;
      if (buf[i] === 84) i++;
      h = read(2);
      if (h < 0 || i >= e || buf[i] !== 58) return this.fail();
      i++;
      mi = read(2);
      if (mi < 0) return this.fail();
      if (i < e && buf[i] === 58) { i++; sec = read(2); if (sec < 0) return this.fail(); }
      while (i < e && buf[i] === 32) i++;
      if (i < e) {
        const c = buf[i] | 0x20;
        if ((c === 97 || c === 112) && i + 2 === e && (buf[i + 1] | 0x20) === 109) {
          if (h < 1 || h > 12) return this.fail();
          if (c === 97 && h === 12) h = 0;
          else if (c === 112 && h !== 12) h += 12;
        } else return this.fail();
      }
    }
    return dmy ? this.finish(y, b, a, h, mi, sec, 0) : this.finish(y, a, b, h, mi, sec, 0);
  }
}

/**
 * A date given as an option value (`--cutoff`, `--now`, `calibrationEnd`…):
 * ISO `YYYY-MM-DD` (UTC midnight), ISO with a time and optional zone, or
 * `YYYYMMDD`; epoch ms. A date that does not exist (`2011-02-30`) is a
 * CustlabError naming the option, never rolled over to March 2.
 *
 * @example
 * parseDateOption("2011-09-09", "cutoff");   // 1315526400000
 * // parseDateOption("2011-02-30", "cutoff") → CustlabError "option --cutoff: 2011-02-30 is not a calendar date (February 2011 has 28 days)"
 */
export function parseDateOption(value: string, option: string): number {
  const s = value.trim();
  const b = Buffer.from(s, "utf8");
  const p = new ByteParser();
  const v = p.date(b, 0, b.length, /^\d{8}$/.test(s) ? "ymd8" : "iso");
  if (p.status === PARSE_OK) return v;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(s);
  if (m) {
    const y = +m[1], mo = +m[2], d = +m[3];
    if (mo < 1 || mo > 12) throw new CustlabError("E_OPTION", `option --${option}: ${s} is not a calendar date (there is no month ${mo})`);
    if (d < 1 || d > daysInMonth(y, mo)) throw new CustlabError("E_OPTION", `option --${option}: ${s} is not a calendar date (${MONTHS[mo - 1][0].toUpperCase()}${MONTHS[mo - 1].slice(1)} ${y} has ${daysInMonth(y, mo)} days)`);
  }
  throw new CustlabError("E_OPTION", `option --${option}: "${s}" is not a date (use YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])`);
}

/** One compiled piece of a strftime pattern. */
export type DatePart =
  | { kind: "lit"; bytes: Uint8Array }
  | { kind: "Y" | "y" | "m" | "d" | "H" | "I" | "M" | "S" | "f"; min: number; max: number }
  | { kind: "month"; full: boolean }
  | { kind: "ampm" }
  | { kind: "zone" };

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

function monthFromName(buf: Uint8Array, s: number, e: number, full: boolean): number {
  const n = e - s;
  if (n < 3) return -1;
  let name = "";
  for (let i = s; i < e; i++) name += String.fromCharCode(buf[i] | 0x20);
  for (let m = 0; m < 12; m++) {
    if (full ? MONTHS[m] === name : n === 3 && MONTHS[m].startsWith(name)) return m + 1;
  }
  // %b also accepts full names and %B abbreviations, as Python's strptime does not; be lenient only on case.
  for (let m = 0; m < 12; m++) if (MONTHS[m] === name || (n === 3 && MONTHS[m].startsWith(name))) return m + 1;
  return -1;
}

/**
 * Compile a strftime pattern into parts (throws a CustlabError for an unknown
 * directive). Directives: `%Y` 4-digit year, `%y` 2-digit year (69–99 → 19xx,
 * 00–68 → 20xx, as POSIX and Python), `%m` month, `%d`/`%e` day, `%b`/`%h` month
 * abbreviation (`Jul`, any case), `%B` month name, `%H` hour 0–23, `%I` hour
 * 1–12 with `%p` AM/PM, `%M` minute, `%S` second, `%f` fraction of a second,
 * `%z` zone (`Z`, `+01:00`, `-0500`), `%%` a percent sign, `%F` = `%Y-%m-%d`,
 * `%T` = `%H:%M:%S`. Numbers take 1 or 2 digits (4 for `%Y`), so `%d/%m/%Y`
 * reads `1/7/2018`; without separators (`%Y%m%d`) they take exactly their
 * width. A space matches one or more spaces. Dates that do not exist
 * (`2011-02-30`) are invalid, never rolled over.
 *
 * @example
 * compileDateFormat("%d-%b-%y").length;   // 5 parts
 */
export function compileDateFormat(pattern: string): DatePart[] {
  const expanded = pattern.replace(/%F/g, "%Y-%m-%d").replace(/%T/g, "%H:%M:%S");
  const parts: DatePart[] = [];
  let lit = "";
  const flush = () => { if (lit) { parts.push({ kind: "lit", bytes: Buffer.from(lit, "utf8") }); lit = ""; } };
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i];
    if (c !== "%") { lit += c; continue; }
    const dch = expanded[++i];
    if (dch === "%") { lit += "%"; continue; }
    flush();
    // A numeric directive directly followed by another directive has a fixed width.
    const fixed = expanded[i + 1] === "%" && expanded[i + 2] !== "%";
    switch (dch) {
      case "Y": parts.push({ kind: "Y", min: 4, max: 4 }); break;
      case "y": parts.push({ kind: "y", min: 2, max: 2 }); break;
      case "m": case "d": case "e": case "H": case "I": case "M": case "S":
        parts.push({ kind: dch === "e" ? "d" : dch, min: fixed ? 2 : 1, max: 2 }); break;
      case "f": parts.push({ kind: "f", min: 1, max: 9 }); break;
      case "b": case "h": parts.push({ kind: "month", full: false }); break;
      case "B": parts.push({ kind: "month", full: true }); break;
      case "p": parts.push({ kind: "ampm" }); break;
      case "z": case "Z": parts.push({ kind: "zone" }); break;
      default:
        throw new CustlabError("E_OPTION", `date format "${pattern}": unknown directive %${dch ?? ""} (known: %Y %y %m %d %e %b %B %H %I %p %M %S %f %z %F %T %%)`);
    }
  }
  flush();
  if (!parts.some((p) => p.kind === "Y" || p.kind === "y")) throw new CustlabError("E_OPTION", `date format "${pattern}": needs a year (%Y or %y)`);
  return parts;
}

/**
 * Turns wall-clock times (read as if UTC) into true UTC for a time zone:
 * `"UTC"` (identity), a fixed offset like `"+01:00"`, or an IANA name like
 * `"Europe/London"` (daylight saving handled through `Intl`, cached per hour).
 * In the repeated hour at the end of DST the earlier instant is chosen.
 *
 * @example
 * const z = new ZoneConverter("Europe/London");
 * z.toUTC(Date.UTC(2011, 6, 1, 12));  // 2011-07-01T11:00Z (BST = UTC+1)
 */
export class ZoneConverter {
  /** True when the zone is UTC (conversion is the identity). */
  readonly isUTC: boolean;
  private readonly fixed: number | null = null;
  private readonly fmt: Intl.DateTimeFormat | null = null;
  private readonly cache = new Map<number, number>();

  constructor(readonly zone: string = "UTC") {
    const z = zone.trim();
    if (z === "" || /^(utc|gmt|z)$/i.test(z)) { this.isUTC = true; return; }
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
    if (m) {
      this.fixed = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60000;
      this.isUTC = this.fixed === 0;
      return;
    }
    try {
      this.fmt = new Intl.DateTimeFormat("en-US", { timeZone: z, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    } catch {
      throw new CustlabError("E_OPTION", `option timeZone: unknown time zone "${zone}" (use "UTC", an offset like "+01:00", or an IANA name like "Europe/London")`);
    }
    this.isUTC = false;
  }

  /** Offset (ms, local − UTC) in effect at a UTC instant. */
  offsetAt(utcMs: number): number {
    if (this.fixed !== null) return this.fixed;
    if (this.isUTC || !this.fmt) return 0;
    const hour = Math.floor(utcMs / 3600000);
    let off = this.cache.get(hour);
    if (off === undefined) {
      const parts = this.fmt.formatToParts(new Date(hour * 3600000));
      const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
      const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
      off = local - hour * 3600000;
      this.cache.set(hour, off);
    }
    return off;
  }

  /** UTC epoch ms for a wall-clock time given as if it were UTC. */
  toUTC(wallMs: number): number {
    if (this.isUTC) return wallMs;
    if (this.fixed !== null) return wallMs - this.fixed;
    const o1 = this.offsetAt(wallMs);
    const o2 = this.offsetAt(wallMs - o1);
    if (o1 === o2) return wallMs - o1;
    // Around a transition: prefer the earlier instant that maps back to the wall time.
    const a = wallMs - Math.max(o1, o2), b = wallMs - Math.min(o1, o2);
    return a + this.offsetAt(a) === wallMs ? a : b;
  }
}
