/**
 * Reading baskets from files through io's checked readers (encoding
 * detection, quarantine, `rows_in = accepted + quarantined`): one basket per
 * line, or the long layout with one item per line.
 * @module
 */
import { CustlabError } from "../util/errors";
import { readBasketLines, readColumns, readHeader, sniffDelimiter, parseColumnRef, normalizeReadingOptions } from "../io";
import type { BasketLinesOptions, LoadReport, ColumnSpec, ReadingOptions } from "../io";
import { Baskets, basketsFromLists } from "./baskets";

/** Baskets read from a file with the load report (counts, reasons, encoding, quarantined lines). */
export interface BasketRead {
  /** The baskets (CSR), `basketIds` = line numbers (basket layout) or the basket key (long layout). */
  baskets: Baskets;
  /** What the read did. */
  report: LoadReport;
}

/**
 * Read a basket file (one basket per line, items separated by `delimiter`,
 * default ","; the arules Groceries layout) with io's checks: the encoding
 * (`encoding: "auto"` detects Latin-1/Windows-1252/UTF-16, so `café` stays
 * `café`), and every line accepted or quarantined with a reason (see
 * `readBasketLines`). Duplicate items in a line count once.
 *
 * @example
 * const { baskets, report } = await readBaskets("../shared/datasets/groceries/groceries.csv", { encoding: "auto" });
 * numBaskets(baskets);   // 9835
 * report.encoding;       // "utf-8"
 */
export async function readBaskets(file: string, options: BasketLinesOptions = {}): Promise<BasketRead> {
  const lists: string[][] = [], ids: string[] = [];
  const report = await readBasketLines(file, (items, line) => { lists.push(items); ids.push(String(line)); }, options);
  if (lists.length === 0 && report.rows_in === 0) throw new CustlabError("E_EMPTY_FILE", "no baskets found (expected one basket per line, items separated by \"" + (options.delimiter ?? ",") + "\")", { file });
  const baskets = basketsFromLists(lists);
  baskets.basketIds = ids;
  baskets.source = file;
  return { baskets, report };
}

/** Options of {@link readLongBaskets}: the shared reading options plus the basket and item columns. */
export interface LongBasketOptions extends ReadingOptions {
  /** Columns whose distinct combination makes one basket (header names or `"#2"` positions), e.g. `["Member_number", "Date"]`. */
  basket: (string | number)[];
  /** Column holding the item (header name or position), e.g. `"itemDescription"`. */
  item: string | number;
  /** Write every quarantined row to this CSV file. */
  quarantineFile?: string;
}

/**
 * Read baskets in the long layout: one item per line, e.g.
 * `Member_number,Date,itemDescription`. A basket is one distinct combination
 * of the `basket` columns (in order of first appearance); no price column is
 * needed. Rows go through the table reader's checks (a row without an item or
 * without a basket value is quarantined as `missing_required`; ragged rows,
 * encodings and stray quotes as everywhere).
 *
 * @example
 * const { baskets } = await readLongBaskets("groceries_long.csv", { basket: ["Member_number", "Date"], item: "itemDescription" });
 * baskets.basketIds![0];   // "1808|21-07-2015"
 */
export async function readLongBaskets(file: string, options: LongBasketOptions): Promise<BasketRead> {
  const o = normalizeReadingOptions(options);
  if (!o.basket || o.basket.length === 0) throw new CustlabError("E_USAGE", "long baskets: give the basket column(s) (--basket <col>[,<col>…])");
  if (o.item === undefined || o.item === "") throw new CustlabError("E_USAGE", "long baskets: give the item column (--item <col>)");
  const delimiter = o.delimiter ?? sniffDelimiter(file);
  const refs = [...o.basket, o.item].map(parseColumnRef);
  // Header names for the messages and key names; with no header: "#n".
  const header = await readHeader(file, delimiter, o.header ?? true, o.encoding);
  const label = (r: string | number) => (typeof r === "number" ? `#${r + 1}` : r);
  const specs: ColumnSpec[] = refs.map((r, i) => ({ name: `k${i}`, source: r, type: "text", required: true, trim: true }));
  specs[specs.length - 1].name = "item";
  const res = await readColumns(file, specs, "long-baskets", { ...o, map: undefined, dateFormat: undefined, delimiter, quarantineFile: o.quarantineFile });
  const t = res.table;
  const nk = refs.length - 1;
  const keyCols = Array.from({ length: nk }, (_, k) => t.str(`k${k}`));
  const items = t.str("item");
  const basketOf = new Map<string, number>();
  const lists: string[][] = [];
  const keys: string[] = [];
  for (let i = 0; i < t.numRows; i++) {
    let key = keyCols[0][i];
    for (let k = 1; k < nk; k++) key += "|" + keyCols[k][i];
    let b = basketOf.get(key);
    if (b === undefined) { b = lists.length; basketOf.set(key, b); lists.push([]); keys.push(key); }
    lists[b].push(items[i]);
  }
  const baskets = basketsFromLists(lists);
  baskets.basketIds = keys;
  baskets.source = file;
  res.report.notes.push(`long layout: a basket is one distinct combination of ${refs.slice(0, nk).map((r) => JSON.stringify(typeof r === "number" ? label(r) : header.find((h) => h.toLowerCase() === String(r).toLowerCase()) ?? r)).join(", ")}; ${lists.length} baskets from ${t.numRows} item rows`);
  return { baskets, report: res.report };
}
