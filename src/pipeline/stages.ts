import { CustlabError } from "../util/errors";
import { Table } from "../table";
import { escapeHTML, formatNumber } from "../table/format-html";
import { loadTransactions, loadReviews } from "../io";
import { checkInput } from "../io/reading";
import type { TransactionFormat, ReviewFormat } from "../io";
import { cleanTransactions, purchases } from "../clean";
import { qualityReport, qualityFigures } from "../quality";
import { rocFigure, liftFigure, calibrationFigure } from "../eval";
import { churnAtCutoff, churnTablesFromEngine } from "../churn";
import type { ChurnWorkflowOptions, ChurnRun } from "../churn";
import { takeRows, type Matrix } from "../util/matrix";
import { explainModel, reasonCodes, shapBarFigure } from "../explain";
import { buildAlerts, DEFAULT_BANDS } from "../alerts";
import { rfmScores, rfmSegmentSummary, segmentCustomers, kSelectionFigure, trackSegments, segmentSankeyFigure, driftFigure, topMigrations, migrationTable, PSI_DRIFT_THRESHOLD } from "../segment";
import { labelBasketItems, mineRules, numRules, type MineRulesOptions, rulesScatterFigure, sortRules, takeRules, rulesTable, rulesToCSV } from "../rules";
import { clvSummaryFromEngine, BetaGeoModel, GammaGammaModel, clvFitRecord, clvTable, frequencyMonetaryCorrelation, clvBySegmentFigure } from "../clv";
import type { Figure } from "../plot/figure";
import { maskPII } from "../privacy";
import type { PipelineContext, StageOutput } from "./context";
import { setCustomer } from "./context";
import { isoDay, DAY_MS } from "../util/numeric";
import { openEngine, resolveEngineSpec, MemoryEngine } from "../engine";
import { prefetchLaterStages, trackedPeriodEnds } from "./prefetch";
import { startClassesFit } from "./classes-stage";
import { rulesOffThread } from "./offload";

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
const money = (x: number) => (Math.abs(x) >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : Math.abs(x) >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

/**
 * 1. Load, quarantine, clean, measure data quality — on the report's engine
 * (`options.engine`), which every later stage's relational work then runs on.
 */
export async function stageQuality(ctx: PipelineContext): Promise<StageOutput> {
  const spec = resolveEngineSpec(ctx.options.engine, ctx.options.transactions);
  if (spec !== "memory") return stageQualityOnEngine(ctx, spec);
  const reading = ctx.options.reading ?? {};
  const { table, report: load } = await loadTransactions(ctx.options.transactions, { ...reading, format: ctx.options.format as TransactionFormat });
  const checked = checkInput(load, { allowQuarantine: reading.allowQuarantine });
  ctx.summary.input = checked.input;
  if (checked.warning) ctx.summary.input_warning = checked.warning;
  const { table: cleaned, report: clean } = cleanTransactions(table);
  const q = qualityReport(cleaned, { load, clean });
  ctx.engine = MemoryEngine.fromCleaned(table, cleaned, clean);
  ctx.summary.engine = ctx.engine.describe();
  ctx.transactions = cleaned;
  ctx.purchases = purchases(cleaned);
  const ts = ctx.purchases.num("timestamp");
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < ts.length; i++) { if (ts[i] < lo) lo = ts[i]; if (ts[i] > hi) hi = ts[i]; }
  if (!ts.length) throw new CustlabError("E_EMPTY", `no purchase lines to report on (${load.rows_in} rows in, ${load.accepted} accepted, ${load.quarantined} quarantined; need customer id, positive quantity and price)`, { file: ctx.options.transactions });
  ctx.dataStart = lo;
  ctx.dataEnd = hi;
  for (const id of cleaned.str("customer_id")) if (id) ctx.rawIds.add(id);
  const flags = clean.flags;
  ctx.summary.data = {
    rows_in: load.rows_in, accepted: load.accepted, quarantined: load.quarantined, reasons: load.reasons,
    customers: clean.customers, orders: clean.orders, cancellations: flags.cancellation.count,
    duplicates: flags.duplicate_row.count, missing_customer_rows: flags.missing_customer_id.count,
    window: { start: isoDay(lo), end: isoDay(hi) }, quality: q.table,
  };
  const findings = [
    { text: `${load.rows_in.toLocaleString("en-US")} rows read: ${load.accepted.toLocaleString("en-US")} accepted, ${load.quarantined.toLocaleString("en-US")} quarantined (${pct(load.quarantined / Math.max(1, load.rows_in), 2)}) with a reason each — nothing dropped silently.`, level: (load.quarantined / Math.max(1, load.rows_in) > 0.01 ? "warn" : "good") as "warn" | "good" },
    { text: `${clean.customers.toLocaleString("en-US")} customers and ${clean.orders.toLocaleString("en-US")} orders from ${isoDay(lo)} to ${isoDay(hi)}.` },
    { text: `${flags.cancellation.count.toLocaleString("en-US")} cancellation/return lines (${(clean.cancellations.matched_exact + clean.cancellations.matched_partial).toLocaleString("en-US")} matched to the purchase they reverse); ${flags.duplicate_row.count.toLocaleString("en-US")} exact duplicates; ${flags.missing_customer_id.count.toLocaleString("en-US")} lines without a customer id (kept for baskets, left out of customer models).` },
    { text: `Completeness ${pct(q.table.completeness)}, validity ${pct(q.table.validity)}, consistency ${pct(q.table.consistency)}.` },
  ];
  ctx.rfm = await ctx.engine.rfm();
  return { title: "Data quality", findings, figures: qualityFigures(q), metrics: ctx.summary.data as Record<string, unknown> };
}

/**
 * The quality stage on a SQL engine (duckdb, clickhouse): the file is loaded and
 * validated there (the same quarantine reasons), the counts are aggregated there,
 * and only the counts and the customer RFM table come back.
 */
async function stageQualityOnEngine(ctx: PipelineContext, spec: string): Promise<StageOutput> {
  const reading = ctx.options.reading ?? {};
  const engine = await openEngine(spec, { file: ctx.options.transactions, memoryLimit: ctx.options.memoryLimit });
  ctx.engine = engine; // closed by the pipeline
  ctx.summary.engine = engine.describe();
  const format = ctx.options.format as TransactionFormat;
  const load = await engine.loadFile(ctx.options.transactions, { format, read: reading });
  const checked = checkInput(load, { allowQuarantine: reading.allowQuarantine });
  ctx.summary.input = checked.input;
  if (checked.warning) ctx.summary.input_warning = checked.warning;
  const q = await engine.quality();
  const rfm = ctx.rfm = await engine.rfm();
  const first = rfm.num("first_ts"), last = rfm.num("last_ts");
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < first.length; i++) { if (first[i] < lo) lo = first[i]; if (last[i] > hi) hi = last[i]; }
  if (!rfm.numRows) throw new CustlabError("E_EMPTY", `no purchase lines to report on (${load.rows_in} rows in, ${load.accepted} accepted, ${load.quarantined} quarantined; need customer id, positive quantity and price)`, { file: ctx.options.transactions });
  ctx.dataStart = lo;
  ctx.dataEnd = hi;
  for (const id of rfm.str("customer_id")) ctx.rawIds.add(id);
  ctx.summary.data = {
    rows_in: load.rows_in, accepted: load.accepted, quarantined: load.quarantined, reasons: load.reasons,
    customers: q.customers, orders: q.orders, cancellations: q.cancellation,
    duplicates: q.duplicate_row, missing_customer_rows: q.missing_customer_id,
    window: { start: isoDay(lo), end: isoDay(hi) },
  };
  const findings = [
    { text: `${load.rows_in.toLocaleString("en-US")} rows read on the ${engine.describe()} engine: ${load.accepted.toLocaleString("en-US")} accepted, ${load.quarantined.toLocaleString("en-US")} quarantined (${pct(load.quarantined / Math.max(1, load.rows_in), 2)}) with a reason each — nothing dropped silently.`, level: (load.quarantined / Math.max(1, load.rows_in) > 0.01 ? "warn" : "good") as "warn" | "good" },
    { text: `${q.customers.toLocaleString("en-US")} customers and ${q.orders.toLocaleString("en-US")} orders from ${isoDay(lo)} to ${isoDay(hi)}.` },
    { text: `${q.cancellation.toLocaleString("en-US")} cancellation/return lines; ${q.duplicate_row.toLocaleString("en-US")} exact duplicates; ${q.missing_customer_id.toLocaleString("en-US")} lines without a customer id (kept for baskets, left out of customer models).` },
    { text: `Cell-level completeness, validity and consistency scores and the matching of cancellations to the purchases they reverse are computed by the memory engine (--engine memory); the counts above are the same on every engine.` },
  ];
  return { title: "Data quality", findings, metrics: ctx.summary.data as Record<string, unknown> };
}

/** 2–3. Customer features at a cutoff, an out-of-time churn model, reasons and the alert list (the churn workflow of `src/churn`, as `custlab churn --model gbdt --active-days 365`). */
export async function stageChurn(ctx: PipelineContext): Promise<StageOutput> {
  const tx = new Table({}); // the workflow reads the engine's customer tables, not order rows
  const H = ctx.options.horizonDays;
  const end = ctx.dataEnd!;
  const evalCutoff = ctx.options.cutoff ? Date.parse(ctx.options.cutoff) : Math.floor((end - H * DAY_MS) / DAY_MS) * DAY_MS + DAY_MS;
  const scoreCutoff = Math.floor(end / DAY_MS) * DAY_MS + DAY_MS;
  const activeDays = 365;
  const eligibility = `customers with at least one order in the ${activeDays} days before the cutoff`;
  const wf: ChurnWorkflowOptions = { model: "gbdt", horizonDays: H, activeDays, seed: ctx.options.seed };
  const horizonText = `P(no order in the next ${H} days)`;
  let run: ChurnRun;
  try {
    // Features and labels at every cutoff (evaluation, scoring and their training cutoffs) on the report's engine.
    wf.tables = ctx.churnTables = await churnTablesFromEngine(ctx.engine!, [evalCutoff, scoreCutoff], wf);
    // The later sections' relational work queues behind these tables and runs while the models are fitted.
    if (ctx.prefetcher) await prefetchLaterStages(ctx.prefetcher, ctx.dataStart!, ctx.dataEnd!, (await ctx.engine!.quality()).date_max);
    // The classes section's model fit and the rules section's mining run on worker threads beside this stage's fits.
    startClassesFit(ctx);
    startRulesMining(ctx);
    run = await churnAtCutoff(tx, evalCutoff, wf);
  } catch (e) {
    if (e instanceof CustlabError) return { title: "Churn early warning", findings: [], withheld: `No churn model: ${e.message}. Eligibility: ${eligibility}.` };
    throw e;
  }
  if (run.churnModel.trainRows < 200 || !run.metrics || run.metrics.customers < 200) {
    return { title: "Churn early warning", findings: [], withheld: `Too few eligible customers to train and evaluate a churn model (${run.churnModel.trainRows} training examples, ${run.metrics?.customers ?? 0} at the evaluation cutoff; at least 200 each needed). Eligibility: ${eligibility}.` };
  }
  // Out-of-time evaluation: trained on cutoffs whose labels end by evalCutoff, evaluated at evalCutoff.
  const { auc, pr_auc: prAuc, top_decile_lift: lift, churn_rate: churnRate } = run.metrics;
  const yEval = run.yTrue!, pEval = run.scores.proba;
  ctx.churnEval = { customers: run.scores.customers, y: yEval, p: pEval };
  const trainCuts = run.churnModel.trainCutoffs.map(isoDay);
  const metrics = { horizon_days: H, train_cutoffs: trainCuts, train_cutoff: trainCuts[trainCuts.length - 1], eval_cutoff: isoDay(evalCutoff), score_date: isoDay(scoreCutoff), eligibility, customers_eval: run.metrics.customers, churn_rate: churnRate, auc, pr_auc: prAuc, top_decile_lift: lift, model: "gbdt", min_auc: ctx.options.minAuc };
  ctx.summary.churn = metrics;
  const evalFigs: Figure[] = [rocFigure([{ name: "gbdt", yTrue: yEval, score: pEval }], `ROC — out of time (trained ${trainCuts[0]}…${trainCuts[trainCuts.length - 1]}, scored ${isoDay(evalCutoff)})`), liftFigure([{ name: "gbdt", yTrue: yEval, score: pEval }], "gain"), calibrationFigure([{ name: "gbdt", yTrue: yEval, score: pEval }])];
  if (!(auc >= ctx.options.minAuc)) {
    ctx.summary.churn = { ...metrics, withheld: true };
    return { title: "Churn early warning", findings: [{ text: `Out-of-time AUC ${auc.toFixed(3)} is below the stated minimum ${ctx.options.minAuc}: churn scores are not shown because they would be noise.`, level: "warn" }], figures: evalFigs.slice(0, 1), withheld: `Churn model withheld: evaluation failed the stated minimum (AUC ≥ ${ctx.options.minAuc}).`, metrics };
  }
  // Score today: the same workflow at the data's end trains on the latest cutoffs whose outcomes are known.
  const now = await churnAtCutoff(tx, scoreCutoff, wf);
  const fNow = now.scores.features, pNow = now.scores.proba;
  const XNow = now.scores.input as Matrix;
  // Reasons for the customers the report shows (medium and high band: the act-on list, actions.csv),
  // or for everyone with the explainAll option; typical values are medians over all scored customers.
  const shown = ctx.options.explainAll ? undefined : Int32Array.from(pNow.keys()).filter((i) => pNow[i] >= DEFAULT_BANDS.medium);
  const ex = explainModel(now.churnModel.model, shown ? takeRows(XNow, shown) : XNow);
  const rc = reasonCodes(ex, { raw: fNow, rows: shown, topK: 3 });
  const alerts = buildAlerts({ customers: now.scores.customers, proba: pNow, features: fNow, reasons: rc }, { horizonDays: H });
  const aIds = alerts.str("customer_id"), aP = alerts.num("churn_probability"), aBand = alerts.str("band"), aReason = alerts.str("top_reasons"), aVar = alerts.num("value_at_risk");
  let high = 0, valueAtRisk = 0;
  for (let i = 0; i < alerts.numRows; i++) {
    setCustomer(ctx, aIds[i], { churn_probability: Number(aP[i].toFixed(4)), churn_band: aBand[i], churn_reasons: aReason[i], churn_horizon_days: H });
    if (aBand[i] === "high") high++;
    valueAtRisk += aVar[i];
  }
  ctx.summary.churn = { ...metrics, scored_customers: alerts.numRows, score_train_cutoffs: now.churnModel.trainCutoffs.map(isoDay), high_band: high, value_at_risk: valueAtRisk };
  (ctx as PipelineContext & { alerts?: Table }).alerts = alerts;
  const findings = [
    { text: `Out-of-time check: a model trained on ${run.churnModel.trainRows.toLocaleString("en-US")} examples from cutoffs ${trainCuts[0]} to ${trainCuts[trainCuts.length - 1]} and scored on ${isoDay(evalCutoff)} reached ROC-AUC ${auc.toFixed(3)} (PR-AUC ${prAuc.toFixed(3)}; the top 10% it flags churn ${lift.toFixed(2)}× as often as average). Minimum to be shown: ${ctx.options.minAuc}.`, level: "good" as const },
    { text: `Scores are ${horizonText}, as of ${isoDay(scoreCutoff)}, for ${alerts.numRows.toLocaleString("en-US")} ${eligibility}. Bands: high ≥ 0.6, medium ≥ 0.3.` },
    { text: `${high.toLocaleString("en-US")} customers are in the high band; expected spend at risk ≈ ${money(valueAtRisk)} (trailing-12-month spend × probability).` },
  ];
  const bar = shapBarFigure(ex);
  if (shown) bar.layout = { ...bar.layout, title: { text: `Mean |SHAP| (${ex.space}) over the ${shown.length.toLocaleString("en-US")} customers in the medium and high bands` } };
  return { title: "Churn early warning", findings, figures: ex.values.rows ? [...evalFigs, bar] : evalFigs, metrics };
}

/** 4. Segments now (k-means on RFM + order value, personas) and how customers moved between them (quarterly tracking, PSI drift). */
export async function stageSegments(ctx: PipelineContext): Promise<StageOutput> {
  const eng = ctx.engine!;
  const tx = new Table({}); // RFM and persona revenue come from the engine
  const seed = ctx.options.seed;
  const totals = await eng.purchaseTotals();
  const personaTx = new Table({ customer_id: totals.str("customer_id"), country: totals.str("country"), category: totals.str("category"), quantity: new Float64Array(totals.numRows).fill(1), unit_price: totals.num("revenue") });
  const seg = segmentCustomers(tx, { k: ctx.options.k ?? "auto", kMin: 3, kMax: 7, nInit: 4, seed, rfm: ctx.rfm, personas: { transactions: personaTx } });
  const ids = seg.features.customers.str("customer_id");
  const scored = rfmScores(seg.features.customers);
  const rfmSeg = scored.str("rfm_segment"), code = scored.str("rfm_code");
  for (let i = 0; i < ids.length; i++) setCustomer(ctx, ids[i], { segment: seg.personas[seg.labels[i]].name, rfm_segment: rfmSeg[i], rfm_code: code[i] });
  const figures: Figure[] = [];
  if (seg.selection) figures.push(kSelectionFigure(seg.selection));
  const findings: StageOutput["findings"] = [
    { text: `${seg.k} segments from k-means on log-scaled recency, frequency, spend and order value (k chosen among 3–7; silhouette ${seg.silhouette.toFixed(3)}).` },
  ];
  const top = [...seg.personas].sort((a, b) => b.revenue_share - a.revenue_share)[0];
  findings.push({ text: `${top.name}: ${top.description}.` });
  const metrics: Record<string, unknown> = { k: seg.k, silhouette: seg.silhouette, inertia: seg.inertia, personas: seg.personas.map((p) => ({ name: p.name, size: p.size, share: p.share, revenue_share: p.revenue_share, description: p.description })) };
  // Dynamic view: the last (up to) 6 quarter ends with enough customers.
  let dynamicHTML = "";
  const periodEnds = trackedPeriodEnds(ctx.dataStart!, ctx.dataEnd!);
  if (periodEnds.length >= 2) {
    try {
      const periodRFM: Table[] = [];
      for (const e of periodEnds) periodRFM.push(await eng.rfm({ asOf: e, before: e }));
      const track = trackSegments(tx, { k: seg.k, periodEnds, periodRFM, seed, nInit: 3 });
      figures.push(segmentSankeyFigure(track), driftFigure(track));
      const last = track.periods.length - 1;
      const moves = topMigrations(track, last - 1, last, 5).filter((m) => m.from !== m.to);
      const prev = track.periods[last - 1].label, cur = track.periods[last].label;
      for (const m of moves.slice(0, 2)) findings.push({ text: `${m.customers.toLocaleString("en-US")} customers (${pct(m.shareOfFrom, 0)} of "${m.fromName}") moved to "${m.toName}" between ${prev} and ${cur}.`, level: /risk|lost|hibernat|lapsed/i.test(m.toName) ? "warn" : "info" });
      const flags = track.driftFlags.filter((f) => f.period === cur);
      for (const f of flags.slice(0, 3)) findings.push({ text: f.reason, level: "warn" });
      if (!flags.length) findings.push({ text: `No drift between ${prev} and ${cur}: every PSI ≤ ${PSI_DRIFT_THRESHOLD}, no re-clustering needed.`, level: "good" });
      metrics.dynamic = { periods: track.periods.map((p) => p.label), drift_flags: track.driftFlags.map((f) => f.reason), top_migrations: moves };
      dynamicHTML = `<h3>Migrations ${escapeHTML(prev)} → ${escapeHTML(cur)}</h3>${migrationTable(track, last - 1, last).toHTML()}`;
    } catch (e) {
      findings.push({ text: `Segment tracking over time was skipped: ${e instanceof Error ? e.message : String(e)}`, level: "warn" });
    }
  }
  ctx.summary.segments = metrics;
  return {
    title: "Segments",
    findings,
    figures,
    html: `<h3>Personas</h3>${seg.personaTable.toHTML({ sortable: true })}${dynamicHTML}<h3>RFM segments</h3>${rfmSegmentSummary(scored).toHTML()}`,
    metrics,
  };
}

/** The rules section's first support threshold, and its mining options at a support. */
const RULES_FIRST_SUPPORT = 0.01;
const rulesOptions = (minSupport: number): MineRulesOptions => ({ minSupport, minConfidence: 0.3, maxLen: 4, mode: "arules", minLen: 2 });

/**
 * Start the rules section's first mining (support 1%) now: the baskets and product names come from
 * the engine (queued behind the churn tables, or prefetched) and the mining runs on a worker thread
 * (`rulesOffThread`) beside the churn stage's fits; {@link stageRules} takes the result. @internal
 */
export function startRulesMining(ctx: PipelineContext): void {
  const eng = ctx.engine!;
  const names = eng.productNames();
  const baskets = (async () => labelBasketItems(await eng.basketItems(RULES_FIRST_SUPPORT), await names))();
  const run = baskets.then((b) => rulesOffThread(b, rulesOptions(RULES_FIRST_SUPPORT)));
  for (const p of [names, baskets, run]) p.catch(() => undefined); // surfaced when stageRules awaits them
  ctx.rulesJob = { names, baskets, run };
}

/** 5. Association rules and cross-sell. */
export async function stageRules(ctx: PipelineContext): Promise<StageOutput> {
  // Baskets (orders) from the engine, items below the support threshold left out there, labelled with product names.
  const eng = ctx.engine!;
  const job = ctx.rulesJob;
  ctx.rulesJob = undefined;
  const names = await (job?.names ?? eng.productNames());
  const baskets = async (s: number) => labelBasketItems(await eng.basketItems(s), names);
  // Start at support 1% and lower it until there are enough rules to be useful (at most 3 steps);
  // the first mining may have run on a worker thread (startRulesMining).
  let minSupport = RULES_FIRST_SUPPORT;
  let b = await (job?.baskets ?? baskets(minSupport));
  let res = (await job?.run) ?? mineRules(b, rulesOptions(minSupport));
  for (let step = 0; step < 3 && numRules(res.rules) < 20; step++) {
    minSupport /= 2;
    b = await baskets(minSupport);
    res = mineRules(b, rulesOptions(minSupport));
  }
  const sorted = sortRules(res.rules, "lift", "desc");
  const n = numRules(sorted);
  (ctx as PipelineContext & { rulesCSV?: string }).rulesCSV = rulesToCSV(sorted);
  const top = rulesTable(takeRules(sorted, Array.from({ length: Math.min(15, n) }, (_, i) => i)));
  const show = top.select(top.columnNames().filter((c) => ["antecedent", "consequent", "support", "confidence", "lift"].includes(c)));
  ctx.summary.rules = { baskets: b.offsets.length - 1, min_support: minSupport, min_confidence: 0.3, rules: n, seconds: res.seconds.total };
  const first = n ? show.row(0) : null;
  return {
    title: "Products bought together",
    findings: [
      { text: `${n.toLocaleString("en-US")} rules from ${(b.offsets.length - 1).toLocaleString("en-US")} orders (support ≥ ${formatNumber(minSupport)}, confidence ≥ 0.3).` },
      ...(first ? [{ text: `Strongest: customers who buy ${first.antecedent} also buy ${first.consequent} ${Number(first.lift).toFixed(1)}× more often than average (confidence ${pct(Number(first.confidence), 0)}).` }] : []),
    ],
    figures: n ? [rulesScatterFigure(sorted)] : [],
    html: n ? show.toHTML({ sortable: true }) : "<p>No rules at these thresholds.</p>",
    metrics: ctx.summary.rules as Record<string, unknown>,
  };
}

const sig4 = (v: number) => Number(v.toPrecision(4)).toString();

/** 7. Customer lifetime value (BG/NBD + Gamma-Gamma). */
export async function stageCLV(ctx: PipelineContext): Promise<StageOutput> {
  // The summary of `custlab clv`: purchase days merged on the engine (one purchase definition for every engine).
  const s = await clvSummaryFromEngine(ctx.engine!, { unit: "week" });
  const bg = new BetaGeoModel().fit(s);
  const rep = { freq: s.frequency, mon: s.monetary };
  const idx: number[] = [];
  for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i] > 0 && s.monetary[i] > 0) idx.push(i);
  const fm = frequencyMonetaryCorrelation({ frequency: idx.map((i) => rep.freq[i]), monetary: idx.map((i) => rep.mon[i]) });
  let gg: GammaGammaModel | undefined;
  try { gg = new GammaGammaModel().fit({ frequency: idx.map((i) => s.frequency[i]), monetary: idx.map((i) => s.monetary[i]) }); } catch { gg = undefined; }
  const table = clvTable(s, bg, gg, { horizonDays: 365, churnHorizonDays: ctx.options.horizonDays, discountRate: 0.01 });
  const ids = table.str("customer_id"), pclv = table.num("predicted_clv"), hclv = table.num("historic_clv"), pa = table.num("p_alive");
  let tot = 0;
  for (let i = 0; i < ids.length; i++) { setCustomer(ctx, ids[i], { clv_365d: Number(pclv[i].toFixed(2)), historic_clv: Number(hclv[i].toFixed(2)), p_alive: Number(pa[i].toFixed(4)) }); tot += pclv[i]; }
  const bgp = bg.paramsObject();
  ctx.summary.clv = { unit: "week", customers: ids.length, bgnbd: clvFitRecord(bg.summary()), gammagamma: gg ? clvFitRecord(gg.summary()) : null, frequency_monetary_corr: fm.r, predicted_clv_365d_total: tot, discount_rate_monthly: 0.01 };
  const segs = ids.map((id) => String(ctx.customers.get(id)?.segment ?? "unsegmented"));
  return {
    title: "Customer lifetime value",
    findings: [
      { text: `Predicted spend over the next 365 days (BG/NBD purchases × Gamma-Gamma order value, 1% monthly discount): ${money(tot)} across ${ids.length.toLocaleString("en-US")} customers.` },
      ...(fm.warning ? [{ text: fm.warning, level: "warn" as const }] : []),
    ],
    figures: [clvBySegmentFigure(pclv, segs)],
    html: `<p class="note">BG/NBD (weeks): r ${sig4(bgp.r)}, α ${sig4(bgp.alpha)}, a ${sig4(bgp.a)}, b ${sig4(bgp.b)}.` +
      (gg ? ` Gamma-Gamma: p ${sig4(gg.params.p)}, q ${sig4(gg.params.q)}, v ${sig4(gg.params.v)}.` : "") + `</p>`,
    metrics: ctx.summary.clv as Record<string, unknown>,
  };
}

/** 6. Reviews: sentiment (lexicon baseline vs trained TF-IDF + LR) and topics, per language. */
export async function stageReviews(ctx: PipelineContext): Promise<StageOutput> {
  const reading = ctx.options.reading ?? {};
  const { table, report: load } = await loadReviews(ctx.options.reviews!, { format: (ctx.options.reviewsFormat ?? "custlab") as ReviewFormat, encoding: reading.encoding });
  const checked = checkInput(load, { allowQuarantine: reading.allowQuarantine });
  ctx.summary.reviews_input = checked.input;
  if (checked.warning) ctx.summary.reviews_input_warning = checked.warning;
  ctx.reviews = table;
  const { reviewDocument, reviewSentiment, reviewSentimentLabels, rankNegativeProducts } = require("../reviews/workflow") as typeof import("../reviews/workflow");
  const seed = ctx.options.seed;
  const lang = table.str("language"), body = table.str("text"), title = table.str("title"), rating = table.num("rating"), given = table.num("label"), product = table.str("product_id");
  const findings: StageOutput["findings"] = [];
  const figures: Figure[] = [];
  const metrics: Record<string, unknown> = { reviews: table.numRows };
  const topicsOut: Record<string, unknown> = {};
  let html = "";
  for (const L of ["en", "zh"] as const) {
    const idx: number[] = [];
    for (let i = 0; i < table.numRows; i++) if ((lang[i] || "en") === L && (body[i] || title[i])) idx.push(i);
    if (idx.length < 100) continue;
    const texts = idx.map((i) => reviewDocument(title[i], body[i]));
    // The review-sentiment workflow: labels from the ratings (or a given 0/1 label), a TF-IDF + LR model
    // fitted on a stratified 80% and measured on the held-out 20% against the lexicon, then scoring every review.
    const s = reviewSentiment(texts, reviewSentimentLabels(idx.map((i) => rating[i]), idx.map((i) => given[i])), { lang: L, seed });
    const langName = L === "en" ? "English" : "Chinese";
    const m: Record<string, unknown> = { docs: idx.length, labelled: s.labelled };
    if (s.method === "tfidf-lr") {
      Object.assign(m, { lexicon_auc: s.lexiconAuc, tfidf_lr_auc_holdout: s.holdoutAuc, holdout_size: s.holdoutSize });
      findings.push({ text: `${langName}: ${idx.length.toLocaleString("en-US")} reviews. A TF-IDF + logistic-regression model trained on the star ratings separates positive from negative reviews with ROC-AUC ${s.holdoutAuc.toFixed(3)} on ${s.holdoutSize.toLocaleString("en-US")} held-out reviews; the lexicon baseline reaches ${s.lexiconAuc.toFixed(3)}.` });
    } else {
      findings.push({ text: `${langName}: ${idx.length.toLocaleString("en-US")} reviews scored with the lexicon (too few labelled reviews to train a model).` });
    }
    const negative = Float64Array.from(s.negative);
    let negCount = 0;
    for (const v of negative) negCount += v;
    m.negative_share = negCount / idx.length;
    // Topics, and the share of negative reviews each one carries.
    const t = reviewTopicsSection(texts, negative, L, seed, negCount / idx.length);
    m.topics = t.metrics;
    topicsOut[L] = t.json;
    if (t.finding) findings.push(t.finding);
    figures.push(t.figure);
    // Most negative products (≥ 10 reviews), with Wilson 95% intervals.
    const rows = rankNegativeProducts(idx.map((i) => product[i]), negative, { minReviews: 10, top: 8, texts })
      .map((r) => ({ product: r.product, reviews: r.reviews, negative_share: r.negativeShare, ci_low: r.low, ci_high: r.high, example: maskPII(r.example) }));
    if (rows.length) html += `<h3>${langName}: most negative products (at least 10 reviews; 95% Wilson interval)</h3>${Table.fromRows(rows).toHTML({ format: { negative_share: (v) => pct(Number(v), 0), ci_low: (v) => pct(Number(v), 0), ci_high: (v) => pct(Number(v), 0) } })}`;
    html += t.html;
    metrics[L] = m;
  }
  if (!Object.keys(topicsOut).length) return { title: "What customers say", findings: [], withheld: "The reviews file has fewer than 100 reviews in English or Chinese: nothing to analyse.", metrics };
  ctx.summary.reviews = metrics;
  (ctx as PipelineContext & { topicsJSON?: unknown }).topicsJSON = topicsOut;
  return { title: "What customers say", findings, figures, html, metrics };
}

/**
 * The report's topics for one language: LDA with K from the corpus size (3…8, about one topic per 300
 * reviews), the negative share per topic, a finding naming the topic most negative reviews are about,
 * its figure and HTML table, and the JSON written to topics.json.
 */
function reviewTopicsSection(texts: string[], negative: Float64Array, L: "en" | "zh", seed: number | undefined, negShare: number): {
  metrics: Record<string, number>; json: Record<string, unknown>; finding: StageOutput["findings"][number] | null; figure: Figure; html: string;
} {
  const text = require("../text/topics") as typeof import("../text/topics");
  const langName = L === "en" ? "English" : "Chinese";
  const k = Math.min(8, Math.max(3, Math.floor(texts.length / 300)));
  const tm = text.fitTopics(texts, k, { lang: L, seed, iterations: 100 });
  const ts = text.topicSentiment(tm.model, tm.labels, negative, { texts, examples: 2 });
  const json = {
    k, coherence_c_v: tm.coherence_c_v, coherence_umass: tm.coherence_umass,
    topics: ts.overall.map((r) => ({ topic: r.topic, label: r.label, terms: tm.topics[r.topic].slice(0, 10), docs: r.docs, negative_rate: r.negativeRate, share_of_negative: r.shareOfNegative, examples: r.examples.map(maskPII) })),
  };
  const worst = [...ts.overall].sort((a, b) => b.shareOfNegative - a.shareOfNegative)[0];
  const finding = worst ? { text: `${langName} complaints centre on "${worst.label}": ${pct(worst.shareOfNegative, 0)} of negative reviews (negative rate ${pct(worst.negativeRate, 0)} vs ${pct(negShare, 0)} overall).`, level: worst.lift > 1.5 ? "warn" as const : "info" as const } : null;
  const figure = text.topicSentimentFigure(ts.overall, { title: `${langName}: topics by share of negative reviews` });
  const topicRows = ts.overall.map((r) => ({ topic: r.label, reviews: r.docs, negative_rate: r.negativeRate, share_of_negative: r.shareOfNegative, example: r.examples[0] ? maskPII(r.examples[0].slice(0, 160)) : "" }));
  const html = `<h3>${langName}: topics (LDA, K = ${k}, c_v ${tm.coherence_c_v.toFixed(3)})</h3>${Table.fromRows(topicRows).toHTML({ format: { negative_rate: (v) => pct(Number(v), 0), share_of_negative: (v) => pct(Number(v), 0) } })}`;
  return { metrics: { k, coherence_c_v: tm.coherence_c_v, coherence_umass: tm.coherence_umass }, json, finding, figure, html };
}

/** Escape helper re-exported for the pipeline. */
export { escapeHTML };
