import { Table } from "../table";
import { escapeHTML, formatNumber } from "../table/format-html";
import { loadTransactions, loadReviews } from "../io";
import type { TransactionFormat, ReviewFormat } from "../io";
import { cleanTransactions, purchases } from "../clean";
import { qualityReport, qualityFigures } from "../quality";
import { customerFeatures, churnLabels, customerRFM, Preprocessor } from "../features";
import { HistGradientBoostingClassifier } from "../models";
import { rocAucScore, averagePrecisionScore, topKLift, rocFigure, liftFigure, calibrationFigure } from "../eval";
import { explainModel, reasonCodes, shapBarFigure } from "../explain";
import { buildAlerts } from "../alerts";
import { rfmScores, rfmSegmentSummary, KMeans, silhouetteScore, rfmMatrix } from "../segment";
import { basketsFromTransactions, mineRules, numRules, rulesScatterFigure, sortRules, takeRules, rulesTable, rulesToCSV } from "../rules";
import { summaryFromTransactions, BetaGeoModel, GammaGammaModel, clvTable, frequencyMonetaryCorrelation, clvBySegmentFigure } from "../clv";
import type { Figure } from "../report/figure";
import { maskPII } from "../privacy";
import type { PipelineContext, StageOutput } from "./context";
import { setCustomer } from "./context";

const DAY = 86_400_000;
const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
const money = (x: number) => (Math.abs(x) >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : Math.abs(x) >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 1. Load, quarantine, clean, measure data quality. */
export async function stageQuality(ctx: PipelineContext): Promise<StageOutput> {
  const { table, report: load } = await loadTransactions(ctx.options.transactions, { format: ctx.options.format as TransactionFormat });
  const { table: cleaned, report: clean } = cleanTransactions(table);
  const q = qualityReport(cleaned, { load, clean });
  ctx.transactions = cleaned;
  ctx.purchases = purchases(cleaned);
  const ts = ctx.purchases.num("timestamp");
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < ts.length; i++) { if (ts[i] < lo) lo = ts[i]; if (ts[i] > hi) hi = ts[i]; }
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
  return { title: "Data quality", findings, figures: qualityFigures(q), metrics: ctx.summary.data as Record<string, unknown> };
}

/** 2–3. Customer features at a cutoff, an out-of-time churn model, reasons and the alert list. */
export async function stageChurn(ctx: PipelineContext): Promise<StageOutput> {
  const tx = ctx.purchases!;
  const H = ctx.options.horizonDays;
  const end = ctx.dataEnd!;
  const evalCutoff = ctx.options.cutoff ? Date.parse(ctx.options.cutoff) : Math.floor((end - H * DAY) / DAY) * DAY + DAY;
  const trainCutoff = evalCutoff - H * DAY;
  const scoreCutoff = Math.floor(end / DAY) * DAY + DAY;
  const eligibility = `customers with at least one order in the 365 days before the cutoff`;
  const eligible = (f: Table) => { const o = f.num("orders_365d"); return f.filter((i) => o[i] > 0); };
  const fTrain = eligible(customerFeatures(tx, { cutoff: trainCutoff }));
  const fEval = eligible(customerFeatures(tx, { cutoff: evalCutoff }));
  const fNow = eligible(customerFeatures(tx, { cutoff: scoreCutoff }));
  const yTrain = churnLabels(tx, fTrain, { cutoff: trainCutoff, horizonDays: H }).num("churn");
  const yEval = churnLabels(tx, fEval, { cutoff: evalCutoff, horizonDays: H }).num("churn");
  const types = { idColumns: ["customer_id"] };
  const horizonText = `P(no order in the next ${H} days)`;
  if (fTrain.numRows < 200 || fEval.numRows < 200) {
    return { title: "Churn early warning", findings: [], withheld: `Too few eligible customers to train and evaluate a churn model (${fTrain.numRows} at the training cutoff, ${fEval.numRows} at the evaluation cutoff; at least 200 each needed). Eligibility: ${eligibility}.` };
  }
  // Out-of-time evaluation: train at trainCutoff (labels end at evalCutoff), evaluate at evalCutoff.
  const pre = new Preprocessor({ types }).fit(fTrain);
  const model = new HistGradientBoostingClassifier({ seed: ctx.options.seed });
  model.fit(pre.transform(fTrain), yTrain);
  const pEval = model.predictProba(pre.transform(fEval));
  const auc = rocAucScore(yEval, pEval);
  const prAuc = averagePrecisionScore(yEval, pEval);
  const lift = topKLift(yEval, pEval, 0.1);
  let churnRate = 0;
  for (let i = 0; i < yEval.length; i++) churnRate += yEval[i];
  churnRate /= Math.max(1, yEval.length);
  const metrics = { horizon_days: H, train_cutoff: isoDay(trainCutoff), eval_cutoff: isoDay(evalCutoff), score_date: isoDay(scoreCutoff), eligibility, customers_eval: fEval.numRows, churn_rate: churnRate, auc, pr_auc: prAuc, top_decile_lift: lift, model: "gbdt", min_auc: ctx.options.minAuc };
  ctx.summary.churn = metrics;
  const evalFigs: Figure[] = [rocFigure([{ name: `gbdt (AUC ${auc.toFixed(3)})`, yTrue: yEval, score: pEval }], `ROC — out of time (trained ${isoDay(trainCutoff)}, scored ${isoDay(evalCutoff)})`), liftFigure([{ name: "gbdt", yTrue: yEval, score: pEval }], "gain"), calibrationFigure([{ name: "gbdt", yTrue: yEval, score: pEval }])];
  if (!(auc >= ctx.options.minAuc)) {
    ctx.summary.churn = { ...metrics, withheld: true };
    return { title: "Churn early warning", findings: [{ text: `Out-of-time AUC ${auc.toFixed(3)} is below the stated minimum ${ctx.options.minAuc}: churn scores are not shown because they would be noise.`, level: "warn" }], figures: evalFigs.slice(0, 1), withheld: `Churn model withheld: evaluation failed the stated minimum (AUC ≥ ${ctx.options.minAuc}).`, metrics };
  }
  // Score today: refit on the latest labelled cutoff, score customers as of the data end.
  const preNow = new Preprocessor({ types }).fit(fEval);
  const finalModel = new HistGradientBoostingClassifier({ seed: ctx.options.seed });
  finalModel.fit(preNow.transform(fEval), yEval);
  const XNow = preNow.transform(fNow);
  const pNow = finalModel.predictProba(XNow);
  const ex = explainModel(finalModel, XNow);
  const rc = reasonCodes(ex, { raw: fNow, topK: 3 });
  const ids = fNow.str("customer_id");
  const alerts = buildAlerts({ customers: ids, proba: pNow, features: fNow, reasons: rc }, { horizonDays: H });
  const aIds = alerts.str("customer_id"), aP = alerts.num("churn_probability"), aBand = alerts.str("band"), aReason = alerts.str("top_reasons"), aVar = alerts.num("value_at_risk");
  let high = 0, valueAtRisk = 0;
  for (let i = 0; i < alerts.numRows; i++) {
    setCustomer(ctx, aIds[i], { churn_probability: Number(aP[i].toFixed(4)), churn_band: aBand[i], churn_reasons: aReason[i], churn_horizon_days: H });
    if (aBand[i] === "high") high++;
    valueAtRisk += aVar[i];
  }
  ctx.summary.churn = { ...metrics, scored_customers: alerts.numRows, high_band: high, value_at_risk: valueAtRisk };
  (ctx as PipelineContext & { alerts?: Table }).alerts = alerts;
  const findings = [
    { text: `Out-of-time check: a model trained on ${isoDay(trainCutoff)} and scored on ${isoDay(evalCutoff)} reached ROC-AUC ${auc.toFixed(3)} (PR-AUC ${prAuc.toFixed(3)}; the top 10% it flags churn ${lift.toFixed(2)}× as often as average). Minimum to be shown: ${ctx.options.minAuc}.`, level: "good" as const },
    { text: `Scores are ${horizonText}, as of ${isoDay(scoreCutoff)}, for ${alerts.numRows.toLocaleString("en-US")} ${eligibility}. Bands: high ≥ 0.6, medium ≥ 0.3.` },
    { text: `${high.toLocaleString("en-US")} customers are in the high band; expected spend at risk ≈ ${money(valueAtRisk)} (trailing-12-month spend × probability).` },
  ];
  return { title: "Churn early warning", findings, figures: [...evalFigs, shapBarFigure(ex)], metrics };
}

/** 4. RFM segments, k-means segments with personas. */
export async function stageSegments(ctx: PipelineContext): Promise<StageOutput> {
  const rfm = customerRFM(ctx.purchases!);
  const scored = rfmScores(rfm);
  const { X } = rfmMatrix(rfm);
  const ks = ctx.options.k === "auto" || ctx.options.k === undefined ? [3, 4, 5, 6] : [ctx.options.k];
  let best: { k: number; model: KMeans; sil: number } | null = null;
  const silAt: Record<number, number> = {};
  for (const k of ks) {
    const m = new KMeans({ k, nInit: 4, seed: ctx.options.seed }).fit(X);
    const sil = silhouetteScore(X, m.labels_!, { sampleSize: 3000, seed: ctx.options.seed });
    silAt[k] = sil;
    if (!best || sil > best.sil) best = { k, model: m, sil };
  }
  const labels = best!.model.labels_!;
  // Name k-means clusters by their dominant RFM segment.
  const seg = scored.str("rfm_segment"), ids = scored.str("customer_id"), mon = scored.num("monetary"), rec = scored.num("recency_days"), freq = scored.num("frequency");
  const k = best!.k;
  const names: string[] = [];
  const size = new Float64Array(k), rev = new Float64Array(k);
  let totRev = 0;
  for (let i = 0; i < labels.length; i++) { size[labels[i]]++; rev[labels[i]] += mon[i]; totRev += mon[i]; }
  const personaRows: Record<string, unknown>[] = [];
  for (let c = 0; c < k; c++) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) idx.push(i);
    const med = (a: ArrayLike<number>) => { const v = idx.map((i) => a[i]).sort((x, y) => x - y); return v.length ? v[Math.floor(v.length / 2)] : NaN; };
    const counts = new Map<string, number>();
    for (const i of idx) counts.set(seg[i], (counts.get(seg[i]) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "segment";
    let name = top;
    let n = 2;
    while (names.includes(name)) name = `${top} ${n++}`;
    names.push(name);
    const r = med(rec), f = med(freq), m = med(mon);
    personaRows.push({ segment: name, customers: size[c], share: size[c] / labels.length, revenue_share: rev[c] / Math.max(1e-9, totRev), median_recency_days: r, median_orders: f, median_spend: m });
  }
  // Plain-language persona descriptions relative to the overall medians.
  const allMed = (a: ArrayLike<number>) => { const v = Array.from(a).sort((x, y) => x - y); return v[Math.floor(v.length / 2)]; };
  const R0 = allMed(rec), F0 = allMed(freq), M0 = allMed(mon);
  for (const p of personaRows) {
    const words = [(p.median_recency_days as number) <= R0 ? "recent" : "lapsed", (p.median_orders as number) > F0 ? "frequent" : "infrequent", (p.median_spend as number) > M0 ? "high spenders" : "low spenders"];
    p.description = `${words[0]}, ${words[1]}, ${words[2]}; ${pct(p.share as number, 0)} of customers, ${pct(p.revenue_share as number, 0)} of revenue`;
  }
  for (let i = 0; i < ids.length; i++) setCustomer(ctx, ids[i], { segment: names[labels[i]], rfm_segment: seg[i], rfm_code: scored.str("rfm_code")[i] });
  const personas = Table.fromRows(personaRows);
  ctx.summary.segments = { k, silhouette: best!.sil, silhouette_by_k: silAt, inertia: best!.model.inertia_, personas: personaRows };
  const rfmSum = rfmSegmentSummary(scored);
  const bar: Figure = { data: [{ type: "bar", x: personaRows.map((p) => p.segment), y: personaRows.map((p) => p.share), name: "customers" }, { type: "bar", x: personaRows.map((p) => p.segment), y: personaRows.map((p) => p.revenue_share), name: "revenue" }], layout: { title: { text: "Segments: share of customers vs share of revenue" }, barmode: "group", yaxis: { tickformat: ".0%" } } };
  const topSeg = [...personaRows].sort((a, b) => (b.revenue_share as number) - (a.revenue_share as number))[0];
  return {
    title: "Segments",
    findings: [
      { text: `${k} segments (k chosen by silhouette among ${ks.join(", ")}; silhouette ${best!.sil.toFixed(3)}) on log-scaled recency, frequency and spend.` },
      { text: `"${topSeg.segment}": ${topSeg.description}.` },
    ],
    figures: [bar],
    html: `<h3>Personas</h3>${personas.toHTML({ sortable: true, format: { share: (v) => pct(Number(v)), revenue_share: (v) => pct(Number(v)) } })}<h3>RFM segments</h3>${rfmSum.toHTML()}`,
    metrics: ctx.summary.segments as Record<string, unknown>,
  };
}

/** 5. Association rules and cross-sell. */
export async function stageRules(ctx: PipelineContext): Promise<StageOutput> {
  const b = basketsFromTransactions(ctx.transactions!, { by: "order", minItems: 1 });
  // Start at support 1% and lower it until there are enough rules to be useful (at most 3 steps).
  let minSupport = 0.01;
  let res = mineRules(b, { minSupport, minConfidence: 0.3, maxLen: 4, mode: "arules", minLen: 2 });
  for (let step = 0; step < 3 && numRules(res.rules) < 20; step++) {
    minSupport /= 2;
    res = mineRules(b, { minSupport, minConfidence: 0.3, maxLen: 4, mode: "arules", minLen: 2 });
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

/** 7. Customer lifetime value (BG/NBD + Gamma-Gamma). */
export async function stageCLV(ctx: PipelineContext): Promise<StageOutput> {
  const s = summaryFromTransactions(ctx.purchases!, { unit: "week" });
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
  const bgp = bg.params_ as unknown as Record<string, number>;
  ctx.summary.clv = { unit: "week", customers: ids.length, bgnbd: bgp, gammagamma: gg ? (gg.params_ as unknown as Record<string, number>) : null, frequency_monetary_corr: fm.r, predicted_clv_365d_total: tot, discount_rate_monthly: 0.01 };
  const segs = ids.map((id) => String(ctx.customers.get(id)?.segment ?? "unsegmented"));
  return {
    title: "Customer lifetime value",
    findings: [
      { text: `Predicted spend over the next 365 days (BG/NBD purchases × Gamma-Gamma order value, 1% monthly discount): ${money(tot)} across ${ids.length.toLocaleString("en-US")} customers.` },
      ...(fm.warning ? [{ text: fm.warning, level: "warn" as const }] : []),
    ],
    figures: [clvBySegmentFigure(pclv, segs)],
    html: `<p class="note">BG/NBD (weeks): r ${bgp.r?.toFixed(4)}, α ${bgp.alpha?.toFixed(4)}, a ${bgp.a?.toFixed(4)}, b ${bgp.b?.toFixed(4)}.</p>`,
    metrics: ctx.summary.clv as Record<string, unknown>,
  };
}

/** 6. Reviews: sentiment and topics (when a reviews file is given). */
export async function stageReviews(ctx: PipelineContext): Promise<StageOutput> {
  const { table } = await loadReviews(ctx.options.reviews!, { format: (ctx.options.reviewsFormat ?? "custlab") as ReviewFormat });
  ctx.reviews = table;
  const text = require("../text");
  const out = await text.reviewInsights(table, { seed: ctx.options.seed, k: 8 });
  ctx.summary.reviews = out.metrics;
  (ctx as PipelineContext & { topicsJSON?: unknown }).topicsJSON = out.topics;
  const examples: string = (out.examplesHTML ?? "").replace(/>([^<]*)</g, (_m: string, t: string) => `>${maskPII(t)}<`);
  return { title: "What customers say", findings: out.findings, figures: out.figures, html: examples, metrics: out.metrics };
}

/** Escape helper re-exported for the pipeline. */
export { escapeHTML };
