import * as fs from "fs";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { parseArgs, printJSON, numOpt, strOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { Baskets, basketsFromTransactions, numBaskets } from "../../rules/baskets";
import { readBaskets, readLongBaskets } from "../../rules/read";
import { CsvTokenizer } from "../../io/csv";
import { decodeField } from "../../io/reader";
import { normalizeDelimiter } from "../../io/reading";
import type { LoadReport } from "../../io/reader";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { frequentItemsets, numItemsets } from "../../rules/itemsets";
import { RuleMode, RuleMetric, RULE_METRICS, generateRules, numRules, sortRules, ruleRecord, rulesToCSV, rulesTable } from "../../rules/rules";

export const usage = `custlab rules <file> --format basket|long|<adapter> --min-support <s> --min-confidence <c>
                    [--basket <col>[,<col>…] --item <col>] [--min-len <n>] [--max-len <n>] [--mode arules|mlxtend]
                    [--min-lift <x>] [--by order|customer-day] [--prune] [--sort <metric>] [--top <n>] [--out rules.csv] [--json]

Mine association rules. --format basket reads one basket per line, items
separated by --delimiter (default ","; the arules Groceries layout); --format long
reads one item per line (e.g. Member_number,Date,itemDescription): a basket is one
distinct combination of the --basket columns, --item names the item column, no
price is needed; any transaction adapter (online-retail, custlab, groceries, cdnow,
transactions with --map) loads transactions and groups them into baskets per order
(--by order, default) or per customer and day (--by customer-day); returns and
cancellations are dropped. Without --format, a file that is one basket per line
is read as baskets; a table with a header stops with one line naming its columns
(custlab never mines a header as a basket).

  --min-support     minimum support, fraction of baskets (default 0.01)
  --min-confidence  minimum confidence (default 0.8)
  --min-len         minimum rule length |A|+|C| (default 1: arules mode then also
                    lists {} => {item} rules)
  --max-len         maximum itemset/rule length (default 10, as arules)
  --mode            arules (single-item consequents, default) or mlxtend (every split)
  --min-lift        minimum lift (default 0)
  --prune           drop redundant rules
  --sort            metric for "top" (default lift); --top n rules (default 20)
  --out             write the full rule table as CSV
  --json            print {input, transactions, items, itemsets, rules, top, seconds}
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", "min-support": "string", "min-confidence": "string", "min-len": "string", "max-len": "string",
    mode: "string", "min-lift": "string", by: "string", prune: "boolean", sort: "string", top: "string", out: "string", json: "boolean",
    quiet: "boolean", basket: "string", item: "string", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab rules: missing <file>\n" + usage);
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "file not found", { file });
  checkOutputs({ inputs: [file], files: { "--out": strOpt(options, "out") } });
  const format = strOpt(options, "format") ?? guessBasketLayout(file, reading.delimiter);
  const mode = strOpt(options, "mode", "arules") as RuleMode;
  if (mode !== "arules" && mode !== "mlxtend") throw new CustlabError("E_USAGE", `option --mode must be arules or mlxtend, got "${mode}"`);
  const sortBy = strOpt(options, "sort", "lift") as RuleMetric;
  if (!RULE_METRICS.includes(sortBy)) throw new CustlabError("E_USAGE", `option --sort must be one of ${RULE_METRICS.join(", ")}, got "${sortBy}"`);
  const minSupport = numOpt(options, "min-support", 0.01);
  const minConfidence = numOpt(options, "min-confidence", 0.8);
  const minLen = numOpt(options, "min-len", 1);
  const maxLen = numOpt(options, "max-len", 10);
  const minLift = numOpt(options, "min-lift", 0);
  const topN = numOpt(options, "top", 20);
  const progress = options.quiet || options.json ? undefined : consoleProgress();

  const t0 = performance.now();
  let baskets: Baskets;
  let report: LoadReport;
  if (format === "basket") ({ baskets, report } = await readBaskets(file, { ...reading, map: undefined }));
  else if (format === "long") {
    const basketCols = strOpt(options, "basket");
    const item = strOpt(options, "item");
    if (!basketCols || !item) throw new CustlabError("E_USAGE", "custlab rules --format long needs --basket <col>[,<col>…] and --item <col> (e.g. --basket Member_number,Date --item itemDescription)");
    ({ baskets, report } = await readLongBaskets(file, { ...reading, map: undefined, basket: basketCols.split(",").map((c) => c.trim()).filter(Boolean), item }));
  } else {
    // transaction adapters live in src/io; loaded lazily so `custlab rules` on basket files never reads them
    const io = require("../../io") as typeof import("../../io");
    const loaded = await io.loadTransactions(file, { ...reading, format: format as import("../../io").TransactionFormat });
    report = loaded.report;
    const by = strOpt(options, "by", "order") as "order" | "customer-day";
    baskets = basketsFromTransactions(loaded.table, { by });
  }
  const input = reportInput(report, reading);
  const t1 = performance.now();
  const fi = frequentItemsets(baskets, { minSupport, maxLen, onProgress: progress });
  const rules = generateRules(fi, { mode, minConfidence, minLen, maxLen, minLift, pruneRedundant: !!options.prune });
  const t2 = performance.now();
  const sorted = sortRules(rules, sortBy);
  const n = Math.min(topN, numRules(sorted));
  if (options.out) writeFileAtomic(String(options.out), rulesToCSV(sorted), "--out");
  const seconds = { load: (t1 - t0) / 1000, mine: (t2 - t1) / 1000, itemsets: fi.seconds, total: (performance.now() - t0) / 1000 };
  if (options.json) {
    const top = [];
    for (let i = 0; i < n; i++) {
      const r = ruleRecord(sorted, i);
      top.push({ antecedent: r.antecedent, consequent: r.consequent, support: r.support, confidence: r.confidence, lift: r.lift, leverage: r.leverage, conviction: r.conviction });
    }
    printJSON({
      input, file, format, mode, min_support: minSupport, min_confidence: minConfidence, min_len: minLen, max_len: maxLen,
      transactions: numBaskets(baskets), items: baskets.itemNames.length, itemsets: numItemsets(fi), rules: numRules(rules), top, seconds,
    });
  } else {
    process.stdout.write(`${numBaskets(baskets)} baskets, ${baskets.itemNames.length} items, ${numItemsets(fi)} frequent itemsets, ${numRules(rules)} rules (${mode} mode) in ${seconds.mine.toFixed(3)} s\n\n`);
    process.stdout.write(rulesTable(sorted).head(n)
      .select(["antecedent", "consequent", "support", "confidence", "lift", "leverage", "conviction", "count"]).toMarkdown() + "\n");
    if (options.out) process.stdout.write(`\nall rules written to ${options.out}\n`);
  }
  return 0;
}

/**
 * The basket layout of a file given without --format: one basket per line
 * ("basket") when the first lines have differing field counts; a table (the
 * same field count on every sampled line, at least two fields) is refused with
 * one line naming the columns it saw.
 */
function guessBasketLayout(file: string, delimiter: string | undefined): string {
  const d = normalizeDelimiter(delimiter) ?? ",";
  const fd = fs.openSync(file, "r");
  let buf: Buffer;
  try { buf = Buffer.allocUnsafe(1 << 16); buf = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)); } finally { fs.closeSync(fd); }
  const counts: number[] = [];
  let first: string[] = [];
  const tok = new CsvTokenizer((r) => {
    if (r.n === 0 || counts.length >= 50) return;
    if (counts.length === 0) for (let i = 0; i < r.n; i++) first.push((decodeField(r, i, "utf8-or-latin1", null) ?? "").replace(/\uFEFF/g, "").trim());
    counts.push(r.n);
  }, { delimiter: d === "whitespace" ? "," : d });
  tok.push(buf);
  if (buf.length < 1 << 16) tok.end();
  if (counts.length >= 2 && counts[0] >= 2 && counts.every((c) => c === counts[0])) {
    if (first.length > 12) first = [...first.slice(0, 12), `… ${first.length - 12} more`];
    throw new CustlabError("E_USAGE", `this looks like a table with a header (columns: ${first.map((c) => JSON.stringify(c)).join(", ")}), not one basket per line: give --format long --basket <col>[,<col>…] --item <col> (one item per line), --format basket (one basket per line), or a transaction format (custlab, online-retail, transactions with --map)`, { file });
  }
  return "basket";
}
