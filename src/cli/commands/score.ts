import { parseArgs, printJSON, strOpt, numOpt } from "../args";
import type { ParsedArgs } from "../args";
import { parseDateOption } from "../../io/parse";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { CustlabError } from "../../util/errors";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { consoleProgress } from "../../util/progress";
import { loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { resolveSalt } from "../../privacy";
import { churnTransactions, loadChurnModel, scoreChurnCustomers } from "../../churn";
import type { BandRule } from "../../churn";

export const usage = `custlab score <transactions> --format <adapter> --model <registry>[@<version>|@champion|@latest][:<name>]
       [--name <model name>] [--as-of <YYYY-MM-DD>] --out <alerts.csv> [--pseudonymise [--salt S]]
       [--high 0.6 --medium 0.3 | --capacity N | --cost fp=5,fn=50[,tp=0,tn=0]] [--json]

Scores every eligible customer with a churn model registered by
custlab churn … --registry (default: the champion, else the latest version),
as of the data's end (or --as-of: only rows before that date are read).
Writes one row per customer: the real customer_id (--pseudonymise: salted
ids for sharing; salt from --salt or CUSTLAB_SALT, never written), the
calibrated churn_probability, band, percentile, horizon_days, reason_1..3 in
plain words, predicted_clv_365d, value_at_risk (= probability × predicted
CLV: the expected CLV lost) and predicted_next_order. Bands: by probability
(--high/--medium), by capacity (--capacity N: the top N are high) or by cost
(--cost: high when acting costs less than not acting, for calibrated
probabilities). The JSON states the eligibility rule, the band rule, the
value rule and the model version. Feature columns the model needs but the
data lacks are an error naming them.
${READING_USAGE}`;

function parseDate(s: string, name: string): number {
  return parseDateOption(s, name); // 2011-02-30 is an error, not March 2
}

function bandRule(options: ParsedArgs["options"]): BandRule {
  const chosen = ["capacity", "cost"].filter((k) => options[k] !== undefined);
  if (chosen.length > 1 || (chosen.length && (options.high !== undefined))) throw new CustlabError("E_USAGE", "choose one band rule: --high/--medium, --capacity or --cost");
  if (options.capacity !== undefined) {
    const c = numOpt(options, "capacity", 0);
    if (!Number.isInteger(c) || c < 1) throw new CustlabError("E_USAGE", `option --capacity must be a whole number ≥ 1, got "${options.capacity}"`);
    return { by: "capacity", capacity: c, medium: options.medium !== undefined ? numOpt(options, "medium", 0.3) : undefined };
  }
  if (options.cost !== undefined) {
    const costs: Record<string, number> = {};
    for (const part of String(options.cost).split(",")) {
      const m = /^\s*(fp|fn|tp|tn)\s*=\s*(-?[\d.]+(?:e-?\d+)?)\s*$/.exec(part);
      if (!m) throw new CustlabError("E_USAGE", `option --cost: "${part}" is not fp=…, fn=…, tp=… or tn=… (e.g. --cost fp=5,fn=50)`);
      costs[m[1]] = Number(m[2]);
    }
    if (costs.fp === undefined || costs.fn === undefined) throw new CustlabError("E_USAGE", "option --cost needs at least fp=… and fn=… (cost of a wasted action, cost of a missed churner)");
    return { by: "cost", costs: { fp: costs.fp, fn: costs.fn, tp: costs.tp, tn: costs.tn }, medium: options.medium !== undefined ? numOpt(options, "medium", 0.3) : undefined };
  }
  return { by: "probability", high: numOpt(options, "high", 0.6), medium: numOpt(options, "medium", 0.3) };
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", model: "string", name: "string", "as-of": "string", out: "string", pseudonymise: "boolean", pseudonymize: "boolean", salt: "string",
    high: "string", medium: "string", capacity: "string", cost: "string", json: "boolean", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab score needs a transactions file (see --help)");
  const spec = strOpt(options, "model");
  if (!spec) throw new CustlabError("E_USAGE", "custlab score needs --model <registry>[@<version>|@champion]");
  const out = strOpt(options, "out");
  if (!out) throw new CustlabError("E_USAGE", "custlab score needs --out <alerts.csv>");
  checkOutputs({ inputs: [file], files: { "--out": out } });
  const rule = bandRule(options);
  const asOf = options["as-of"] !== undefined ? parseDate(String(options["as-of"]), "as-of") : undefined;
  const pseudo = Boolean(options.pseudonymise || options.pseudonymize);
  const salt = pseudo ? resolveSalt({ salt: strOpt(options, "salt") }).salt : undefined;
  const lm = loadChurnModel(spec, strOpt(options, "name")); // a missing or foreign model fails before the data is read
  const progress = options.json ? undefined : consoleProgress();
  const t0 = Date.now();
  const loaded = await loadTransactions(file, { ...reading, format: (strOpt(options, "format", reading.map ? "transactions" : "custlab") as any) });
  const input = reportInput(loaded.report, reading);
  const tx = churnTransactions(cleanTransactions(loaded.table).table);
  const r = scoreChurnCustomers(tx, lm, { asOf, bands: rule, pseudonymiseSalt: salt, onProgress: progress });
  writeFileAtomic(out, r.table.toCSV(), "--out");
  const p = r.table.num("churn_probability"), band = r.table.str("band");
  let lo = Infinity, hi = -Infinity;
  const counts: Record<string, number> = { high: 0, medium: 0, low: 0 };
  for (let i = 0; i < p.length; i++) { lo = Math.min(lo, p[i]); hi = Math.max(hi, p[i]); counts[band[i]]++; }
  let varTotal = 0;
  for (const v of r.table.num("value_at_risk")) if (Number.isFinite(v)) varTotal += v;
  const summary = {
    out, rows: r.table.numRows, columns: r.table.columnNames(), as_of: r.asOf, horizon_days: r.horizonDays,
    ids: pseudo ? "salted pseudonyms (salt not written)" : "raw customer ids",
    eligibility: r.eligibility, band_rule: r.bandRule, thresholds: r.thresholds, bands: counts, value_rule: r.valueRule,
    probability_range: [lo, hi], value_at_risk_total: varTotal,
    model: { registry: spec, ...r.model },
    input,
    seconds: (Date.now() - t0) / 1000,
  };
  if (options.json) printJSON(summary);
  else process.stdout.write(`scored ${summary.rows} customers as of ${r.asOf} with ${r.model.name} v${r.model.version} (${r.model.type}; calibration ${r.model.calibration})\n  bands: ${counts.high} high, ${counts.medium} medium, ${counts.low} low (${r.bandRule})\n  value at risk ${varTotal.toFixed(0)}; written to ${out}\n`);
  return 0;
}
