/**
 * Report section "Retention actions and fairness": next-best actions for the
 * at-risk customers (the policy library's `actionsFromScores`, on the churn
 * section's scores) and fairness of the churn model and of the action policy by
 * every customer attribute given in the customers file, with warnings above
 * the stated thresholds.
 * @module
 */
import * as path from "path";
import { Table } from "../table";
import { escapeHTML } from "../table/format-html";
import { loadTable } from "../io";
import { churnTransactions } from "../churn";
import { actionsFromScores, readActions } from "../policy/actions";
import { fairnessReport, fairnessFigure, actionShareByGroup, type FairnessReport } from "../policy/fairness";
import type { Figure } from "../plot/figure";
import type { Finding, PipelineContext, StageOutput } from "./context";
import { DAY_MS } from "../util/numeric";

/** Attribute columns worth a fairness check: text columns with 2..20 distinct values (not ids or dates). */
function attributeColumns(t: Table): string[] {
  return t.columnNames().filter((c) => {
    if (c === "customer_id" || c.startsWith("_") || t.kind(c) !== "string") return false;
    const v = new Set(t.str(c));
    return v.size >= 2 && v.size <= 20;
  });
}

/** 8. Retention actions and fairness (needs `customers` and/or `actions`). */
export async function stageDecisions(ctx: PipelineContext): Promise<StageOutput> {
  const o = ctx.options;
  const findings: Finding[] = [];
  const figures: Figure[] = [];
  let html = "";
  const metrics: Record<string, unknown> = {};
  let attrs: Table | undefined;
  if (o.customers) {
    attrs = (await loadTable(o.customers, { types: { customer_id: "text" } })).table;
    if (!attrs.has("customer_id")) return { title: "Retention actions and fairness", findings: [], withheld: `The customers file ${path.basename(o.customers)} has no customer_id column.` };
  }
  const cols = attrs ? attributeColumns(attrs) : [];
  const attrOf = new Map<string, number>();
  if (attrs) attrs.str("customer_id").forEach((id, i) => attrOf.set(id, i));
  const fairness: Record<string, unknown> = {};
  const rowsHTML: string[] = [];

  // Fairness of the churn model, on the out-of-time evaluation (scores and outcomes known).
  const ev = ctx.churnEval;
  if (attrs && ev) {
    const keep: number[] = [];
    ev.customers.forEach((c, i) => { if (attrOf.has(c)) keep.push(i); });
    const y = Float64Array.from(keep, (i) => ev.y[i]), p = Float64Array.from(keep, (i) => ev.p[i]);
    if (keep.length < ev.customers.length) findings.push({ text: `${ev.customers.length - keep.length} evaluated customers have no row in the customers file and are left out of the fairness figures.` });
    for (const c of cols) {
      const g = attrs.str(c);
      const groups = keep.map((i) => g[attrOf.get(ev.customers[i])!]);
      const r: FairnessReport = fairnessReport(y, groups, { score: p }, { threshold: 0.6, attribute: c });
      fairness[c] = { demographic_parity_difference: r.demographicParityDifference, demographic_parity_ratio: r.demographicParityRatio, equal_opportunity_difference: r.equalOpportunityDifference, equalized_odds_difference: r.equalizedOddsDifference, max_calibration_error: r.maxCalibrationError, groups: r.groups.map((x) => ({ group: x.group, n: x.n, selection_rate: x.selectionRate, tpr: x.tpr, fpr: x.fpr, base_rate: x.baseRate, mean_score: x.meanScore, ece: x.ece })) };
      for (const w of r.warnings) findings.push({ text: `Churn model (high band, P ≥ 0.6): ${w}`, level: "warn" });
      if (figures.length < 3) figures.push(fairnessFigure(r, { title: `Churn model fairness by ${c} (high band at the evaluation cutoff)` }));
      rowsHTML.push(`<h3>Churn model by ${escapeHTML(c)}</h3>${new Table({
        group: r.groups.map((x) => x.group), customers: Float64Array.from(r.groups, (x) => x.n), selected: Float64Array.from(r.groups, (x) => x.selectionRate),
        true_positive_rate: Float64Array.from(r.groups, (x) => x.tpr), false_positive_rate: Float64Array.from(r.groups, (x) => x.fpr),
        churn_rate: Float64Array.from(r.groups, (x) => x.baseRate), mean_score: Float64Array.from(r.groups, (x) => x.meanScore), calibration_error: Float64Array.from(r.groups, (x) => x.ece),
      }).toHTML()}<p>Demographic parity difference ${r.demographicParityDifference.toFixed(3)}, equal-opportunity difference ${r.equalOpportunityDifference.toFixed(3)}, equalized-odds difference ${r.equalizedOddsDifference.toFixed(3)} (fairlearn's definitions; warnings above ${r.thresholds.parity}, ${r.thresholds.opportunity}, and a calibration error above ${r.thresholds.calibration}).</p>`);
    }
    if (cols.length && !findings.some((f) => f.level === "warn")) findings.push({ text: `Churn model: no fairness figure crosses its threshold for ${cols.join(", ")} (demographic parity and equal opportunity ≤ 0.1, calibration error ≤ 0.05 in every group).`, level: "good" });
  }
  metrics.fairness = fairness;

  // Next-best actions on today's scores.
  const alerts = ctx.alerts;
  if (o.actions && alerts && (ctx.transactions || ctx.engine)) {
    const actions = readActions(o.actions);
    const asOf = Math.floor(ctx.dataEnd! / DAY_MS) * DAY_MS + DAY_MS;
    // On a SQL engine only the sales lines come back (no returns; the rows the actions read).
    const tx = ctx.transactions ? churnTransactions(ctx.transactions) : await ctx.engine!.salesLines(asOf);
    const scored = new Table({
      customer_id: alerts.str("customer_id"), churn_probability: alerts.num("churn_probability"), band: alerts.str("band"),
      reason_1: alerts.str("top_reasons").map((r) => r.split(";")[0]?.trim() ?? ""),
    });
    const r = actionsFromScores(tx, scored, asOf, actions, { atRisk: "medium", customers: attrs?.has("segment") ? attrs : undefined });
    const t = r.table;
    ctx.actionsCSV = t.assign({ customer_id: t.str("customer_id").map(ctx.pseudo) }).rename({ customer_id: "customer" }).toCSV();
    metrics.actions = { at_risk: r.counts.atRisk, by_action: r.counts.byAction, expected_value_total: r.expectedValue, rule: r.rule };
    findings.push({ text: `${r.counts.atRisk.toLocaleString("en-US")} customers in the medium or high churn band get a next-best action: ${Object.entries(r.counts.byAction).map(([a, k]) => `${a} ${k}`).join(", ")}; expected value ${r.expectedValue.toFixed(0)} (${r.rule}).` });
    const top = t.head(15);
    rowsHTML.unshift(`<h3>Next-best actions (top 15 by expected value; all in actions.csv)</h3>${new Table({
      customer: top.str("customer_id").map(ctx.pseudo), action: top.str("action"), expected_value: top.num("expected_value"), reason: top.str("reason"),
    }).toHTML()}`);
    // Fairness of the policy: the share of each group that gets an action.
    if (attrs) {
      const ids = t.str("customer_id"), act = t.str("action");
      const known = ids.map((c, i) => (attrOf.has(c) ? i : -1)).filter((i) => i >= 0);
      for (const c of cols) {
        const g = attrs.str(c);
        const s = actionShareByGroup(known.map((i) => g[attrOf.get(ids[i])!]), known.map((i) => act[i]));
        (fairness[c] as Record<string, unknown> | undefined ?? (fairness[c] = {}) as Record<string, unknown>).action_share = s;
        if (s.difference > 0.1) findings.push({ text: `Action policy by ${c}: the share of at-risk customers who get an action ranges from ${(100 * Math.min(...s.groups.map((x) => x.share))).toFixed(1)}% to ${(100 * Math.max(...s.groups.map((x) => x.share))).toFixed(1)}% (difference ${s.difference.toFixed(3)} > 0.1); check that this is intended.`, level: "warn" });
        rowsHTML.push(`<h3>Action share by ${escapeHTML(c)}</h3>${new Table({ group: s.groups.map((x) => x.group), at_risk_customers: Float64Array.from(s.groups, (x) => x.n), action_share: Float64Array.from(s.groups, (x) => x.share) }).toHTML()}`);
      }
    }
  }
  ctx.summary.decisions = metrics;
  html = rowsHTML.join("");
  if (!findings.length && !html) return { title: "Retention actions and fairness", findings: [], withheld: "No customers file (attributes for the fairness checks) and no actions file were given." };
  return { title: "Retention actions and fairness", findings, figures, html, metrics };
}
