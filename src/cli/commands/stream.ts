import * as readline from "readline";
import { parseArgs, strOpt, checkedNumOpt, numOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { READING_SPEC, READING_USAGE, readingOptions } from "../reading";
import { loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { transactionEvents } from "../../features/stream";
import type { TransactionEvent } from "../../features/stream";
import { churnTransactions, loadChurnModel, streamChurnScores } from "../../churn";

export const usage = `custlab stream <transactions|-> --format <adapter> --model <registry>[@<version>|@champion][:<name>]
       [--every 1] [--threshold 0.1] [--high 0.6 --medium 0.3]

Scores an event stream with a churn model registered by custlab churn …
--registry (trained with the basic feature set). Order lines are read in time
order; each customer's features are kept incrementally (O(1) work per line,
the same table custlab churn builds at a cutoff). At every rescoring step
(--every days of event time, on UTC midnights) every eligible customer is
scored and one JSON line is printed per customer who enters the medium or
high band or whose probability moved by more than --threshold since its
last line: {type:"alert", at, customer_id, probability, previous, band,
previous_band, why}. The last line is {type:"summary", events, customers,
alerts, steps, seconds, events_per_s}.
A file is read through the adapter (--format), cleaned (exact duplicate lines
dropped) and replayed in time order. "-" reads JSON lines from standard input,
one order line each, already in time order: {"customer_id", "order_id",
"timestamp" (ISO date-time or epoch ms), "quantity", "unit_price",
["product_id", "category", "country", "channel"]}; a line that is not such an
object, or is older than the one before, stops with its line number.
${READING_USAGE}`;

/** Order lines from JSON lines (stdin for "-"); a bad line is a one-line CustlabError with its number. @internal */
export async function* jsonLineEvents(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<TransactionEvent> {
  let line = 0;
  for await (const raw of lines) {
    line++;
    if (!raw.trim()) continue;
    let o: any;
    try { o = JSON.parse(raw); } catch { throw new CustlabError("E_PARSE", `stdin line ${line}: not a JSON object`, { file: "-", line }); }
    if (!o || typeof o !== "object") throw new CustlabError("E_PARSE", `stdin line ${line}: not a JSON object`, { file: "-", line });
    const ts = typeof o.timestamp === "number" ? o.timestamp : Date.parse(String(o.timestamp));
    const q = Number(o.quantity), p = Number(o.unit_price);
    for (const [name, ok] of [["customer_id", typeof o.customer_id === "string" || typeof o.customer_id === "number"], ["order_id", o.order_id !== undefined && o.order_id !== null], ["timestamp", Number.isFinite(ts)], ["quantity", Number.isFinite(q)], ["unit_price", Number.isFinite(p)]] as const) {
      if (!ok) throw new CustlabError("E_PARSE", `stdin line ${line}: field ${name} is missing or invalid (${JSON.stringify(o[name])})`, { file: "-", line, column: name });
    }
    const e: TransactionEvent = { customer_id: String(o.customer_id), order_id: String(o.order_id), timestamp: ts, quantity: q, unit_price: p };
    for (const k of ["product_id", "category", "country", "channel"] as const) if (o[k] !== undefined && o[k] !== null) e[k] = String(o[k]);
    yield e;
  }
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    format: "string", model: "string", name: "string", every: "string", threshold: "string", high: "string", medium: "string", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "custlab stream needs a transactions file or - for JSON lines on standard input (see --help)");
  const spec = strOpt(options, "model");
  if (!spec) throw new CustlabError("E_USAGE", "custlab stream needs --model <registry>[@<version>|@champion]");
  const every = checkedNumOpt(options, "every", 1, { above: 0 });
  const threshold = checkedNumOpt(options, "threshold", 0.1, { min: 0 });
  const bands = { high: numOpt(options, "high", 0.6), medium: numOpt(options, "medium", 0.3) };
  const lm = loadChurnModel(spec, strOpt(options, "name"));
  let events: AsyncIterable<TransactionEvent> | Iterable<TransactionEvent>;
  if (file === "-") events = jsonLineEvents(readline.createInterface({ input: process.stdin, crlfDelay: Infinity }));
  else {
    const loaded = await loadTransactions(file, { ...reading, format: (strOpt(options, "format", reading.map ? "transactions" : "custlab") as any) });
    events = transactionEvents(churnTransactions(cleanTransactions(loaded.table).table)).events;
  }
  const out: string[] = [];
  const flush = () => { if (out.length) { process.stdout.write(out.join("")); out.length = 0; } };
  for await (const m of streamChurnScores(events, lm, { everyDays: every, moveThreshold: threshold, bands })) {
    out.push(JSON.stringify(m.type === "alert" && Number.isNaN(m.previous) ? { ...m, previous: null } : m) + "\n");
    if (out.length >= 1000) flush();
  }
  flush();
  return 0;
}
