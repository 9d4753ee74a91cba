import * as fs from "fs";
import * as path from "path";
import { parseArgs, printJSON, strOpt, numOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { consoleProgress } from "../../util/progress";
import { parseDateOption } from "../../io/parse";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { Table } from "../../table";
import { renderPage, figureToHTML } from "../../plot";
import { churnTransactions, loadChurnModel, monitorChurnModel, monitorFigures, retrainChurnIfNeeded, parseModelSpec } from "../../churn";
import type { MonitorResult } from "../../churn";

export const usage = `custlab monitor <transactions> --format <adapter> --model <registry>[@<version>|@champion][:<name>]
       [--as-of <YYYY-MM-DD> | --dates <date,date,...> | --monthly <YYYY-MM>..<YYYY-MM>] --out <dir>
       [--retrain [--force]] [--high 0.6] [--json]

Monitors a churn model registered by custlab churn … --registry against the
training reference stored with it. At each date (default: the day after the
data's last row; --dates several; --monthly the 1st of each month in the
range) only the rows before that date are read, and it reports:
  - feature drift: PSI, KS and Wasserstein distance of every numeric input;
  - score drift: the same for the churn probability;
  - realised quality, once outcomes have arrived: AUC, ECE and the high-band
    false-alarm rate of the scores made one horizon before the date;
  - the verdict ok / warn / retrain, by the rule printed in the JSON (realised
    AUC more than 0.05 below the registered AUC, realised ECE > 0.1 or score
    PSI > 0.25 → retrain; AUC drop > 0.02, score PSI > 0.1 or a feature PSI >
    0.25 → warn).
--out gets monitor.json, monitor.csv (one row per date) and monitor.html (an
offline page with the drift, realised-quality, feature-PSI and reliability
figures). --retrain: when the last date says retrain (or --force), a
challenger is trained with the champion's specification on the newest
cutoffs known by that date, registered, and promoted only if it beats the
champion on the same out-of-time folds; every decision goes to the registry's
decisions.jsonl.
${READING_USAGE}`;

function monthly(spec: string): number[] {
  const m = /^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$/.exec(spec);
  if (!m) throw new CustlabError("E_USAGE", `option --monthly: expected YYYY-MM..YYYY-MM, got "${spec}"`);
  const from = Date.UTC(+m[1], +m[2] - 1, 1), to = Date.UTC(+m[3], +m[4] - 1, 1);
  if (!(to >= from) || +m[2] < 1 || +m[2] > 12 || +m[4] < 1 || +m[4] > 12) throw new CustlabError("E_USAGE", `option --monthly: "${spec}" is not a range of months`);
  const out: number[] = [];
  for (let y = +m[1], mo = +m[2] - 1; Date.UTC(y, mo, 1) <= to; mo++) { if (mo === 12) { mo = 0; y++; } out.push(Date.UTC(y, mo, 1)); }
  return out;
}

/** One row per monitoring date (the table in the JSON, CSV and page). */
function stepsTable(r: MonitorResult): Table {
  const s = r.steps;
  return new Table({
    date: s.map((x) => x.date), customers: Float64Array.from(s, (x) => x.customers),
    score_psi: Float64Array.from(s, (x) => x.score.psi), score_ks: Float64Array.from(s, (x) => x.score.ks), mean_score: Float64Array.from(s, (x) => x.score.mean_current),
    max_feature_psi: Float64Array.from(s, (x) => x.max_feature_psi), max_psi_feature: s.map((x) => x.max_psi_feature),
    realised_scored_at: s.map((x) => x.realised?.scored_at ?? ""), realised_auc: Float64Array.from(s, (x) => x.realised?.auc ?? NaN),
    realised_ece: Float64Array.from(s, (x) => x.realised?.ece ?? NaN), false_alarm_rate: Float64Array.from(s, (x) => x.realised?.false_alarm_rate ?? NaN),
    verdict: s.map((x) => x.verdict), reasons: s.map((x) => x.reasons.join("; ")),
  });
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", model: "string", name: "string", "as-of": "string", dates: "string", monthly: "string", out: "string",
    retrain: "boolean", force: "boolean", high: "string", json: "boolean", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab monitor needs a transactions file (see --help)");
  const spec = strOpt(options, "model");
  if (!spec) throw new CustlabError("E_USAGE", "custlab monitor needs --model <registry>[@<version>|@champion]");
  const out = strOpt(options, "out");
  if (!out) throw new CustlabError("E_USAGE", "custlab monitor needs --out <dir>");
  const chosen = ["as-of", "dates", "monthly"].filter((k) => options[k] !== undefined);
  if (chosen.length > 1) throw new CustlabError("E_USAGE", `choose one of --as-of, --dates and --monthly (got ${chosen.map((c) => "--" + c).join(", ")})`);
  let dates: number[] | undefined;
  if (options["as-of"] !== undefined) dates = [parseDateOption(String(options["as-of"]), "as-of")];
  if (options.dates !== undefined) dates = String(options.dates).split(",").map((d) => parseDateOption(d.trim(), "dates"));
  if (options.monthly !== undefined) dates = monthly(String(options.monthly));
  const high = numOpt(options, "high", 0.6);
  if (!(high > 0 && high <= 1)) throw new CustlabError("E_USAGE", `option --high must be in (0, 1], got ${high}`);
  checkOutputs({ inputs: [file], dirs: { "--out": out } });
  const lm = loadChurnModel(spec, strOpt(options, "name"));
  const progress = options.json ? undefined : consoleProgress();
  const t0 = Date.now();
  const loaded = await loadTransactions(file, { ...reading, format: (strOpt(options, "format", reading.map ? "transactions" : "custlab") as any) });
  const input = reportInput(loaded.report, reading);
  const tx = churnTransactions(cleanTransactions(loaded.table).table);
  const r = monitorChurnModel(tx, lm, { dates, high, onProgress: progress });
  let retrain: Awaited<ReturnType<typeof retrainChurnIfNeeded>> | undefined;
  if (options.retrain) retrain = await retrainChurnIfNeeded(parseModelSpec(spec).root, tx, r, { name: lm.artifact.name, force: Boolean(options.force), onProgress: progress });
  const table = stepsTable(r);
  fs.mkdirSync(out, { recursive: true });
  const summary = {
    input, model: { registry: spec, ...r.model }, rule: r.rule, table: table.toRows(),
    steps: r.steps,
    ...(retrain ? { retrain: { retrained: retrain.retrained, reason: retrain.reason, version: retrain.version, promoted: retrain.decision?.promoted, decision: retrain.decision ? { reason: retrain.decision.reason, champion: retrain.decision.champion, challenger: retrain.decision.challenger } : undefined } } : {}),
    files: ["monitor.json", "monitor.csv", "monitor.html"].map((f) => path.join(out, f)),
    seconds: (Date.now() - t0) / 1000,
  };
  const page = renderPage({
    title: `Churn model monitoring: ${r.model.name} v${r.model.version}`,
    subtitle: `${r.model.type}, horizon ${r.model.horizon_days} days, reference ${r.model.reference_cutoff}${r.model.reference_auc !== null ? `, registered AUC ${r.model.reference_auc.toFixed(3)}` : ""}`,
    sections: [
      { title: "Verdicts", html: `<p>${r.rule}</p>` + table.toHTML() + (retrain ? `<p>Retrain: ${retrain.reason}${retrain.decision ? ` — ${retrain.decision.reason}` : ""}</p>` : "") },
      ...monitorFigures(r).map((f) => ({ title: f.title, html: figureToHTML(f.figure) })),
    ],
  });
  writeFileAtomic(path.join(out, "monitor.json"), JSON.stringify(summary, null, 2) + "\n", "--out");
  writeFileAtomic(path.join(out, "monitor.csv"), table.toCSV(), "--out");
  writeFileAtomic(path.join(out, "monitor.html"), page, "--out");
  if (options.json) printJSON({ ...summary, steps: undefined });
  else {
    process.stdout.write(`monitor ${r.model.name} v${r.model.version} (${r.model.type}) against the reference of ${r.model.reference_cutoff}\n` + table.toMarkdown() + "\n" +
      (retrain ? `retrain: ${retrain.reason}${retrain.decision ? ` — ${retrain.decision.reason}` : ""}\n` : "") + `written to ${out}\n`);
  }
  return 0;
}
