import { CustlabError } from "../util/errors";
import type { Table } from "../table";
import { escapeHTML } from "../table/format-html";
import { customerClassesFromTables, type CustomerClassRun, type CustomerClassTables, type CustomerClassOptions } from "../value";
import { classesOffThread } from "./offload";
import { multiclassConfusionFigure, rocPerClassFigure } from "../eval";
import { isoDay, DAY_MS } from "../util/numeric";
import type { PipelineContext, StageOutput } from "./context";

/** The classes section's model inputs: the customer tables at cutoff − H and at the evaluation cutoff, and the options. */
async function classInputs(ctx: PipelineContext): Promise<{ tables: CustomerClassTables; options: CustomerClassOptions & { cutoff: number } }> {
  const H = ctx.options.horizonDays;
  const end = ctx.dataEnd!;
  const cutoff = ctx.options.cutoff ? Date.parse(ctx.options.cutoff) : Math.floor((end - H * DAY_MS) / DAY_MS) * DAY_MS + DAY_MS;
  // The customer tables at cutoff − H and at the cutoff come from the report's engine
  // (the churn stage's tables when it computed these cutoffs, else the engine's).
  const eng = ctx.engine!, trainCut = cutoff - H * DAY_MS, ct = ctx.churnTables;
  const at = async (c: number): Promise<[Table, Table]> => {
    try {
      if (ct) { const f = ct.features(c); return [f, ct.labels(f, c, H)]; }
    } catch { /* not a cutoff of the churn stage */ }
    const f = await eng.features({ cutoff: c });
    return [f, await eng.labels(f, { cutoff: c, horizonDays: H })];
  };
  const [f0, y0] = await at(trainCut), [f1, y1] = await at(cutoff);
  return { tables: { trainFeatures: f0, trainLabels: y0, features: f1, labels: y1 }, options: { cutoff, horizonDays: H, model: "gbdt", seed: ctx.options.seed } };
}

/**
 * Start the classes section's model fit now, on a worker thread (see `classesOffThread`), so that it
 * runs on the machine's other core while the churn stage fits its own models; {@link stageClasses}
 * takes the result. Called by the churn stage once its customer tables are in. @internal
 */
export function startClassesFit(ctx: PipelineContext): void {
  const inputs = classInputs(ctx);
  const run = inputs.then((i) => classesOffThread(i.tables, i.options));
  inputs.catch(() => undefined); run.catch(() => undefined); // surfaced when stageClasses awaits them
  ctx.classesJob = { inputs, run };
}

/**
 * Report section "who is in which class, and how sure are we": the four
 * customer classes (high-value, regular, at-risk, lost) predicted out of time
 * at the evaluation cutoff by `customerClassesFromTables` (the notebook's
 * `customerClassesAtCutoff` on the report engine's customer tables), scored against what customers did in the following H days.
 * @example // called by runReport: stageClasses(ctx)
 */
export async function stageClasses(ctx: PipelineContext): Promise<StageOutput> {
  const title = "Customer classes: who is in which class, and how sure are we";
  const H = ctx.options.horizonDays;
  const job = ctx.classesJob;
  ctx.classesJob = undefined;
  let r: CustomerClassRun;
  let cutoff: number;
  try {
    // The fit started on a worker thread by startClassesFit, else here on the main thread.
    const inputs = await (job?.inputs ?? classInputs(ctx));
    cutoff = inputs.options.cutoff;
    r = (await job?.run) ?? customerClassesFromTables(inputs.tables, inputs.options);
  } catch (e) {
    if (e instanceof CustlabError) return { title, findings: [], withheld: `No class model: ${e.message}` };
    throw e;
  }
  const rep = r.report, k = r.classes.length;
  const sure = r.customers.num("probability");
  let confident = 0;
  for (let i = 0; i < sure.length; i++) if (sure[i] >= 0.8) confident++;
  ctx.summary.classes = {
    eval_cutoff: isoDay(cutoff), horizon_days: H, customers: r.yTrue.length, accuracy: rep.accuracy, macro_f1: rep.macro.f1, weighted_f1: rep.weighted.f1,
    top_2_accuracy: r.top2Accuracy, per_class: rep.byName, auc_per_class: r.aucPerClass, share_confident_80: confident / sure.length,
  };
  const weakest = r.classes.reduce((a, b) => (rep.byName[b].recall < rep.byName[a].recall ? b : a));
  const rows = r.classes.map((c) => `<tr><td>${escapeHTML(c)}</td><td>${rep.byName[c].support}</td><td>${rep.byName[c].precision.toFixed(3)}</td><td>${rep.byName[c].recall.toFixed(3)}</td><td>${rep.byName[c].f1.toFixed(3)}</td><td>${(r.aucPerClass[c] ?? NaN).toFixed(3)}</td></tr>`).join("");
  return {
    title,
    findings: [
      { text: `Predicted from orders before ${isoDay(cutoff)} and checked against the next ${H} days: ${(100 * rep.accuracy).toFixed(1)}% of ${r.yTrue.length.toLocaleString("en-US")} customers in the right class (the true class is among the two most likely for ${(100 * r.top2Accuracy).toFixed(1)}%); macro F1 ${rep.macro.f1.toFixed(3)}.` },
      { text: `The model is at least 80% sure for ${(100 * confident / sure.length).toFixed(1)}% of customers.` },
      { text: `Hardest class to catch: ${weakest} (recall ${rep.byName[weakest].recall.toFixed(2)}).`, level: rep.byName[weakest].recall < 0.5 ? "warn" : "info" },
    ],
    figures: [multiclassConfusionFigure(r.yTrue, r.yPred, r.classes, r.classes.map((_, c) => c)), rocPerClassFigure(r.yTrue, r.proba, k, r.classes)],
    html: `<table class="custlab-table"><thead><tr><th>class</th><th>customers</th><th>precision</th><th>recall</th><th>F1</th><th>ROC-AUC (one vs rest)</th></tr></thead><tbody>${rows}</tbody></table>` +
      `<p class="note">Classes by the documented rule: lost = no order in the horizon; high-value = top 20% of spend among buyers; at-risk = fewer than half the orders of the previous ${H} days; regular = everyone else.</p>`,
    metrics: ctx.summary.classes as Record<string, unknown>,
  };
}
