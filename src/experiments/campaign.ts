import { Table } from "../table";
import { CustlabError, optionError } from "../util/errors";
import { createRng } from "../util/random";
import { Figure } from "../plot/figure";
import { differenceInterval, experimentNormalCdf, experimentNormalQuantile, relativeUpliftInterval, twoProportionZTest, wilsonInterval } from "./stats";
import { isoDay } from "../util/numeric";

// ------------------------------------------------------------------ assignment

/** Options for {@link assignArms}. */
export interface AssignArmsOptions {
  /** Arm names (default ["control", "treatment"]). */
  arms?: string[];
  /** Relative arm sizes (default equal). */
  weights?: number[];
  /**
   * Stratify by: a column of the customer table (e.g. "segment" or "band"), or
   * one value per customer. Default: no strata (one stratum "all").
   */
  stratifyBy?: string | ArrayLike<string | number>;
  /**
   * Stratify by the combination of several columns of the customer table
   * (e.g. ["segment", "band"]: one stratum per segment × band); overrides `stratifyBy`.
   */
  stratifyColumns?: string[];
  /** Id column when `customers` is a Table (default "customer_id"). */
  idColumn?: string;
  /** Seed (default 42). */
  seed?: number;
}

/**
 * Assign customers to arms, seeded and stratified: inside each stratum the
 * customers are shuffled and dealt to arms by largest-remainder quotas of
 * the weights, so every stratum is split in the target proportions (±1).
 *
 * @param customers - a Table with an id column, or an array of ids
 * @param options - see {@link AssignArmsOptions}
 * @returns a Table `customer_id, stratum, arm` in input order
 * @example
 * const a = assignArms(customers, { stratifyBy: "segment", seed: 42 });
 * a.str("arm"); // ["treatment", "control", ...]
 */
export function assignArms(customers: Table | ArrayLike<string>, options: AssignArmsOptions = {}): Table {
  const arms = options.arms ?? ["control", "treatment"];
  if (arms.length < 2 || new Set(arms).size !== arms.length) optionError("arms", `need at least two distinct arm names, got ${JSON.stringify(arms)}`);
  const weights = options.weights ?? arms.map(() => 1);
  if (weights.length !== arms.length || weights.some((w) => !(w > 0))) optionError("weights", `need one positive weight per arm (${arms.length}), got ${JSON.stringify(weights)}`);
  const ids: string[] = customers instanceof Table ? customers.str(options.idColumn ?? "customer_id").slice() : Array.from(customers, String);
  const n = ids.length;
  let strata: string[];
  const sb = options.stratifyBy;
  if (options.stratifyColumns && options.stratifyColumns.length) {
    if (!(customers instanceof Table)) optionError("stratifyColumns", "column names need a Table of customers");
    const cols = options.stratifyColumns.map((c) => {
      if (!(customers as Table).has(c)) throw new CustlabError("E_MISSING_COLUMN", `no column "${c}" to stratify by (columns: ${(customers as Table).columnNames().join(", ")})`, { column: c });
      return (customers as Table).get(c);
    });
    strata = Array.from({ length: n }, (_, i) => cols.map((col) => String(col[i])).join(" | "));
  } else if (sb === undefined) strata = new Array(n).fill("all");
  else if (typeof sb === "string") {
    if (!(customers instanceof Table)) optionError("stratifyBy", `a column name needs a Table of customers; pass one value per customer instead`);
    const col = (customers as Table).get(sb);
    strata = Array.from({ length: n }, (_, i) => String(col[i]));
  } else {
    if (sb.length !== n) optionError("stratifyBy", `has ${sb.length} values for ${n} customers`);
    strata = Array.from(sb, String);
  }
  const rng = createRng(options.seed ?? 42);
  const byStratum = new Map<string, number[]>();
  strata.forEach((s, i) => { let l = byStratum.get(s); if (!l) byStratum.set(s, (l = [])); l.push(i); });
  const armOf = new Array<string>(n);
  const wsum = weights.reduce((a, b) => a + b, 0);
  for (const key of [...byStratum.keys()].sort()) {
    const members = rng.shuffle(byStratum.get(key)!.slice());
    const m = members.length;
    // Largest-remainder quotas, ties broken by a seeded arm order.
    const exact = weights.map((w) => (w / wsum) * m);
    const quota = exact.map(Math.floor);
    const order = rng.shuffle(arms.map((_, j) => j)).sort((x, y) => (exact[y] - quota[y]) - (exact[x] - quota[x]));
    let left = m - quota.reduce((a, b) => a + b, 0);
    for (const j of order) { if (left <= 0) break; quota[j]++; left--; }
    let k = 0;
    quota.forEach((q, j) => { for (let t = 0; t < q; t++) armOf[members[k++]] = arms[j]; });
  }
  return new Table({ customer_id: ids, stratum: strata, arm: armOf });
}

// ------------------------------------------------------------------ analysis

/** Options for {@link analyzeCampaign}. */
export interface AnalyzeCampaignOptions {
  /** Arm column (default "arm"). */
  arm?: string;
  /** 0/1 outcome column: converted / retained (default "converted"). */
  outcome?: string;
  /** Optional segment column for uplift by segment. */
  segment?: string;
  /** Name of the control arm (default "control"; else the first arm in sorted order). */
  control?: string;
  /** Significance level (default 0.05 → 95% intervals). */
  alpha?: number;
  /** Interval for the difference: "newcombe" (default, hybrid score) or "wald". */
  ciMethod?: "newcombe" | "wald";
  /** Planned end of the campaign (ISO date or epoch ms); analysing before it triggers the peeking warning. */
  plannedEnd?: string | number;
  /** When the analysis is made (ISO date or epoch ms; default now). */
  asOf?: string | number;
  /** Planned sample size per arm; fewer rows per arm triggers the peeking warning. */
  plannedPerArm?: number;
  /** Which interim look this is (1 = the final, pre-planned analysis). > 1 triggers the sequential-looks warning. */
  look?: number;
  /** Campaign id: repeated analyses of the same id in this process count as sequential looks. */
  campaignId?: string;
}

/** Conversion of one arm. */
export interface ArmSummary {
  arm: string;
  n: number;
  conversions: number;
  rate: number;
  /** Wilson score interval. */
  ci: [number, number];
}

/** Treatment vs control. */
export interface ArmComparison {
  arm: string;
  control: string;
  /** Absolute difference p_arm − p_control. */
  diff: number;
  diffCi: [number, number];
  /** Relative uplift p_arm / p_control − 1. */
  relativeUplift: number;
  /** Katz log interval for the relative uplift. */
  relativeCi: [number, number];
  /** Pooled two-proportion z statistic. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
  /** pValue < the (look-adjusted) alpha. */
  significant: boolean;
  /**
   * Achieved (observed-effect) power: the power of this test, at these arm
   * sizes and the unadjusted alpha, to detect a true difference equal to the
   * observed one ({@link power} with baseline = the control rate). A
   * description of the data, not evidence: it is a function of the p-value.
   */
  achievedPower: number;
}

/** Result of {@link analyzeCampaign}. */
export interface CampaignAnalysis {
  arms: ArmSummary[];
  comparisons: ArmComparison[];
  /** Per segment (when `segment` is given): arm summaries and comparisons. */
  bySegment: Array<{ segment: string; arms: ArmSummary[]; comparisons: ArmComparison[] }>;
  /** Peeking and data warnings, in plain words. */
  warnings: string[];
  /** Alpha the `significant` flags use (alpha / look for interim looks: Bonferroni, conservative). */
  alphaUsed: number;
  /** How the numbers were computed. */
  method: { armCi: string; diffCi: string; relativeCi: string; test: string; confidence: number };
}

const lookRegistry = new Map<string, number>();

function toMs(v: string | number, name: string): number {
  const ms = typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(ms)) optionError(name, `is not a date: ${JSON.stringify(v)}`);
  return ms;
}

function summarise(armCol: ArrayLike<string>, y: ArrayLike<number>, rows: number[], alpha: number): Map<string, ArmSummary> {
  const acc = new Map<string, { n: number; x: number }>();
  for (const i of rows) {
    const a = armCol[i];
    let s = acc.get(a);
    if (!s) acc.set(a, (s = { n: 0, x: 0 }));
    s.n++;
    s.x += y[i];
  }
  const out = new Map<string, ArmSummary>();
  for (const a of [...acc.keys()].sort()) {
    const s = acc.get(a)!;
    out.set(a, { arm: a, n: s.n, conversions: s.x, rate: s.x / s.n, ci: wilsonInterval(s.x, s.n, alpha) });
  }
  return out;
}

function compare(arms: Map<string, ArmSummary>, control: string, alpha: number, alphaUsed: number, method: "newcombe" | "wald"): ArmComparison[] {
  const c = arms.get(control);
  if (!c) return [];
  const out: ArmComparison[] = [];
  for (const a of arms.values()) {
    if (a.arm === control) continue;
    const { z, pValue } = twoProportionZTest(a.conversions, a.n, c.conversions, c.n);
    out.push({
      arm: a.arm, control,
      diff: a.rate - c.rate,
      diffCi: differenceInterval(a.conversions, a.n, c.conversions, c.n, alpha, method),
      relativeUplift: c.rate > 0 ? a.rate / c.rate - 1 : NaN,
      relativeCi: relativeUpliftInterval(a.conversions, a.n, c.conversions, c.n, alpha),
      z, pValue, significant: pValue < alphaUsed,
      achievedPower: c.rate > 0 && c.rate < 1 && a.rate > 0 && a.rate < 1 && a.rate !== c.rate
        ? power({ baseline: c.rate, uplift: a.rate - c.rate, alpha, ratio: a.n / c.n }, c.n) : NaN,
    });
  }
  return out;
}

/**
 * Analyse a campaign / A/B test on a 0/1 outcome: conversion per arm with
 * Wilson intervals, the absolute difference against control with Newcombe's
 * hybrid score interval (or Wald), the relative uplift with a Katz log
 * interval, a pooled two-proportion z-test, and the same by segment.
 *
 * Peeking: if the analysis is made before `plannedEnd`, with fewer rows than
 * `plannedPerArm`, as interim look `look > 1`, or repeatedly for the same
 * `campaignId`, a warning explains that stopping when p < α on repeated looks
 * inflates false positives, and `significant` uses α / look (Bonferroni — a
 * conservative stand-in for a proper alpha-spending plan).
 *
 * @param table - one row per customer with an arm column and a 0/1 outcome
 * @param options - see {@link AnalyzeCampaignOptions}
 * @returns see {@link CampaignAnalysis}
 * @example
 * const { table: t } = await loadTable(demoPath("campaign.csv"));
 * const r = analyzeCampaign(t, { arm: "arm", outcome: "converted", segment: "segment" });
 * r.comparisons[0].diff;    // absolute uplift, e.g. 0.037
 * r.comparisons[0].diffCi;  // 95% interval
 */
export function analyzeCampaign(table: Table, options: AnalyzeCampaignOptions = {}): CampaignAnalysis {
  const armName = options.arm ?? "arm";
  const outName = options.outcome ?? "converted";
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) optionError("alpha", `must be in (0, 1), got ${alpha}`);
  const method = options.ciMethod ?? "newcombe";
  if (method !== "newcombe" && method !== "wald") optionError("ciMethod", `must be "newcombe" or "wald", got "${method}"`);
  const armRaw = table.get(armName);
  const armCol: string[] = Array.from({ length: table.numRows }, (_, i) => String(armRaw[i]));
  const outRaw = table.get(outName);
  const y = new Float64Array(table.numRows);
  const rows: number[] = [];
  let skipped = 0;
  for (let i = 0; i < table.numRows; i++) {
    const v = typeof outRaw[i] === "number" ? (outRaw[i] as number) : Number(outRaw[i]);
    if (armCol[i] === "" || !(v === 0 || v === 1)) {
      if (!(Number.isNaN(v) || armCol[i] === "") && !(v === 0 || v === 1)) {
        throw new CustlabError("E_VALUE", `outcome must be 0 or 1, got ${JSON.stringify(outRaw[i])}`, { line: i + 2, column: outName });
      }
      skipped++;
      continue;
    }
    y[i] = v;
    rows.push(i);
  }
  const warnings: string[] = [];
  if (skipped) warnings.push(`${skipped} rows without an arm or outcome were left out.`);
  const arms = summarise(armCol, y, rows, alpha);
  if (arms.size < 2) throw new CustlabError("E_VALUE", `need at least two arms in column "${armName}", found ${[...arms.keys()].join(", ") || "none"}`, { column: armName });
  const control = options.control ?? (arms.has("control") ? "control" : [...arms.keys()][0]);
  if (!arms.has(control)) optionError("control", `arm "${control}" not found (arms: ${[...arms.keys()].join(", ")})`);

  // Peeking / sequential looks.
  let look = options.look ?? 1;
  if (options.campaignId !== undefined) {
    const seen = (lookRegistry.get(options.campaignId) ?? 0) + 1;
    lookRegistry.set(options.campaignId, seen);
    look = Math.max(look, seen);
  }
  const unfinished: string[] = [];
  if (options.plannedEnd !== undefined) {
    const end = toMs(options.plannedEnd, "plannedEnd");
    const asOf = options.asOf !== undefined ? toMs(options.asOf, "asOf") : Date.now();
    if (asOf < end) unfinished.push(`the campaign runs until ${isoDay(end)}`);
  }
  if (options.plannedPerArm !== undefined) {
    const smallest = Math.min(...[...arms.values()].map((a) => a.n));
    if (smallest < options.plannedPerArm) unfinished.push(`the smallest arm has ${smallest} of the planned ${options.plannedPerArm} customers`);
  }
  if (unfinished.length) look = Math.max(look, 2);
  const alphaUsed = look > 1 ? alpha / look : alpha;
  if (unfinished.length || look > 1) {
    warnings.push(
      `Peeking: this is look ${look} at an unfinished or repeatedly analysed campaign${unfinished.length ? ` (${unfinished.join("; ")})` : ""}. ` +
      `Stopping as soon as p < ${alpha} on repeated looks inflates the false-positive rate well above ${alpha}; ` +
      `decide on the pre-planned sample size, or use an alpha-spending plan. Significance here uses alpha/${look} = ${+(alphaUsed).toPrecision(3)} (Bonferroni, conservative).`,
    );
  }
  for (const a of arms.values()) {
    if (a.conversions < 5 || a.n - a.conversions < 5) warnings.push(`Arm "${a.arm}" has fewer than 5 ${a.conversions < 5 ? "conversions" : "non-conversions"}: the z-test is approximate; rely on the score intervals.`);
  }

  const bySegment: CampaignAnalysis["bySegment"] = [];
  if (options.segment !== undefined) {
    const segRaw = table.get(options.segment);
    const groups = new Map<string, number[]>();
    for (const i of rows) { const s = String(segRaw[i]); let g = groups.get(s); if (!g) groups.set(s, (g = [])); g.push(i); }
    for (const s of [...groups.keys()].sort()) {
      const sa = summarise(armCol, y, groups.get(s)!, alpha);
      bySegment.push({ segment: s, arms: [...sa.values()], comparisons: compare(sa, control, alpha, alphaUsed, method) });
    }
  }
  return {
    arms: [...arms.values()],
    comparisons: compare(arms, control, alpha, alphaUsed, method),
    bySegment,
    warnings,
    alphaUsed,
    method: {
      armCi: "Wilson score interval",
      diffCi: method === "newcombe" ? "Newcombe hybrid score interval (1998, method 10)" : "Wald interval",
      relativeCi: "Katz log interval for the risk ratio, minus 1",
      test: "pooled two-proportion z-test, two-sided",
      confidence: 1 - alpha,
    },
  };
}

// ------------------------------------------------------------------ planning

/** Options for {@link sampleSize} and {@link power}. */
export interface SampleSizeOptions {
  /** Control conversion rate p₀ (0..1). */
  baseline: number;
  /** Absolute uplift to detect, δ = p₁ − p₀ (e.g. 0.02). */
  uplift: number;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Target power (default 0.8); {@link sampleSize} only. */
  power?: number;
  /** Treatment size / control size (default 1). */
  ratio?: number;
}

/** Result of {@link sampleSize}. */
export interface SampleSizeResult {
  /** Customers needed in the control arm. */
  control: number;
  /** Customers needed in the treatment arm. */
  treatment: number;
  /** Per arm when ratio = 1 (= control). */
  perArm: number;
  total: number;
  /** Formula used. */
  formula: string;
}

function checkRates(o: SampleSizeOptions): { p0: number; p1: number; alpha: number; k: number } {
  const p0 = o.baseline, p1 = o.baseline + o.uplift;
  if (!(p0 > 0 && p0 < 1)) optionError("baseline", `must be in (0, 1), got ${p0}`);
  if (!(o.uplift !== 0 && p1 > 0 && p1 < 1)) optionError("uplift", `must be non-zero with baseline + uplift in (0, 1), got ${o.uplift}`);
  const alpha = o.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) optionError("alpha", `must be in (0, 1), got ${alpha}`);
  const k = o.ratio ?? 1;
  if (!(k > 0)) optionError("ratio", `must be positive, got ${k}`);
  return { p0, p1, alpha, k };
}

/**
 * Customers per arm to detect an absolute uplift with a two-sided
 * two-proportion z-test (Fleiss' formula without continuity correction, as
 * in most A/B calculators and `statsmodels`' normal approximation with the
 * pooled variance under H₀):
 *
 * n₀ = [z₁₋α/₂·√(p̄q̄(1 + 1/k)) + z₁₋β·√(p₀q₀ + p₁q₁/k)]² / δ², n₁ = k·n₀,
 * p̄ = (p₀ + k·p₁)/(1 + k), rounded up.
 *
 * @example
 * sampleSize({ baseline: 0.10, uplift: 0.02, alpha: 0.05, power: 0.8 }).perArm; // 3841
 */
export function sampleSize(options: SampleSizeOptions): SampleSizeResult {
  const { p0, p1, alpha, k } = checkRates(options);
  const pw = options.power ?? 0.8;
  if (!(pw > 0 && pw < 1)) optionError("power", `must be in (0, 1), got ${pw}`);
  const za = experimentNormalQuantile(1 - alpha / 2), zb = experimentNormalQuantile(pw);
  const pbar = (p0 + k * p1) / (1 + k);
  const d = p1 - p0;
  const n0 = (za * Math.sqrt(pbar * (1 - pbar) * (1 + 1 / k)) + zb * Math.sqrt(p0 * (1 - p0) + (p1 * (1 - p1)) / k)) ** 2 / (d * d);
  const control = Math.ceil(n0 - 1e-9);
  const treatment = Math.ceil(k * n0 - 1e-9);
  return { control, treatment, perArm: control, total: control + treatment, formula: "two-sided two-proportion z-test, pooled variance under H0, no continuity correction" };
}

/**
 * Power of the two-sided two-proportion z-test for a given control-arm size
 * (treatment = ratio × n): the inverse of {@link sampleSize},
 * Φ((|δ|·√n₀ − z₁₋α/₂·√(p̄q̄(1 + 1/k))) / √(p₀q₀ + p₁q₁/k)).
 *
 * @param options - baseline, uplift, alpha, ratio (see {@link SampleSizeOptions})
 * @param n - customers in the control arm
 * @example
 * power({ baseline: 0.10, uplift: 0.02 }, 3841); // ≈ 0.80
 */
export function power(options: SampleSizeOptions, n: number): number {
  const { p0, p1, alpha, k } = checkRates(options);
  if (!(n > 0)) optionError("n", `must be positive, got ${n}`);
  const za = experimentNormalQuantile(1 - alpha / 2);
  const pbar = (p0 + k * p1) / (1 + k);
  const d = Math.abs(p1 - p0);
  return experimentNormalCdf((d * Math.sqrt(n) - za * Math.sqrt(pbar * (1 - pbar) * (1 + 1 / k))) / Math.sqrt(p0 * (1 - p0) + (p1 * (1 - p1)) / k));
}

// ------------------------------------------------------------------ figure

/**
 * Conversion per arm with confidence-interval error bars (plotly bar chart);
 * with a by-segment analysis, one group of bars per segment.
 * @example
 * const fig = campaignFigure(analyzeCampaign(t, { segment: "segment" }));
 */
export function campaignFigure(result: CampaignAnalysis, options: { title?: string; bySegment?: boolean } = {}): Figure {
  const conf = Math.round(result.method.confidence * 100);
  const useSeg = (options.bySegment ?? result.bySegment.length > 0) && result.bySegment.length > 0;
  const armNames = result.arms.map((a) => a.arm);
  const data = armNames.map((arm) => {
    const pts = useSeg
      ? result.bySegment.map((s) => ({ x: s.segment, a: s.arms.find((q) => q.arm === arm) }))
      : [{ x: arm, a: result.arms.find((q) => q.arm === arm) }];
    const y = pts.map((p) => (p.a ? p.a.rate : null));
    return {
      type: "bar", name: arm,
      x: pts.map((p) => p.x), y,
      error_y: {
        type: "data", symmetric: false,
        array: pts.map((p) => (p.a ? p.a.ci[1] - p.a.rate : null)),
        arrayminus: pts.map((p) => (p.a ? p.a.rate - p.a.ci[0] : null)),
      },
      text: pts.map((p) => (p.a ? `${p.a.conversions}/${p.a.n}` : "")),
      hovertemplate: `%{x}<br>${arm}: %{y:.1%} (%{text})<extra></extra>`,
    };
  });
  const c = result.comparisons[0];
  const sub = c ? `${c.arm} − ${c.control}: ${(c.diff * 100).toFixed(1)} pts [${(c.diffCi[0] * 100).toFixed(1)}, ${(c.diffCi[1] * 100).toFixed(1)}], p = ${c.pValue.toPrecision(2)}` : "";
  return {
    data,
    layout: {
      title: { text: `${options.title ?? "Conversion per arm"} (${conf}% CI)${sub ? `<br><sub>${sub}</sub>` : ""}` },
      barmode: "group",
      yaxis: { title: { text: "conversion rate" }, tickformat: ".0%", rangemode: "tozero" },
      xaxis: { title: { text: useSeg ? "segment" : "arm" } },
    },
  };
}

// ------------------------------------------------------------------ table

/**
 * The analysis as one table for reports and notebooks: a row per
 * (segment, arm), overall rows first (segment "all"); arm rows carry the
 * comparison with control (empty for the control arm).
 * Columns: segment, arm, n, conversions, rate, ci_low, ci_high, diff, diff_ci_low,
 * diff_ci_high, relative_uplift, p_value.
 * @example
 * campaignTable(analyzeCampaign(t, { segment: "segment" })).toHTML();
 */
export function campaignTable(result: CampaignAnalysis): Table {
  const groups: Array<{ segment: string; arms: ArmSummary[]; comparisons: ArmComparison[] }> = [
    { segment: "all", arms: result.arms, comparisons: result.comparisons },
    ...result.bySegment,
  ];
  const cols: Record<string, (string | number)[]> = {
    segment: [], arm: [], n: [], conversions: [], rate: [], ci_low: [], ci_high: [], diff: [], diff_ci_low: [], diff_ci_high: [], relative_uplift: [], p_value: [],
  };
  for (const g of groups) {
    for (const a of g.arms) {
      const c = g.comparisons.find((x) => x.arm === a.arm);
      cols.segment.push(g.segment); cols.arm.push(a.arm); cols.n.push(a.n); cols.conversions.push(a.conversions);
      cols.rate.push(a.rate); cols.ci_low.push(a.ci[0]); cols.ci_high.push(a.ci[1]);
      cols.diff.push(c ? c.diff : NaN); cols.diff_ci_low.push(c ? c.diffCi[0] : NaN); cols.diff_ci_high.push(c ? c.diffCi[1] : NaN);
      cols.relative_uplift.push(c ? c.relativeUplift : NaN); cols.p_value.push(c ? c.pValue : NaN);
    }
  }
  const out: Record<string, string[] | Float64Array> = {};
  for (const [k, v] of Object.entries(cols)) out[k] = k === "segment" || k === "arm" ? (v as string[]) : Float64Array.from(v as number[]);
  return new Table(out);
}
