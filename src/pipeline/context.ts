import * as fs from "fs";
import type { ReadingOptions } from "../io/reading";
import { createHash } from "crypto";
import type { Table } from "../table";
import type { Figure } from "../plot/figure";
import type { ProgressCallback } from "../util/progress";
import type { OrdersEngine } from "../engine/types";

/** A finding for readers: one plain-language sentence, with an optional severity. */
export interface Finding {
  text: string;
  level?: "info" | "good" | "warn";
}

/** What one stage contributes to the report. */
export interface StageOutput {
  /** Section title in the report. */
  title: string;
  /** Short plain-language findings shown at the top of the section. */
  findings: Finding[];
  /** Figures shown in the section (plotly JSON). */
  figures?: Figure[];
  /** Extra HTML (tables, notes) after the figures. */
  html?: string;
  /** Numbers for summary.json. */
  metrics?: Record<string, unknown>;
  /** When the stage could not run or its result is withheld, why (shown instead of the content). */
  withheld?: string;
}

/** Options of the one-shot pipeline (`custlab report`). */
export interface ReportOptions {
  /** Transactions file. */
  transactions: string;
  /** Its adapter (see `TRANSACTION_FORMATS`). */
  format: string;
  /** Optional reviews file. */
  reviews?: string;
  /** Its adapter (see `REVIEW_FORMATS`). */
  reviewsFormat?: string;
  /** Output folder: built beside the target and swapped in whole (see `writeOutputFolder`). */
  out: string;
  /** Write into a non-empty folder custlab did not create (default false: refused). */
  force?: boolean;
  /** Seed for every stochastic step (default 42). */
  seed?: number;
  /** Salt for customer pseudonyms (default: CUSTLAB_SALT, else random per run). Never written out. */
  salt?: string;
  /** Churn horizon in days (default 90). */
  horizonDays?: number;
  /** Evaluation cutoff (ISO date); default: last transaction date − horizon. */
  cutoff?: string;
  /** Number of segments, or "auto" (default "auto": best silhouette for k in 3..8). */
  k?: number | "auto";
  /** Minimum out-of-time ROC-AUC for the churn model to be shown (default 0.65). */
  minAuc?: number;
  /** k for the k-anonymity check of exported segment tables (default 5). */
  kAnonymity?: number;
  /** Churn reasons (SHAP) for every scored customer (default false: only the customers the report shows, the medium and high bands). */
  explainAll?: boolean;
  /** Progress events (stage by stage). */
  onProgress?: ProgressCallback;
  /** Optional customer attributes (CSV with customer_id; e.g. gender, age band, segment): fairness checks by each, per-segment save rates. */
  customers?: string;
  /** Optional actions.json: next-best actions for the at-risk customers (section "Retention actions and fairness", actions.csv). */
  actions?: string;
  /** How to read the transactions file (map, header, delimiter, date format, encoding, allowQuarantine); the reviews file gets the encoding. */
  reading?: ReadingOptions;
  /**
   * Where the relational stages (loading and validation, quality counts, customer features and
   * labels at every churn cutoff, RFM, baskets, CLV purchase days) run: "memory",
   * "duckdb", "clickhouse://host:port/db", or "auto" (default: duckdb for Parquet and files
   * ≥ 200 MB, else memory). Every engine gives the memory engine's numbers; the memory
   * engine also scores cell-level quality and matches cancellations.
   */
  engine?: string;
  /** DuckDB `memory_limit` (default 2GB; DuckDB spills to disk past it). */
  memoryLimit?: string;
}

/** Shared state passed from stage to stage. */
export interface PipelineContext {
  options: Required<Pick<ReportOptions, "seed" | "horizonDays" | "minAuc" | "kAnonymity">> & ReportOptions;
  /** Pseudonymiser for customer ids. */
  pseudo: (id: string) => string;
  /** The engine the relational stages run on (opened by the quality stage, closed by the pipeline). */
  engine?: OrdersEngine;
  /** On a SQL engine: the queue of later stages' engine calls started ahead of need (`engine` is its view). */
  prefetcher?: import("./prefetch").PrefetchingEngine;
  /** The classes section's inputs and its model fit, started on a worker thread by the churn stage (`startClassesFit`). */
  classesJob?: { inputs: Promise<{ tables: import("../value").CustomerClassTables; options: import("../value").CustomerClassOptions & { cutoff: number } }>; run: Promise<import("../value").CustomerClassRun | null> };
  /** The rules section's product names, first baskets and their mining on a worker thread, started by the churn stage (`startRulesMining`). */
  rulesJob?: { names: Promise<import("../table").Table>; baskets: Promise<import("../rules").Baskets>; run: Promise<import("../rules").MineRulesResult | null> };
  /** The churn stage's customer tables (features and labels at its cutoffs, from the engine), reused by later stages. */
  churnTables?: import("../churn").ChurnTableSource;
  /** RFM per customer over every purchase line (from the engine). */
  rfm?: Table;
  /** Cleaned transactions (all rows, with flags). */
  transactions?: Table;
  /** Purchases only (customer id, no cancellations/duplicates, positive qty and price). */
  purchases?: Table;
  /** Reviews table, when given. */
  reviews?: Table;
  /** Per-customer columns assembled for customers.csv, keyed by raw customer id. */
  customers: Map<string, Record<string, string | number>>;
  /** Key figures for the executive summary and summary.json. */
  summary: Record<string, unknown>;
  /** Raw customer ids seen (for the privacy self-check). */
  rawIds: Set<string>;
  /** Timings per stage in seconds. */
  timings: Record<string, number>;
  /** Epoch ms of the last transaction. */
  dataEnd?: number;
  /** Epoch ms of the first transaction. */
  dataStart?: number;
  /** Churn scores and outcomes at the evaluation cutoff (for the fairness checks). */
  churnEval?: { customers: string[]; y: ArrayLike<number>; p: ArrayLike<number> };
  /** Today's churn alerts (customer_id, churn_probability, band, top_reasons, value_at_risk). */
  alerts?: Table;
  /** actions.csv of the decisions section. */
  actionsCSV?: string;
}

/** sha256 of a file's bytes, streamed (the data fingerprint in summary.json). */
export async function fileFingerprint(file: string): Promise<string> {
  const h = createHash("sha256");
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file).on("data", (d) => h.update(d)).on("end", () => resolve()).on("error", reject);
  });
  return "sha256:" + h.digest("hex");
}

/** Set a per-customer field for customers.csv. */
export function setCustomer(ctx: PipelineContext, id: string, fields: Record<string, string | number>): void {
  if (!id) return;
  const row = ctx.customers.get(id);
  if (row) Object.assign(row, fields);
  else ctx.customers.set(id, { ...fields });
}
