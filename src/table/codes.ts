/**
 * Dictionary-encoded text: a column as per-row integer codes into a list of
 * distinct strings. Loaders produce text columns this way, tables keep them
 * encoded until someone asks for the strings ({@link Table.str}), and
 * group-bys, joins and filters work on the codes.
 * @module
 */

/** Dictionary codes of a text column: `dict[codes[i]]` is row i's value, and equal strings ⇔ equal codes. */
export interface TextCodes {
  /** Per-row code. */
  codes: Int32Array;
  /** Distinct values by code (may hold values no row uses; never the same string twice). */
  dict: string[];
}

const registry = new WeakMap<readonly string[], TextCodes>();

/**
 * Remember the codes of a text column (loaders and tables call this; the column must not be mutated afterwards).
 * @example
 * const col = ["a", "b", "a"];
 * registerTextCodes(col, { codes: Int32Array.from([0, 1, 0]), dict: ["a", "b"] });
 * peekTextCodes(col)?.dict; // ["a", "b"]
 */
export function registerTextCodes(column: readonly string[], codes: TextCodes): void {
  registry.set(column, codes);
}

/**
 * Dictionary codes for a text column: the loader's codes when the column came
 * straight from a loader (free), else computed with a Map (one pass) and
 * remembered. Equal strings get equal codes. (For a column of a {@link Table},
 * `table.codes(name)` gives the same without turning encoded columns into strings.)
 *
 * @example
 * const { codes, dict } = textCodes(["b", "a", "b"]);  // codes [0, 1, 0], dict ["b", "a"]
 */
export function textCodes(column: readonly string[]): TextCodes {
  const known = registry.get(column);
  if (known && known.codes.length === column.length) return known;
  const map = new Map<string, number>();
  const dict: string[] = [];
  const codes = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    let c = map.get(v);
    if (c === undefined) { c = dict.length; map.set(v, c); dict.push(v); }
    codes[i] = c;
  }
  const out = { codes, dict };
  registry.set(column, out);
  return out;
}

/**
 * The registered codes of a column, if a loader (or an earlier {@link textCodes} call) left them; never computes.
 *
 * @example
 * const col = ["x", "y"];
 * peekTextCodes(col);   // undefined
 * textCodes(col);
 * peekTextCodes(col)!.dict;  // ["x", "y"]
 */
export function peekTextCodes(column: readonly string[]): TextCodes | undefined {
  const known = registry.get(column);
  return known && known.codes.length === column.length ? known : undefined;
}

/**
 * Codes over a dictionary that may repeat a string (e.g. the same text reached
 * from different bytes), rewritten so every string has one code. Returns the
 * input when the dictionary is already distinct.
 *
 * @example
 * canonicalCodes({ codes: Int32Array.from([0, 1, 2]), dict: ["a", "b", "a"] });
 * // { codes: [0, 1, 0], dict: ["a", "b"] }
 */
export function canonicalCodes(tc: TextCodes): TextCodes {
  const { codes, dict } = tc;
  const index = new Map<string, number>();
  let dup = false;
  for (let c = 0; c < dict.length; c++) {
    if (index.has(dict[c])) { dup = true; break; }
    index.set(dict[c], c);
  }
  if (!dup) return tc;
  index.clear();
  const out: string[] = [];
  const map = new Int32Array(dict.length);
  for (let c = 0; c < dict.length; c++) {
    let g = index.get(dict[c]);
    if (g === undefined) { g = out.length; out.push(dict[c]); index.set(dict[c], g); }
    map[c] = g;
  }
  const n = codes.length, next = new Int32Array(n);
  for (let i = 0; i < n; i++) next[i] = map[codes[i]];
  return { codes: next, dict: out };
}

/**
 * The strings of an encoded column (`dict[codes[i]]` for every row), with the
 * codes registered on the result so {@link textCodes} finds them for free.
 *
 * @example
 * decodeText({ codes: Int32Array.from([1, 0, 1]), dict: ["", "NL"] });  // ["NL", "", "NL"]
 */
export function decodeText(tc: TextCodes): string[] {
  const { codes, dict } = tc;
  const n = codes.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = dict[codes[i]];
  registerTextCodes(out, tc);
  return out;
}

/**
 * True when a value is an encoded text column (as opposed to a `string[]` or a typed array).
 *
 * @example
 * isTextCodes({ codes: new Int32Array(0), dict: [] });  // true
 * isTextCodes(["a"]);                                   // false
 */
export function isTextCodes(x: unknown): x is TextCodes {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x) && (x as TextCodes).codes instanceof Int32Array && Array.isArray((x as TextCodes).dict);
}
