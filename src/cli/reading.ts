/**
 * The reading options every reading command takes (quality, churn, score,
 * segment, rules, clv, sentiment, topics, train, report), in one place:
 * spread {@link READING_SPEC} into the command's `parseArgs` spec, append
 * {@link READING_USAGE} to its usage, turn the parsed flags into the library's
 * {@link ReadingOptions} with {@link readingOptions}, pass those to the loader,
 * and report the load with {@link reportInput}.
 * @module
 */
import { CustlabError } from "../util/errors";
import type { ParsedArgs, OptionKind } from "./args";
import { checkInput, normalizeReadingOptions } from "../io/reading";
import type { InputAccounting, InputReportLike, ReadingOptions } from "../io/reading";

/** The shared reading flags, to spread into a command's `parseArgs` spec. */
export const READING_SPEC: Record<string, OptionKind> = {
  map: "strings",
  "no-header": "boolean",
  delimiter: "string",
  "date-format": "string",
  encoding: "string",
  "allow-quarantine": "boolean",
};

/** Usage text of the shared reading flags, to append to a command's usage. */
export const READING_USAGE = `
Reading options (the same on every command that reads a file):
  --map <col>=<source>  canonical column from a source column: a header name or a
                        1-based position #3 (repeatable: --map customer_id=#2 --map amount=#5)
  --no-header           the first line is data (columns are col1..colN / #1..#N)
  --delimiter <d>       one character (, ; |), tab, or whitespace (runs of spaces/tabs)
  --date-format <fmt>   strftime pattern of the dates, e.g. %d-%b-%y, %Y%m%d, "%m/%d/%Y %H:%M"
                        (dates that do not exist, like 2011-02-30, are quarantined)
  --encoding <e>        auto (default: detects Latin-1/Windows-1252 and UTF-16 and names
                        the choice in the JSON), utf-8, latin1, windows-1252, utf-16
  --allow-quarantine    run even when more than half the rows were quarantined (default:
                        exit 1 naming the top reason; more than 5% prints a warning)`;

/**
 * The library's reading options from parsed flags (encoding defaults to
 * `"auto"`); a CustlabError for a malformed `--map`.
 *
 * @example
 * // parsed from: --map customer_id=#2 --no-header
 * readingOptions({ map: ["customer_id=#2"], "no-header": true });   // { map: { customer_id: 1 }, header: false, encoding: "auto", allowQuarantine: false }
 */
export function readingOptions(o: ParsedArgs["options"]): ReadingOptions {
  const out: ReadingOptions = { encoding: typeof o.encoding === "string" ? o.encoding : "auto", allowQuarantine: !!o["allow-quarantine"] };
  const maps = o.map === undefined ? [] : Array.isArray(o.map) ? o.map : [String(o.map)];
  if (maps.length) {
    const map: Record<string, string> = {};
    for (const m of maps) {
      const eq = m.indexOf("=");
      if (eq <= 0 || eq === m.length - 1) throw new CustlabError("E_USAGE", `option --map: expected <canonical>=<source> (e.g. customer_id=#2 or customer_id="Customer ID"), got "${m}"`);
      const k = m.slice(0, eq).trim();
      if (k in map) throw new CustlabError("E_USAGE", `option --map: "${k}" is mapped twice`);
      map[k] = m.slice(eq + 1);
    }
    out.map = map;
  }
  if (o["no-header"]) out.header = false;
  if (typeof o.delimiter === "string") out.delimiter = o.delimiter;
  if (typeof o["date-format"] === "string") out.dateFormat = o["date-format"];
  return normalizeReadingOptions(out);
}

/**
 * The `input` accounting for a command's JSON. Writes a warning line to
 * stderr when more than 5% of the rows were quarantined; throws a CustlabError
 * (exit 1, one line with the top reason and a hint) when more than 50% were,
 * unless `--allow-quarantine`.
 *
 * @example
 * const reading = readingOptions({ encoding: "auto" });
 * const loaded = await loadTransactions("orders.csv", { ...reading, format: "online-retail" });
 * const input = reportInput(loaded.report, reading);   // { rows_in, accepted, quarantined, reasons, encoding }
 */
export function reportInput(report: InputReportLike, reading: ReadingOptions, what?: string): InputAccounting {
  const { input, warning } = checkInput(report, { allowQuarantine: reading.allowQuarantine, what });
  if (warning) process.stderr.write(`custlab: ${warning}\n`);
  return input;
}
