import * as fs from "fs";
import { parseArgs, printJSON, strOpt, checkedNumOpt } from "../args";
import { parseDateOption } from "../../io/parse";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { CustlabError } from "../../util/errors";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { consoleProgress } from "../../util/progress";
import { loadTable, loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { churnTransactions, loadChurnModel } from "../../churn";
import { readActions, recommendActions } from "../../policy/actions";

export const usage = `custlab actions <transactions> --format <adapter> --model <registry>[@<version>|@champion|@latest][:<name>]
        --actions <actions.json> --out <actions.csv> [--customers <attributes.csv> [--segment-column segment]]
        [--at-risk high|medium|all] [--high 0.6 --medium 0.3] [--as-of YYYY-MM-DD] [--currency £] [--json]

Next-best action for every at-risk customer. Scores every eligible customer
with the registered churn model (as custlab score does), keeps the at-risk
ones (--at-risk: the high band by default), and picks for each the action of
actions.json with the largest expected value
  P(churn) × save_rate(action, segment) × value − cost
(value = expected spend over 365 days if the customer stays: BG/NBD × Gamma-Gamma
CLV ÷ P(alive); "no action" is worth 0, so an action is only
proposed when it pays for itself). Cross-sell bundles come from the
customer's own baskets (the strongest association rule that fires, else
item-based CF). Writes one row per at-risk customer with the action, its
expected value, the runner-up and the reason in plain words.

actions.json: [{ "id": "discount", "kind": "discount", "cost": 5,
  "uplift": 0.3 | { "loyal": 0.6, "*": 0.2 },
  "eligibility": { "segments": [...], "bands": [...], "minValue": 50, "maxValue": …, "minChurnProbability": … } }, …]
"uplift" is the save rate: the share of would-be churners the action keeps
(per segment needs --customers with a segment column).
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", model: "string", name: "string", actions: "string", out: "string", customers: "string", "segment-column": "string",
    "at-risk": "string", high: "string", medium: "string", "as-of": "string", currency: "string", json: "boolean", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab actions needs a transactions file (see --help)");
  if (!fs.existsSync(file)) throw new CustlabError("E_FILE", "file not found", { file });
  const spec = strOpt(options, "model");
  if (!spec) throw new CustlabError("E_USAGE", "custlab actions needs --model <registry>[@<version>|@champion]");
  const actionsFile = strOpt(options, "actions");
  if (!actionsFile) throw new CustlabError("E_USAGE", "custlab actions needs --actions <actions.json>");
  const out = strOpt(options, "out");
  if (!out) throw new CustlabError("E_USAGE", "custlab actions needs --out <actions.csv>");
  const customersFile = strOpt(options, "customers");
  checkOutputs({ inputs: [file, actionsFile, ...(customersFile ? [customersFile] : [])], files: { "--out": out } });
  const atRisk = strOpt(options, "at-risk", "high")!;
  if (!["high", "medium", "all"].includes(atRisk)) throw new CustlabError("E_USAGE", `option --at-risk must be high, medium or all, got "${atRisk}"`);
  const high = checkedNumOpt(options, "high", 0.6, { min: 0, max: 1 }), medium = checkedNumOpt(options, "medium", 0.3, { min: 0, max: 1 });
  const asOf = options["as-of"] !== undefined ? parseDateOption(String(options["as-of"]), "as-of") : undefined;
  const actions = readActions(actionsFile); // a bad actions.json fails before the data is read
  const lm = loadChurnModel(spec, strOpt(options, "name"));
  let customers;
  if (customersFile) {
    if (!fs.existsSync(customersFile)) throw new CustlabError("E_FILE", "file not found", { file: customersFile });
    customers = (await loadTable(customersFile, { types: { customer_id: "text" } })).table;
    const col = strOpt(options, "segment-column", "segment")!;
    if (!customers.has(col)) throw new CustlabError("E_MISSING_COLUMN", `no column "${col}" (columns: ${customers.columnNames().join(", ")}); name it with --segment-column`, { file: customersFile, column: col });
  }
  const progress = options.json ? undefined : consoleProgress();
  const t0 = Date.now();
  const loaded = await loadTransactions(file, { ...reading, format: (strOpt(options, "format", reading.map ? "transactions" : "custlab") as any) });
  const tx = churnTransactions(cleanTransactions(loaded.table).table);
  const r = recommendActions(tx, lm, actions, {
    asOf, bands: { by: "probability", high, medium }, atRisk: atRisk as "high" | "medium" | "all", customers, segmentColumn: strOpt(options, "segment-column"),
    currency: strOpt(options, "currency"), onProgress: progress,
  });
  writeFileAtomic(out, r.table.toCSV(), "--out");
  const summary = {
    out, rows: r.table.numRows, columns: r.table.columnNames(), as_of: r.score.asOf, horizon_days: r.score.horizonDays,
    scored: r.counts.scored, at_risk: r.counts.atRisk, at_risk_rule: atRisk === "all" ? "every scored customer" : `band ${atRisk === "high" ? "high" : "medium or high"} (${r.score.bandRule})`,
    by_action: r.counts.byAction, expected_value_total: r.expectedValue, rule: r.rule,
    actions: actions.map((a) => ({ id: a.id, kind: a.kind, cost: a.cost })), value_rule: r.score.valueRule, eligibility: r.score.eligibility,
    model: { registry: spec, ...r.score.model }, input: reportInput(loaded.report, reading), seconds: (Date.now() - t0) / 1000,
  };
  if (options.json) printJSON(summary);
  else process.stdout.write(`${r.counts.atRisk} at-risk customers of ${r.counts.scored} scored as of ${r.score.asOf}: ${Object.entries(r.counts.byAction).map(([a, k]) => `${a} ${k}`).join(", ")}; expected value ${r.expectedValue.toFixed(0)}; written to ${out}\n`);
  return 0;
}
