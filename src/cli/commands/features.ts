import { parseDateOption } from "../../io/parse";
import { parseArgs, printJSON, strOpt, numOpt, quarantineNote } from "../args";
import { CustlabError } from "../../util/errors";
import { checkOutputs, writeFileAtomic } from "../../util/output";
import { ENGINE_OPTION_SPEC, ENGINE_OPTION_USAGE, openEngineOrders } from "../engine-options";
import { writeParquet, closeSql } from "../../engine";
import type { Table } from "../../table";
import { DAY_MS } from "../../util/numeric";

export const usage = `custlab features <file> --format <adapter> --cutoff <date> [--horizon <days>]
                 [--engine memory|duckdb|clickhouse://host:port/db] [--table <name>]
                 [--out <file.csv|file.parquet>] [--json]

The customer feature table at a cutoff (one row per customer with a purchase
before it; only rows before the cutoff are read): recency, tenure, frequency,
monetary, order value, inter-purchase times, trailing-window orders and spend,
spend trend, basket size, product diversity, return rate, weekend and Q4
shares, country and channel. With --horizon, and when the data reaches
cutoff + horizon, the churn labels are added (churn, purchase_in_h,
future_orders, future_spend, past_orders, customer_class, class_code).
Every engine gives the same table (DuckDB bit-identical to memory).

Options:
  --format <name>       adapter (default custlab)
  --cutoff <date>       cutoff (ISO date, UTC), required
  --horizon <days>      label horizon in days (labels only when outcomes are known)
  --windows <list>      trailing windows in days (default 30,90,180,365)
  --out <file>          write the table (.csv, or .parquet through DuckDB)
  --quarantine <file>   write every quarantined input row
${ENGINE_OPTION_USAGE}
  --json                one JSON object on stdout`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", cutoff: "string", horizon: "string", windows: "string", out: "string", quarantine: "string", json: "boolean", ...ENGINE_OPTION_SPEC,
  });
  const file = positionals[0];
  const cutoffStr = strOpt(options, "cutoff");
  if (!cutoffStr) throw new CustlabError("E_USAGE", "custlab features: --cutoff <date> is required (e.g. --cutoff 2011-09-09)");
  const cutoff = parseDateOption(cutoffStr, "cutoff");
  const horizon = options.horizon === undefined ? undefined : numOpt(options, "horizon", 90);
  if (horizon !== undefined && !(Number.isInteger(horizon) && horizon > 0)) throw new CustlabError("E_USAGE", `--horizon must be a whole number of days > 0, got "${options.horizon}"`);
  const windows = strOpt(options, "windows")?.split(",").map((w) => Number(w.trim()));
  if (windows && windows.some((w) => !(Number.isInteger(w) && w > 0))) throw new CustlabError("E_USAGE", `--windows must be whole numbers of days > 0, e.g. 30,90,365; got "${options.windows}"`);
  const out = strOpt(options, "out");
  if (out && !/\.(csv|parquet)$/i.test(out)) throw new CustlabError("E_USAGE", `--out must end in .csv or .parquet, got "${out}"`);
  checkOutputs({ inputs: [file], files: { "--out": out, "--quarantine": strOpt(options, "quarantine") } });
  const t0 = Date.now();
  const { engine, report, source } = await openEngineOrders(options, file, { format: strOpt(options, "format", "custlab"), quarantineFile: strOpt(options, "quarantine") });
  try {
    let table: Table = await engine.features({ cutoff, windows });
    let labels = false, labelsNote: string | undefined;
    if (horizon !== undefined) {
      const q = await engine.quality();
      if (q.date_max >= cutoff + horizon * DAY_MS) {
        const y = await engine.labels(table, { cutoff, horizonDays: horizon });
        const cols: Record<string, ReturnType<Table["get"]>> = {};
        for (const c of y.columnNames()) if (c !== "customer_id") cols[c] = y.get(c);
        table = table.assign(cols, Object.fromEntries(y.columnNames().map((c) => [c, y.kind(c)])));
        labels = true;
      } else labelsNote = `labels left out: the data ends ${new Date(q.date_max).toISOString()}, before cutoff + ${horizon} days (outcomes unknown)`;
    }
    if (out) {
      if (/\.parquet$/i.test(out)) { await writeParquet(table, out); await closeSql(); } else {
        writeFileAtomic(out, table.toCSV(), "the feature table");
      }
    }
    const result = {
      command: "features", engine: engine.describe(), source, format: strOpt(options, "format", "custlab"),
      cutoff: new Date(cutoff).toISOString(), horizon_days: horizon ?? null, labels, labels_note: labelsNote,
      input: report ? { rows_in: report.rows_in, accepted: report.accepted, quarantined: report.quarantined, reasons: report.reasons } : null,
      customers: table.numRows, columns: table.columnNames(), out: out ?? null, elapsed_ms: Date.now() - t0,
    };
    if (report && report.quarantined > 0 && !options.json) process.stderr.write(quarantineNote(report.quarantined, report.reasons));
    if (options.json) printJSON(result);
    else {
      process.stdout.write(`${table.numRows} customers × ${table.numCols} columns at ${cutoffStr} (engine ${engine.describe()})${labels ? ", with labels" : ""}${out ? ` → ${out}` : ""}\n`);
      if (labelsNote) process.stdout.write(labelsNote + "\n");
      if (!out) process.stdout.write(table.head(10).toMarkdown() + "\n");
    }
    return 0;
  } finally {
    await engine.close();
  }
}
