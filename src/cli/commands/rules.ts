import * as fs from "fs";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { parseArgs, printJSON, numOpt, strOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { Baskets, loadBasketFile, basketsFromTransactions, numBaskets } from "../../rules/baskets";
import { frequentItemsets, numItemsets } from "../../rules/itemsets";
import { RuleMode, RuleMetric, RULE_METRICS, generateRules, numRules, sortRules, ruleRecord, rulesToCSV, rulesTable } from "../../rules/rules";

export const usage = `custlab rules <file> [--format basket|<adapter>] --min-support <s> --min-confidence <c>
                    [--min-len <n>] [--max-len <n>] [--mode arules|mlxtend] [--min-lift <x>]
                    [--by order|customer-day] [--prune] [--sort <metric>] [--top <n>] [--out rules.csv] [--json]

Mine association rules. --format basket (default for .csv files without a header
of canonical columns) reads one basket per line, items comma-separated (the arules
Groceries layout); any transaction adapter (online-retail, custlab, groceries,
cdnow) loads transactions and groups them into baskets per order (--by order,
default) or per customer and day (--by customer-day); returns and cancellations
are dropped.

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
  --json            print {transactions, items, itemsets, rules, top, seconds}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", "min-support": "string", "min-confidence": "string", "min-len": "string", "max-len": "string",
    mode: "string", "min-lift": "string", by: "string", prune: "boolean", sort: "string", top: "string", out: "string", json: "boolean",
    quiet: "boolean",
  });
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab rules: missing <file>\n" + usage);
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "file not found", { file });
  checkOutputs({ inputs: [file], files: { "--out": strOpt(options, "out") } });
  const format = strOpt(options, "format", "basket")!;
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
  if (format === "basket") baskets = loadBasketFile(file);
  else {
    // transaction adapters live in src/io; loaded lazily so `custlab rules` on basket files never reads them
    const io = require("../../io") as { loadTransactions: (f: string, o: { format?: string }) => Promise<{ table: import("../../table").Table }> };
    const { table } = await io.loadTransactions(file, { format });
    const by = strOpt(options, "by", "order") as "order" | "customer-day";
    baskets = basketsFromTransactions(table, { by });
  }
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
      file, format, mode, min_support: minSupport, min_confidence: minConfidence, min_len: minLen, max_len: maxLen,
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
