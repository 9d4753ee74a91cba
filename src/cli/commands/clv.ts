import * as fs from "fs";
import { parseArgs, printJSON, strOpt, numOpt, checkedNumOpt } from "../args";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { loadTransactions, TRANSACTION_FORMATS, readCLVSummary } from "../../io";
import { cleanTransactions } from "../../clean";
import {
  BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel, GammaGammaModel, CLVSummary, CLVTimeUnit, calibrationAndHoldout, summaryFromTransactions,
  frequencyMonetaryCorrelation, calibrationHoldoutComparison, clvTable, clvFitRecord, TransactionModel,
  clvSummaryFromEngine,
} from "../../clv";
import { isoDay } from "../../util/numeric";
import { openEngineOrders } from "../engine-options";
import { resolveEngineSpec } from "../../engine";

export const usage = `custlab clv <file> --format cdnow|cdnow-summary|online-retail|custlab [--unit week|day|month]
       [--calibration-end <YYYY-MM-DD>] [--observation-end <YYYY-MM-DD>] [--penalizer 0]
       [--model bgnbd|mbgnbd|pareto|both|all] [--horizon 365] [--churn-horizon 90] [--table <file.csv>]
       [--engine memory|duckdb|clickhouse://…] [--memory-limit 2GB] [--json]

Buy-till-you-die customer lifetime value. Builds the per-customer summary
(frequency = repeat purchase days, recency, T, mean repeat spend; purchases on
the same day merged; times in --unit, fractional: days/7 for weeks) from raw
transactions through an adapter, or reads a published summary
(--format cdnow-summary: header ID,frequency,recency,T or ID,x,t_x,T,zbar).
Fits BG/NBD (modified BG/NBD with mbgnbd, Pareto/NBD with pareto; both = BG/NBD +
Pareto/NBD, all = the three; the first fitted drives the CLV) by maximum likelihood
(L-BFGS on log-parameters, 3 starts, standard errors from the Hessian,
optional L2 --penalizer), and Gamma-Gamma on repeat customers when spend is
known (after checking the frequency–monetary correlation).
With --calibration-end the models are fitted on purchases up to that day and
checked on the rest (holdout actual vs predicted purchases).
Exact duplicate lines are dropped first (custlab clean rules).
Prints {customers, repeat_purchases, bgnbd: {r, alpha, a, b, loglik, se, converged, ...},
gammagamma: {p, q, v, ...}, frequency_monetary, holdout, clv}; --table writes the
per-customer value table (historic/predicted CLV, predicted orders, next order, churn probability).
Any other transaction file: --format transactions with --map (e.g. a headerless
CDNOW-like file: --no-header --delimiter whitespace --map customer_id=#2
--map timestamp=#3 --map quantity=#4 --map amount=#5 --date-format %Y%m%d).
--engine duckdb|clickhouse://… merges the purchase lines per customer and day
on that engine (only the per-day values come back) and builds the same summary:
the same fits as the memory engine (default: duckdb for Parquet and files ≥ 200 MB).
--memory-limit sets duckdb's memory_limit (default 2GB).
${READING_USAGE}`;

function fmt(v: number, d = 4): string {
  return Number.isFinite(v) ? v.toFixed(d) : String(v);
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", unit: "string", "calibration-end": "string", "observation-end": "string", penalizer: "string",
    model: "string", horizon: "string", "churn-horizon": "string", table: "string", json: "boolean", ...READING_SPEC,
    engine: "string", "memory-limit": "string",
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab clv needs a file (see --help)");
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", `no such file: ${file}`, { file });
  const format = strOpt(options, "format", reading.map ? "transactions" : "custlab")!;
  const unit = strOpt(options, "unit", "week")! as CLVTimeUnit;
  if (!["day", "week", "month"].includes(unit)) throw new CustlabError("E_USAGE", `option --unit must be day, week or month, got "${unit}"`);
  const penalizer = numOpt(options, "penalizer", 0);
  const which = strOpt(options, "model", "bgnbd")!;
  if (!["bgnbd", "mbgnbd", "pareto", "both", "all"].includes(which)) throw new CustlabError("E_USAGE", `option --model must be bgnbd, mbgnbd, pareto, both or all, got "${which}"`);
  const calEnd = strOpt(options, "calibration-end");
  const obsEnd = strOpt(options, "observation-end");
  const horizon = checkedNumOpt(options, "horizon", 365, { above: 0 });
  const churnH = checkedNumOpt(options, "churn-horizon", 90, { above: 0 });
  checkedNumOpt(options, "penalizer", 0, { min: 0 });
  checkOutputs({ inputs: [file], files: { "--table": strOpt(options, "table") } });
  const progress = options.json ? undefined : consoleProgress();

  let summary: CLVSummary;
  let source: Record<string, unknown>;
  let input: ReturnType<typeof reportInput> | undefined;
  const engineName = format === "cdnow-summary" ? strOpt(options, "engine", "memory")! : resolveEngineSpec(strOpt(options, "engine"), file);
  let engineDesc = "memory";
  if (engineName !== "memory" && format === "cdnow-summary") throw new CustlabError("E_USAGE", "--engine reads transactions; a cdnow-summary file is read as it is (use --engine memory)");
  if (engineName !== "memory" && !(TRANSACTION_FORMATS as readonly string[]).includes(format)) throw new CustlabError("E_USAGE", `option --format: "${format}" is not usable for CLV`);
  // --table is this command's output file, never an engine table.
  const { table: _outTable, ...engineOptions } = options;
  const eo = engineName === "memory" ? null : await openEngineOrders({ ...engineOptions, engine: engineName }, file, { format, read: reading });
  if (eo) {
    try {
      input = reportInput(eo.report!, reading);
      engineDesc = eo.engine.describe();
      summary = await clvSummaryFromEngine(eo.engine, { unit, observationEnd: obsEnd, calibrationEnd: calEnd });
      const q = await eo.engine.quality();
      source = { format, rows_in: eo.report!.rows_in, quarantined: eo.report!.quarantined, duplicates_dropped: q.duplicate_row };
    } finally { await eo.engine.close(); }
  } else if (format === "cdnow-summary") {
    if (calEnd) throw new CustlabError("E_USAGE", "--calibration-end needs raw transactions, not a summary file");
    const read = await readCLVSummary(file, unit, { ...reading });
    summary = read.summary;
    input = reportInput(read.report, reading);
    source = { format, rows: summary.customerId.length };
  } else {
    if (!(TRANSACTION_FORMATS as readonly string[]).includes(format) || format === "groceries") {
      throw new CustlabError("E_USAGE", `option --format: "${format}" is not usable for CLV (choose cdnow-summary, ${TRANSACTION_FORMATS.filter((f) => f !== "generic" && f !== "groceries").join(", ")})`);
    }
    const loaded = await loadTransactions(file, { ...reading, format: format as (typeof TRANSACTION_FORMATS)[number] });
    input = reportInput(loaded.report, reading);
    const cleaned = cleanTransactions(loaded.table).table;
    const dup = cleaned.num("is_duplicate");
    let nDup = 0;
    for (let i = 0; i < dup.length; i++) if (dup[i]) nDup++;
    const tx = cleaned.filter((i) => !dup[i]);
    summary = calEnd
      ? calibrationAndHoldout(tx, { unit, calibrationEnd: calEnd, observationEnd: obsEnd })
      : summaryFromTransactions(tx, { unit, observationEnd: obsEnd });
    source = { format, rows_in: loaded.report.rows_in, quarantined: loaded.report.quarantined, duplicates_dropped: nDup };
  }

  const n = summary.customerId.length;
  let repeat = 0;
  for (let i = 0; i < n; i++) repeat += summary.frequency[i];
  const fitOpts = { penalizer };
  const out: Record<string, unknown> = {
    ...(input ? { input } : {}),
    customers: n, repeat_purchases: repeat, unit, source, engine: engineDesc,
    observation_end: Number.isFinite(summary.observationEnd) ? isoDay(summary.observationEnd) : null,
    penalizer,
  };
  const fitted: TransactionModel[] = [];
  let bg: BetaGeoModel | null = null;
  if (which === "bgnbd" || which === "both" || which === "all") {
    bg = new BetaGeoModel(fitOpts).fit(summary, { onProgress: progress });
    out.bgnbd = clvFitRecord(bg.summary());
    fitted.push(bg);
  }
  if (which === "mbgnbd" || which === "all") {
    const mb = new ModifiedBetaGeoModel(fitOpts).fit(summary, { onProgress: progress });
    out.mbgnbd = clvFitRecord(mb.summary());
    fitted.push(mb);
  }
  if (which === "pareto" || which === "both" || which === "all") {
    const pn = new ParetoNBDModel(fitOpts).fit(summary, { onProgress: progress });
    out.pareto_nbd = clvFitRecord(pn.summary());
    fitted.push(pn);
  }
  const main = fitted[0];

  let gg: GammaGammaModel | undefined;
  let haveSpend = false;
  for (let i = 0; i < n; i++) if (summary.frequency[i] > 0 && summary.monetary[i] > 0) { haveSpend = true; break; }
  if (haveSpend) {
    const chk = frequencyMonetaryCorrelation(summary);
    out.frequency_monetary = { r: chk.r, n: chk.n, ok: chk.ok, warning: chk.warning ?? null };
    if (chk.warning && !options.json) process.stderr.write(`custlab clv: warning: ${chk.warning}\n`);
    gg = new GammaGammaModel(fitOpts).fit(summary, { onProgress: progress });
    out.gammagamma = { ...clvFitRecord(gg.summary()), skipped: gg.skipped_, population_mean_spend: gg.populationMeanSpend() };
  }

  if (summary.frequencyHoldout && summary.durationHoldout !== undefined) {
    const cmp = calibrationHoldoutComparison(main, summary);
    out.holdout = {
      calibration_end: calEnd, duration: summary.durationHoldout, actual: cmp.actualTotal, predicted: cmp.predictedTotal, mae: cmp.mae,
      by_frequency: cmp.table.toJSON().columns,
    };
  }

  const table = clvTable(summary, main, gg, { horizonDays: horizon, churnHorizonDays: churnH });
  const pclv = table.num("predicted_clv"), orders = table.num("predicted_orders"), pa = table.num("p_alive"), churn = table.num("churn_probability");
  const mean = (a: ArrayLike<number>) => { let s = 0, c = 0; for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) { s += a[i]; c++; } return c ? s / c : NaN; };
  out.clv = {
    model: main.modelName, horizon_days: horizon, churn_horizon_days: churnH, spend: gg ? "gamma-gamma" : "observed mean",
    mean_p_alive: mean(pa), expected_orders_total: mean(orders) * n, mean_predicted_clv: mean(pclv), mean_churn_probability: mean(churn),
  };
  const tableFile = strOpt(options, "table");
  if (tableFile) { writeFileAtomic(tableFile, table.toCSV(), "--table"); out.table = tableFile; }

  if (options.json) { printJSON(out); return 0; }
  const lines: string[] = [`${n} customers, ${repeat} repeat purchases (unit: ${unit})`];
  if (bg) {
    const p = bg.params, se = bg.standardErrors_!;
    lines.push(`BG/NBD: r ${fmt(p.r)} (±${fmt(se[0])}), alpha ${fmt(p.alpha)} (±${fmt(se[1])}), a ${fmt(p.a)} (±${fmt(se[2])}), b ${fmt(p.b)} (±${fmt(se[3])}), loglik ${fmt(bg.logLikelihood_, 2)}, ${bg.convergence_!.converged ? "converged" : "NOT converged: " + bg.convergence_!.message}`);
  }
  if (out.mbgnbd) { const q = out.mbgnbd as Record<string, number>; lines.push(`MBG/NBD: r ${fmt(q.r)}, alpha ${fmt(q.alpha)}, a ${fmt(q.a)}, b ${fmt(q.b)}, loglik ${fmt(q.loglik, 2)}`); }
  if (out.pareto_nbd) { const q = out.pareto_nbd as Record<string, number>; lines.push(`Pareto/NBD: r ${fmt(q.r)}, alpha ${fmt(q.alpha)}, s ${fmt(q.s)}, beta ${fmt(q.beta)}, loglik ${fmt(q.loglik, 2)}`); }
  if (gg) { const g = gg.params; lines.push(`Gamma-Gamma: p ${fmt(g.p)}, q ${fmt(g.q)}, v ${fmt(g.v)} on ${gg.nObs_} repeat customers, ${gg.convergence_!.converged ? "converged" : "NOT converged: " + gg.convergence_!.message}`); }
  if (out.holdout) { const h = out.holdout as Record<string, number>; lines.push(`holdout (${fmt(h.duration, 1)} ${unit}s): actual ${h.actual} purchases, predicted ${fmt(h.predicted, 1)}`); }
  const c = out.clv as Record<string, number>;
  lines.push(`next ${horizon} days: ${fmt(c.expected_orders_total, 0)} orders expected, mean predicted CLV ${Number.isFinite(c.mean_predicted_clv) ? fmt(c.mean_predicted_clv, 2) : "n/a (no spend values in the input)"}, mean P(alive) ${fmt(c.mean_p_alive, 3)}`);
  if (tableFile) lines.push(`per-customer table written to ${tableFile}`);
  for (const m of [bg, gg]) for (const w of m?.convergence_?.warnings ?? []) lines.push(`warning (${m === bg ? "BG/NBD" : "Gamma-Gamma"}): ${w}`);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
