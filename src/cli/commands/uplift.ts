import * as fs from "fs";
import { parseArgs, printJSON, strOpt, checkedNumOpt } from "../args";
import { parseDateOption } from "../../io/parse";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { CustlabError } from "../../util/errors";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { consoleProgress } from "../../util/progress";
import { loadTable, loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { churnTransactions } from "../../churn";
import { upliftFromCampaignAsync, UPLIFT_METHODS } from "../../uplift";

export const usage = `custlab uplift <transactions> --format <adapter> --campaign <outcomes.csv> --cutoff <YYYY-MM-DD>
        [--method t-learner|x-learner|class-transformation] [--base logreg|tree|forest|gbdt|mlp|ensemble|stacking]
        [--arm arm] [--outcome converted] [--control control] [--treated <arm>] [--segment <col>]
        [--folds 5] [--boot 500] [--seed 42] [--out uplift.csv] [--json]

Whom does the offer change? Customer features at --cutoff (the campaign's send
date; rows before it only) joined to a campaign file (one row per customer:
customer_id, arm, 0/1 outcome), an uplift model fitted with cross-fitting
(--folds) and evaluated out of fold: Qini coefficient and normalised AUUC with
bootstrap intervals, observed uplift by decile of predicted uplift, and (with
--segment) mean predicted and observed uplift per segment. --out writes
customer_id, arm, outcome, uplift_oof (cross-fitted) and uplift (final model).
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", campaign: "string", cutoff: "string", method: "string", base: "string", arm: "string", outcome: "string", control: "string",
    treated: "string", segment: "string", folds: "string", boot: "string", seed: "string", out: "string", json: "boolean", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab uplift needs a transactions file (see --help)");
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "file not found", { file });
  const campaignFile = strOpt(options, "campaign");
  if (!campaignFile) throw new CustlabError("E_USAGE", "custlab uplift needs --campaign <outcomes.csv>");
  if (!fs.existsSync(campaignFile)) throw new CustlabError("E_FILE", "file not found", { file: campaignFile });
  if (options.cutoff === undefined) throw new CustlabError("E_USAGE", "custlab uplift needs --cutoff <YYYY-MM-DD> (the campaign's send date)");
  const cutoff = parseDateOption(String(options.cutoff), "cutoff");
  const method = strOpt(options, "method", "t-learner")!;
  if (!(UPLIFT_METHODS as readonly string[]).includes(method)) throw new CustlabError("E_USAGE", `option --method must be one of ${UPLIFT_METHODS.join(", ")}, got "${method}"`);
  const out = strOpt(options, "out");
  checkOutputs({ inputs: [file, campaignFile], files: { "--out": out } });
  const progress = options.json ? undefined : consoleProgress();
  const t0 = Date.now();
  const campaign = (await loadTable(campaignFile, { types: { customer_id: "text" } })).table;
  const loaded = await loadTransactions(file, { ...reading, format: (strOpt(options, "format", reading.map ? "transactions" : "custlab") as any) });
  const tx = churnTransactions(cleanTransactions(loaded.table).table);
  let r;
  try {
    r = await upliftFromCampaignAsync(tx, campaign, {
      cutoff, method, base: strOpt(options, "base"), armColumn: strOpt(options, "arm"), outcomeColumn: strOpt(options, "outcome"),
      control: strOpt(options, "control"), treated: strOpt(options, "treated"), segmentColumn: strOpt(options, "segment"),
      folds: checkedNumOpt(options, "folds", 5, { min: 2, integer: true }), nBoot: checkedNumOpt(options, "boot", 500, { min: 0, integer: true }),
      seed: checkedNumOpt(options, "seed", 42, { integer: true }), onProgress: progress,
    });
  } catch (e) {
    if (e instanceof CustlabError && !e.file && (e.column !== undefined || e.line !== undefined)) throw new CustlabError(e.code, e.message.replace(/^(line \d+, )?(column [^:]*: )?/, ""), { file: campaignFile, line: e.line, column: e.column });
    throw e;
  }
  if (out) writeFileAtomic(out, r.scores.toCSV(), "--out");
  const e = r.evaluation;
  const summary = {
    method, base: r.model.options.base, customers: r.scores.numRows, cutoff: String(options.cutoff),
    qini_coefficient: e.qiniCoefficient, auuc: e.auuc,
    deciles: e.deciles.map((d) => ({ decile: d.decile, n: d.n, n_treated: d.nTreated, n_control: d.nControl, rate_treated: d.rateTreated, rate_control: d.rateControl, uplift: d.uplift, ci: d.ci, predicted: d.predicted })),
    by_segment: r.bySegment.map((s) => ({ segment: s.segment, n: s.n, predicted: s.predicted, observed: s.observed, top_decile_share: s.topDecileShare })),
    warnings: r.warnings, out: out ?? null, input: reportInput(loaded.report, reading), seconds: (Date.now() - t0) / 1000,
  };
  if (options.json) printJSON(summary);
  else {
    process.stdout.write(`${method} (${r.model.options.base}) on ${r.scores.numRows} customers: Qini coefficient ${e.qiniCoefficient.estimate.toFixed(4)} [${e.qiniCoefficient.ci.map((v) => v.toFixed(4)).join(", ")}], AUUC ${e.auuc.estimate.toFixed(4)}\n`);
    for (const d of e.deciles) process.stdout.write(`  decile ${d.decile}: observed uplift ${(100 * d.uplift).toFixed(1)} pts [${(100 * d.ci[0]).toFixed(1)}, ${(100 * d.ci[1]).toFixed(1)}], predicted ${(100 * d.predicted).toFixed(1)}\n`);
    for (const w of r.warnings) process.stderr.write(`custlab uplift: warning: ${w}\n`);
  }
  return 0;
}
