import { CustlabError } from "../util/errors";
import { CustomerFeatureStream } from "../features/stream";
import type { TransactionEvent } from "../features/stream";
import { DEFAULT_BANDS } from "../alerts";
import { Table } from "../table";
import { SEQUENCE_MODELS } from "./workflow";
import type { ChurnScores } from "./workflow";
import type { ChurnArtifactState } from "./artifact";

import { DAY_MS as DAY, isoDay } from "../util/numeric";

/** Options of {@link streamChurnScores}. */
export interface StreamChurnOptions {
  /** Days of event time between rescoring steps (default 1). Steps fall on UTC midnights. */
  everyDays?: number;
  /** A customer whose probability moves by more than this since its last alert or first score is reported (default 0.1). */
  moveThreshold?: number;
  /** Band thresholds on the (calibrated) probability (default medium 0.3, high 0.6). */
  bands?: { medium?: number; high?: number };
}

/** One line of {@link streamChurnScores}' output: an alert for a customer at a rescoring step. */
export interface StreamAlert {
  type: "alert";
  /** The rescoring step (YYYY-MM-DD): features from the events before it. */
  at: string;
  customer_id: string;
  probability: number;
  /** Probability at the customer's previous alert (NaN at the first). */
  previous: number;
  band: "high" | "medium" | "low";
  previous_band: "high" | "medium" | "low" | "";
  /** "entered <band>" or "moved ±x". */
  why: string;
}

/** The last line of {@link streamChurnScores}' output. */
export interface StreamSummary {
  type: "summary";
  events: number;
  customers: number;
  alerts: number;
  steps: number;
  seconds: number;
  events_per_s: number;
}

/** What a stream scores with: a registered churn model ({@link loadChurnModel}) or anything with its two members. */
export interface StreamScorer {
  state: Pick<ChurnArtifactState, "model" | "horizon_days" | "active_days" | "features" | "spec">;
  scoreFeatures(features: Table, tx: Table, cutoff: number): ChurnScores;
}

const EMPTY_TX = new Table({ customer_id: [] as string[], order_id: [] as string[], timestamp: new Float64Array(0), quantity: new Float64Array(0), unit_price: new Float64Array(0) });

/**
 * Event-stream churn scoring, the library side of `custlab stream`: reads
 * transaction lines in time order from any (async) iterable, keeps each
 * customer's features incrementally ({@link CustomerFeatureStream}: O(1) work
 * per line), and at every rescoring step (`everyDays` of event time, on UTC
 * midnights) scores every eligible customer with the model and yields an alert
 * for each customer who enters the medium or high band or whose probability
 * moved by more than `moveThreshold` since its last alert. The last value is
 * a {@link StreamSummary}. Models trained on the extended feature set or on
 * monthly sequences are refused (their features are not incremental).
 * @example
 * const { events } = transactionEvents(tx);
 * for await (const m of streamChurnScores(events, loadChurnModel("models@champion"))) if (m.type === "alert") console.log(m.customer_id);
 */
export async function* streamChurnScores(events: AsyncIterable<TransactionEvent> | Iterable<TransactionEvent>, scorer: StreamScorer, options: StreamChurnOptions = {}): AsyncGenerator<StreamAlert | StreamSummary> {
  const every = options.everyDays ?? 1, move = options.moveThreshold ?? 0.1;
  const medium = options.bands?.medium ?? DEFAULT_BANDS.medium, high = options.bands?.high ?? DEFAULT_BANDS.high;
  if (!(every > 0) || !Number.isFinite(every)) throw new CustlabError("E_OPTION", `stream: every must be a positive number of days, got ${every}`);
  if (!(move >= 0)) throw new CustlabError("E_OPTION", `stream: the move threshold must be ≥ 0, got ${move}`);
  if (!(medium >= 0 && medium <= high && high <= 1)) throw new CustlabError("E_OPTION", `stream: need 0 ≤ medium ≤ high ≤ 1, got medium ${medium}, high ${high}`);
  const st = scorer.state;
  if (SEQUENCE_MODELS.includes(st.model)) throw new CustlabError("E_MODEL_TYPE", `stream: ${st.model} reads monthly sequences, which are not kept incrementally; stream a model trained on the feature table (e.g. gbdt, logreg)`);
  if ((st.spec?.featureSet ?? "basic") !== "basic") throw new CustlabError("E_MODEL_TYPE", `stream: the model was trained with --feature-set ${st.spec?.featureSet}, whose BG/NBD features are refitted per cutoff and not incremental; stream a model trained with the basic feature set`);
  const fs = new CustomerFeatureStream(st.features ?? {});
  const last = new Map<string, { p: number; band: StreamAlert["band"] }>();
  const band = (p: number): StreamAlert["band"] => (p >= high ? "high" : p >= medium ? "medium" : "low");
  const rank = { low: 0, medium: 1, high: 2 } as const;
  let next = NaN, steps = 0, alerts = 0;
  const t0 = performance.now();
  function* rescore(at: number): Generator<StreamAlert> {
    steps++;
    let f = fs.features(at);
    if (st.active_days !== undefined) { const r = f.num("recency_days"), a = st.active_days; f = f.filter((i) => r[i] <= a); }
    if (!f.numRows) return;
    const s = scorer.scoreFeatures(f, EMPTY_TX, at);
    const day = isoDay(at);
    for (let i = 0; i < s.customers.length; i++) {
      const id = s.customers[i], p = s.proba[i], b = band(p), prev = last.get(id);
      let why = "";
      if (b !== "low" && (!prev || rank[b] > rank[prev.band])) why = `entered ${b}`;
      else if (prev && Math.abs(p - prev.p) > move) why = `moved ${p > prev.p ? "+" : "−"}${Math.abs(p - prev.p).toFixed(3)}`;
      else if (!prev) { last.set(id, { p, band: b }); continue; }
      if (!why) continue;
      alerts++;
      yield { type: "alert", at: day, customer_id: id, probability: p, previous: prev ? prev.p : NaN, band: b, previous_band: prev ? prev.band : "", why };
      last.set(id, { p, band: b });
    }
  }
  for await (const e of events as AsyncIterable<TransactionEvent>) {
    const t = e.timestamp;
    if (Number.isNaN(next)) next = Math.floor(t / DAY) * DAY + every * DAY;
    if (t >= next) {
      // the latest step at or before this event: features from the events before it
      const k = Math.floor((t - next) / (every * DAY));
      next += k * every * DAY;
      yield* rescore(next);
      next += every * DAY;
    }
    fs.push(e);
  }
  if (fs.events > 0) yield* rescore(next);
  const seconds = (performance.now() - t0) / 1000;
  yield { type: "summary", events: fs.events, customers: fs.customers, alerts, steps, seconds, events_per_s: fs.events / Math.max(seconds, 1e-9) };
}
