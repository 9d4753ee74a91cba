import { parseArgs, numOpt, strOpt, printJSON } from "../args";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, READING_USAGE, readingOptions } from "../reading";

export const usage = `custlab report <transactions> --format <adapter> [--reviews <file>] [--reviews-format <adapter>]
               --out <dir> [--force] [--seed 42] [--horizon 90] [--cutoff <date>] [--k auto|<n>] [--salt <s>] [--explain-all]
               [--engine memory|duckdb|clickhouse://…] [--memory-limit 2GB] [--json]

One shot from raw orders (and reviews) to a report a team can read: data quality →
features → churn model → segments (static and dynamic) → association rules and
recommendations → review sentiment and topics → CLV. Writes <dir>/index.html (offline,
self-contained), customers.csv (pseudonymised ids), rules.csv, topics.json and
summary.json. Customer ids are salted hashes (salt from --salt or CUSTLAB_SALT; never
written out).
The reading options apply to the transactions file (the reviews file gets --encoding);
summary.json carries input: {rows_in, accepted, quarantined, reasons, encoding}.
Churn reasons (SHAP) are computed for the customers the report shows (medium and high
band); --explain-all gives every scored customer reasons in customers.csv.

The folder is built beside <dir> and swapped in whole (a crash leaves the old report
or the new one, never a mix), with custlab-manifest.json listing every file; files of
the previous run that this one does not write are gone. A non-empty folder custlab
did not write is refused unless --force.
--customers <file> (customer_id plus attributes such as gender, age band, segment) adds
fairness checks of the churn model and the action policy by every attribute, with
warnings above stated thresholds; --actions <actions.json> (see custlab actions --help)
adds next-best actions for the at-risk customers (actions.csv). Both make the section
"Retention actions and fairness".
--engine runs the relational stages (loading and validation, quality counts, customer
features and labels at every churn cutoff, RFM, baskets, CLV purchase days) on that
engine; only customer-level tables come back, and the numbers are the memory engine's.
Default: duckdb for Parquet and files ≥ 200 MB, else memory. The memory engine also
scores cell-level quality and matches cancellations; --actions reads the sales lines
(no returns) back from the engine.
summary.json names the engine (engine).
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", reviews: "string", "reviews-format": "string", out: "string", seed: "string", horizon: "string",
    cutoff: "string", k: "string", salt: "string", json: "boolean", "min-auc": "string", force: "boolean", customers: "string", actions: "string", engine: "string", "memory-limit": "string", "explain-all": "boolean", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab report needs a transactions file (see --help)");
  const out = strOpt(options, "out");
  if (!out) throw new CustlabError("E_USAGE", "custlab report needs --out <dir>");
  const k = strOpt(options, "k", "auto")!;
  const { runReport } = require("../../pipeline") as typeof import("../../pipeline");
  const summary = await runReport({
    transactions: file, format: strOpt(options, "format", reading.map ? "transactions" : "custlab")!, reading, reviews: strOpt(options, "reviews"),
    reviewsFormat: strOpt(options, "reviews-format"), out, seed: numOpt(options, "seed", 42), salt: strOpt(options, "salt"),
    horizonDays: numOpt(options, "horizon", 90), cutoff: strOpt(options, "cutoff"), k: k === "auto" ? "auto" : numOpt(options, "k", 4), force: !!options.force,
    minAuc: numOpt(options, "min-auc", 0.65), customers: strOpt(options, "customers"), actions: strOpt(options, "actions"),
    engine: strOpt(options, "engine"), memoryLimit: strOpt(options, "memory-limit"), explainAll: !!options["explain-all"], onProgress: consoleProgress(),
  });
  for (const k of ["input_warning", "reviews_input_warning"]) if ((summary as Record<string, unknown>)[k]) process.stderr.write(`custlab: ${(summary as Record<string, unknown>)[k]}\n`);
  if (options.json) printJSON(summary);
  else process.stdout.write(`report written to ${out}/index.html (${summary.timings.total.toFixed(1)} s)\n`);
  return 0;
}
