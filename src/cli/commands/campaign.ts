import * as fs from "fs";
import { parseArgs, printJSON, numOpt, strOpt, checkedNumOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { loadTable } from "../../io/adapters";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { assignArms, analyzeCampaign, sampleSize, power } from "../../experiments/campaign";

export const usage = `custlab campaign size --base <p0> --uplift <delta> [--power 0.8] [--alpha 0.05] [--ratio 1] [--json]
custlab campaign assign <customers.csv> [--arms control,treatment] [--weights 1,1] [--stratify segment,band]
                        [--id customer_id] [--seed 42] [--out assignments.csv] [--json]
custlab campaign analyze <outcomes.csv> [--arm arm] [--outcome converted] [--segment segment] [--control control]
                         [--alpha 0.05] [--ci newcombe|wald] [--planned-per-arm n] [--planned-end YYYY-MM-DD]
                         [--as-of YYYY-MM-DD] [--look k] [--json]

A/B tests of retention actions, from real files.
  size     customers per arm for a two-sided two-proportion z-test (pooled variance
           under H0, no continuity correction): --base 0.1 --uplift 0.02 --power 0.8
           gives per_arm 3841.
  assign   seeded assignment of every customer to an arm; with --stratify, inside
           every combination of the named columns separately (largest-remainder
           quotas of --weights). Writes customer_id,stratum,arm (--out, or stdout).
  analyze  one row per customer with an arm and a 0/1 outcome: rate per arm (Wilson
           interval), difference and relative uplift with intervals, the pooled
           two-proportion z-test, the achieved power, uplift by segment, and the
           peeking warning (an unfinished campaign or a repeated look: stopping as soon
           as p < alpha inflates false positives).
${READING_USAGE}`;

const list = (v: string | undefined): string[] | undefined => v?.split(",").map((s) => s.trim()).filter(Boolean);

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "size") return size(rest);
  if (sub === "assign") return assign(rest);
  if (sub === "analyze" || sub === "analyse") return analyze(rest);
  // An option before the action: the shared parser's one line ("unknown option --x (did you mean …)").
  if (sub?.startsWith("-")) parseArgs(argv, { json: "boolean" });
  throw new CustlabError("E_USAGE", `custlab campaign: expected size, assign or analyze${sub ? `, got "${sub}"` : ""} (custlab campaign --help)`);
}

async function size(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { base: "string", uplift: "string", power: "string", alpha: "string", ratio: "string", json: "boolean" });
  if (positionals.length) throw new CustlabError("E_USAGE", `custlab campaign size takes no file (got "${positionals[0]}")`);
  if (options.base === undefined || options.uplift === undefined) throw new CustlabError("E_USAGE", "custlab campaign size needs --base <rate> and --uplift <absolute difference>");
  const o = {
    baseline: checkedNumOpt(options, "base", NaN, { above: 0, max: 1 }), uplift: numOpt(options, "uplift", NaN),
    power: checkedNumOpt(options, "power", 0.8, { above: 0, max: 1 }), alpha: checkedNumOpt(options, "alpha", 0.05, { above: 0, max: 1 }),
    ratio: checkedNumOpt(options, "ratio", 1, { above: 0 }),
  };
  const s = sampleSize(o);
  const out = {
    per_arm: s.perArm, control: s.control, treatment: s.treatment, total: s.total,
    baseline: o.baseline, uplift: o.uplift, target_rate: o.baseline + o.uplift, alpha: o.alpha, power: o.power, ratio: o.ratio,
    achieved_power: power(o, s.control), sided: "two-sided", formula: s.formula,
  };
  if (options.json) printJSON(out);
  else process.stdout.write(`${s.perArm} customers per arm (${s.control} control, ${s.treatment} treatment; ${s.total} in total) to detect ${o.baseline} → ${o.baseline + o.uplift} with power ${o.power} at alpha ${o.alpha} (two-sided)\n`);
  return 0;
}

async function assign(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { arms: "string", weights: "string", stratify: "string", id: "string", seed: "string", out: "string", json: "boolean", ...READING_SPEC });
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab campaign assign: missing <customers.csv>");
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "file not found", { file });
  const out = strOpt(options, "out");
  checkOutputs({ inputs: [file], files: { "--out": out } });
  const reading = readingOptions(options);
  const idCol = strOpt(options, "id", "customer_id")!;
  const { table, report } = await loadTable(file, { ...reading, types: { [idCol]: "text" } }).catch((e) => {
    if (e instanceof CustlabError && e.code === "E_MISSING_COLUMN") throw new CustlabError("E_MISSING_COLUMN", `option --id: no column "${idCol}" (use --id to name the customer id column)`, { file, column: idCol });
    throw e;
  });
  const arms = list(strOpt(options, "arms")) ?? ["control", "treatment"];
  const weights = list(strOpt(options, "weights"))?.map(Number);
  const stratify = list(strOpt(options, "stratify"));
  for (const c of stratify ?? []) if (!table.has(c)) throw new CustlabError("E_MISSING_COLUMN", `option --stratify: no column "${c}" (columns: ${table.columnNames().join(", ")})`, { file, column: c });
  const seed = checkedNumOpt(options, "seed", 42, { integer: true });
  const a = assignArms(table, { arms, weights, stratifyColumns: stratify, idColumn: idCol, seed });
  const csv = a.toCSV();
  if (out) writeFileAtomic(out, csv, "the assignments");
  const strata = new Map<string, Record<string, number>>();
  const st = a.str("stratum"), arm = a.str("arm");
  for (let i = 0; i < a.numRows; i++) { let r = strata.get(st[i]); if (!r) strata.set(st[i], (r = Object.fromEntries(arms.map((x) => [x, 0])))); r[arm[i]]++; }
  const counts = Object.fromEntries(arms.map((x) => [x, arm.filter((v) => v === x).length]));
  if (options.json) {
    printJSON({
      input: reportInput(report, reading), customers: a.numRows, quarantined_rows: report.quarantined, arms, weights: weights ?? arms.map(() => 1),
      stratify: stratify ?? [], seed, counts, strata: [...strata.entries()].sort().map(([stratum, c]) => ({ stratum, ...c })), out: out ?? null,
    });
  } else if (!out) process.stdout.write(csv);
  else process.stdout.write(`${a.numRows} customers assigned (${arms.map((x) => `${x} ${counts[x]}`).join(", ")}) in ${strata.size} strata → ${out}\n`);
  return 0;
}

async function analyze(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    arm: "string", outcome: "string", segment: "string", control: "string", alpha: "string", ci: "string",
    "planned-per-arm": "string", "planned-end": "string", "as-of": "string", look: "string", json: "boolean", ...READING_SPEC,
  });
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab campaign analyze: missing <outcomes.csv>");
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "file not found", { file });
  const reading = readingOptions(options);
  const armCol = strOpt(options, "arm", "arm")!, outCol = strOpt(options, "outcome", "converted")!, segCol = strOpt(options, "segment");
  const { table, report } = await loadTable(file, reading);
  for (const c of [armCol, outCol, ...(segCol ? [segCol] : [])]) {
    if (!table.has(c)) throw new CustlabError("E_MISSING_COLUMN", `no column "${c}" (columns: ${table.columnNames().join(", ")}); name it with --${c === armCol ? "arm" : c === outCol ? "outcome" : "segment"}`, { file, column: c });
  }
  const ci = strOpt(options, "ci", "newcombe");
  if (ci !== "newcombe" && ci !== "wald") throw new CustlabError("E_USAGE", `option --ci must be newcombe or wald, got "${ci}"`);
  let r: ReturnType<typeof analyzeCampaign>;
  try {
    r = analyzeCampaign(table, {
      arm: armCol, outcome: outCol, segment: segCol, control: strOpt(options, "control"), alpha: checkedNumOpt(options, "alpha", 0.05, { above: 0, max: 1 }), ciMethod: ci,
      plannedPerArm: options["planned-per-arm"] !== undefined ? checkedNumOpt(options, "planned-per-arm", 0, { above: 0, integer: true }) : undefined,
      plannedEnd: strOpt(options, "planned-end"), asOf: strOpt(options, "as-of"),
      look: options.look !== undefined ? checkedNumOpt(options, "look", 1, { min: 1, integer: true }) : undefined,
    });
  } catch (e) {
    // Name the file on row-level errors of the analysis.
    if (e instanceof CustlabError && !e.file) throw new CustlabError(e.code, e.message.replace(/^(line \d+, )?(column [^:]*: )?/, ""), { file, line: e.line, column: e.column });
    throw e;
  }
  const peeking = "Decide the sample size before the campaign (custlab campaign size) and analyse once at the end: checking repeatedly and stopping when p < alpha inflates the false-positive rate.";
  const comp = (c: (typeof r.comparisons)[number]) => ({
    arm: c.arm, control: c.control, diff: c.diff, diff_ci: c.diffCi, relative_uplift: c.relativeUplift, relative_ci: c.relativeCi,
    z: c.z, p_value: c.pValue, significant: c.significant, achieved_power: c.achievedPower,
  });
  const arm = (a: (typeof r.arms)[number]) => ({ arm: a.arm, n: a.n, conversions: a.conversions, rate: a.rate, ci: a.ci });
  const out = {
    input: reportInput(report, reading), rows: table.numRows, quarantined_rows: report.quarantined,
    arms: r.arms.map(arm), comparisons: r.comparisons.map(comp),
    by_segment: r.bySegment.map((s) => ({ segment: s.segment, arms: s.arms.map(arm), comparisons: s.comparisons.map(comp) })),
    alpha_used: r.alphaUsed, warnings: r.warnings, peeking, method: r.method,
  };
  if (options.json) { printJSON(out); return 0; }
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  for (const a of r.arms) process.stdout.write(`${a.arm}: ${a.conversions}/${a.n} = ${pct(a.rate)} [${pct(a.ci[0])}, ${pct(a.ci[1])}]\n`);
  for (const c of r.comparisons) {
    process.stdout.write(`${c.arm} − ${c.control}: ${(100 * c.diff).toFixed(2)} pts [${(100 * c.diffCi[0]).toFixed(2)}, ${(100 * c.diffCi[1]).toFixed(2)}], relative ${pct(c.relativeUplift)} [${pct(c.relativeCi[0])}, ${pct(c.relativeCi[1])}], z = ${c.z.toFixed(3)}, p = ${c.pValue.toPrecision(3)}${c.significant ? " (significant)" : ""}, achieved power ${c.achievedPower.toFixed(3)}\n`);
  }
  for (const s of r.bySegment) for (const c of s.comparisons) process.stdout.write(`  ${s.segment}: ${(100 * c.diff).toFixed(2)} pts [${(100 * c.diffCi[0]).toFixed(2)}, ${(100 * c.diffCi[1]).toFixed(2)}], p = ${c.pValue.toPrecision(3)}\n`);
  for (const w of r.warnings) process.stderr.write(`custlab campaign: warning: ${w}\n`);
  process.stdout.write(`${peeking}\n`);
  return 0;
}
