import type { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { OrdersEngine } from "../engine/types";
import { churnTrainingCutoffs, resolveChurnOptions } from "./workflow";
import type { ChurnTableSource, ChurnWorkflowOptions } from "./workflow";
import { isoDay } from "../util/numeric";


/**
 * The customer tables the churn workflow needs to score at `scoringCutoffs`,
 * computed on an engine (memory, duckdb, clickhouse): the features at every
 * scoring cutoff and at each of its training cutoffs (`churnTrainingCutoffs`,
 * from the engine's last order), and the churn labels there. Only these
 * customer-level tables come back; pass the result as the workflow's `tables`
 * option (`churnAtCutoff(emptyTable, cutoff, { ...options, tables })`), so
 * every engine trains and scores through the same workflow.
 *
 * @example
 * const eng = await openEngine("duckdb");
 * await eng.loadFile("../shared/datasets/online-retail/online_retail.csv", { format: "online-retail" });
 * const tables = await churnTablesFromEngine(eng, [cutoff], { model: "logreg" });
 * const run = await churnAtCutoff(new Table({}), cutoff, { model: "logreg", tables });
 * run.metrics?.auc;
 */
export async function churnTablesFromEngine(engine: OrdersEngine, scoringCutoffs: number[], options: ChurnWorkflowOptions = {}): Promise<ChurnTableSource> {
  const o = resolveChurnOptions({ ...options, tables: undefined });
  const H = o.horizonDays;
  const dataEnd = (await engine.quality()).date_max;
  if (!Number.isFinite(dataEnd)) throw new CustlabError("E_EMPTY", `churn: the ${engine.describe()} engine holds no order rows`);
  const cuts = new Set<number>();
  for (const c of scoringCutoffs) {
    if (typeof c !== "number" || !Number.isFinite(c)) throw new CustlabError("E_OPTION", `churn: cutoff must be a finite epoch-ms number, got ${String(c)}`);
    cuts.add(c);
    for (const t of churnTrainingCutoffs(c, dataEnd, o)) cuts.add(t);
  }
  const features = new Map<number, Table>();
  const labels = new Map<number, { table: Table; row: Map<string, number> }>();
  let done = 0;
  const sorted = [...cuts].sort((a, b) => a - b);
  const tablesAt = async (c: number): Promise<[Table, Table]> => {
    const f = await engine.features({ ...(o.features ?? {}), cutoff: c });
    return [f, await engine.labels(f, { cutoff: c, horizonDays: H })];
  };
  const keep = (c: number, [f, y]: [Table, Table]) => {
    features.set(c, f);
    const row = new Map<string, number>();
    y.str("customer_id").forEach((id, i) => row.set(id, i));
    labels.set(c, { table: y, row });
    o.onProgress?.({ stage: "engine tables", done: ++done, total: cuts.size, message: isoDay(c) });
  };
  const ahead = (c: number | undefined) => {
    if (c === undefined) return undefined;
    const p = tablesAt(c);
    p.catch(() => undefined); // surfaced when awaited below
    return p;
  };
  // The first cutoff alone (an engine builds its per-load tables on its first call), then one cutoff
  // ahead: the next cutoff's queries are queued on the engine while JavaScript turns this one's
  // results into tables (the same queries, the same tables, in the same order).
  if (sorted.length) keep(sorted[0], await tablesAt(sorted[0]));
  let next = ahead(sorted[1]);
  for (let i = 1; i < sorted.length; i++) {
    const cur = next!;
    next = ahead(sorted[i + 1]);
    keep(sorted[i], await cur);
  }
  const missing = (c: number) => new CustlabError("E_ENGINE", `churn: no ${engine.name} tables at cutoff ${isoDay(c)} (computed for ${[...cuts].sort((a, b) => a - b).map(isoDay).join(", ")})`);
  return {
    dataEnd,
    engine: engine.describe(),
    features(c) {
      const f = features.get(c);
      if (!f) throw missing(c);
      return f;
    },
    labels(customers, c, horizonDays) {
      const l = labels.get(c);
      if (!l) throw missing(c);
      if (horizonDays !== H) throw new CustlabError("E_ENGINE", `churn: engine labels were computed for a ${H}-day horizon, asked for ${horizonDays}`);
      const ids = customers.str("customer_id");
      const idx = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const k = l.row.get(ids[i]);
        if (k === undefined) throw new CustlabError("E_ENGINE", `churn: customer "${ids[i]}" has no engine label at ${isoDay(c)}`);
        idx[i] = k;
      }
      return l.table.take(idx);
    },
  };
}
