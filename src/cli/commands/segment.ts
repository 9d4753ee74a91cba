import { parseArgs, numOpt, strOpt, printJSON } from "../args";
import { loadTransactions, TRANSACTION_FORMATS } from "../../io";
import { purchases } from "../../clean";
import { segmentCustomers } from "../../segment/segment";
import { trackSegments, topMigrations } from "../../segment/dynamic";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { Table } from "../../table";
import { ENGINE_OPTION_SPEC, ENGINE_OPTION_USAGE, openEngineOrders } from "../engine-options";

export const usage = `custlab segment <transactions> [--format custlab|online-retail|...] [--k <n>|auto] [--seed 42]
                 [--n-init 10] [--features rfm-aov|rfm] [--windows monthly|quarterly] [--psi-threshold 0.25] [--json]

Customer segmentation from raw orders: load through the adapter, clean
(duplicates, cancellations, missing ids, zero prices dropped), per-customer
features (log1p recency/frequency/monetary [+ average order value], standard
scaled), k-means (k chosen by silhouette over 2..8 with --k auto), personas.
--windows adds dynamic re-segmentation: the same customers segmented at each
month/quarter end with only the data up to it, segments matched across periods
(Hungarian on centre distance), migration matrices, PSI per feature and for
segment shares, and drift flags (PSI > threshold ⇒ re-cluster).
On --engine duckdb or clickhouse://… the per-customer RFM is computed there
(same table as memory) and only customer rows come back; --windows needs the
memory engine.
${ENGINE_OPTION_USAGE}
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", k: "string", seed: "string", "n-init": "string", features: "string", windows: "string", "psi-threshold": "string", json: "boolean", quiet: "boolean", ...READING_SPEC, ...ENGINE_OPTION_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file && !options.table) throw new CustlabError("E_USAGE", "missing <transactions> file");
  const format = strOpt(options, "format", reading.map ? "transactions" : "custlab")!;
  if (!(TRANSACTION_FORMATS as readonly string[]).includes(format)) throw new CustlabError("E_USAGE", `option --format: unknown adapter "${format}" (choose one of: ${TRANSACTION_FORMATS.join(", ")})`);
  const kOpt = strOpt(options, "k", "auto")!;
  const k: number | "auto" = kOpt === "auto" ? "auto" : Number(kOpt);
  if (k !== "auto" && (!Number.isInteger(k) || k < 2)) throw new CustlabError("E_USAGE", `option --k must be an integer ≥ 2 or "auto", got "${kOpt}"`);
  const seed = numOpt(options, "seed", 42), nInit = numOpt(options, "n-init", 10);
  const features = strOpt(options, "features", "rfm-aov") as "rfm" | "rfm-aov";
  const windows = strOpt(options, "windows");
  if (windows !== undefined && windows !== "monthly" && windows !== "quarterly") throw new CustlabError("E_USAGE", `option --windows must be monthly or quarterly, got "${windows}"`);
  const progress = options.json || options.quiet ? undefined : consoleProgress();

  const engineName = strOpt(options, "engine");
  let tx: Table, engineDesc = "memory", rfm: Table | undefined, input: ReturnType<typeof reportInput> | null = null;
  if (engineName && engineName !== "memory" || options.table) {
    if (windows) throw new CustlabError("E_USAGE", "--windows needs the memory engine (it re-reads transactions per period)");
    const eo = await openEngineOrders(options, file, { format, read: reading });
    try { if (eo.report) input = reportInput(eo.report, reading); rfm = await eo.engine.rfm(); engineDesc = eo.engine.describe(); } finally { await eo.engine.close(); }
    tx = new Table({});
    if (rfm.numRows === 0) throw new CustlabError("E_EMPTY", "no usable purchase lines after cleaning (need customer id, positive quantity and price)", { file });
  } else {
    const loaded = await loadTransactions(file!, { ...reading, format: format as (typeof TRANSACTION_FORMATS)[number] });
    input = reportInput(loaded.report, reading);
    tx = purchases(loaded.table);
    if (tx.numRows === 0) throw new CustlabError("E_EMPTY", "no usable purchase lines after cleaning (need customer id, positive quantity and price)", { file });
  }
  const seg = segmentCustomers(tx, { k, seed, nInit, features, rfm, onProgress: progress });
  const segments = seg.personas.map((p) => ({
    id: p.id, name: p.name, size: p.size, share: p.share, revenue_share: p.revenue_share,
    recency_median: p.recency_median, frequency_median: p.frequency_median, monetary_median: p.monetary_median,
    top_categories: p.top_categories, top_countries: p.top_countries, description: p.description,
  }));
  const out: Record<string, unknown> = {
    input, engine: engineDesc, k: seg.k, inertia: seg.inertia, silhouette: seg.silhouette, customers: seg.features.customers.numRows,
    features: seg.features.columns.map((c) => `log1p(${c})`), n_iter: seg.model.nIter_, seed, segments,
  };
  if (seg.selection) out.k_selection = { suggested: seg.selection.suggested, elbow: seg.selection.elbow, note: seg.selection.silhouetteNote, table: seg.selection.table.toRows() };
  if (windows) {
    const track = trackSegments(tx, { k: seg.k, windows, seed, nInit, features, psiThreshold: numOpt(options, "psi-threshold", 0.25), onProgress: progress });
    out.periods = track.periods.map((p) => ({ label: p.label, end: new Date(p.end).toISOString(), customers: p.customers, sizes: p.sizes, names: p.names, silhouette: p.silhouette }));
    out.segment_names = track.names;
    out.migration = {
      note: "matrices[i][from][to]: customers in segment `from` at periods[i] and `to` at periods[i+1]; stable segment ids across periods",
      periods: track.periods.map((p) => p.label),
      matrices: track.migrations,
      top_flows_first_to_last: topMigrations(track),
    };
    out.psi = track.psi.toRows();
    out.drift_flags = track.driftFlags;
  }
  if (options.json) { printJSON(out); return 0; }
  const w = (s: string) => process.stdout.write(s + "\n");
  w(`${seg.features.customers.numRows} customers, k = ${seg.k}, inertia ${seg.inertia.toFixed(2)}, silhouette ${seg.silhouette.toFixed(3)}`);
  for (const s of seg.personas) w(`  [${s.id}] ${s.name.padEnd(22)} ${String(s.size).padStart(6)}  ${s.description}`);
  if (windows) {
    const t = out.migration as { periods: string[]; top_flows_first_to_last: ReturnType<typeof topMigrations> };
    w(`\nperiods: ${t.periods.join(", ")}; largest moves first → last period:`);
    for (const f of t.top_flows_first_to_last) w(`  ${f.fromName} → ${f.toName}: ${f.customers} (${(100 * f.shareOfFrom).toFixed(1)}% of ${f.fromName})`);
    const flags = out.drift_flags as { reason: string }[];
    w(flags.length ? `drift:\n${flags.map((f) => "  " + f.reason).join("\n")}` : "no drift above the threshold");
  }
  return 0;
}

