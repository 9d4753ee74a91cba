/**
 * Event-stream throughput on Online Retail: lines per second through the
 * incremental customer features (CustomerFeatureStream.push), and through the
 * whole stream scorer (streamChurnScores: features + a daily rescoring of
 * every customer with a gbdt churn model trained at 2011-09-09).
 *
 *   npx tsx bench/stream.ts [path/to/online_retail.csv] [rounds]
 *
 * One core (single-threaded JavaScript); events are replayed from memory in
 * time order, so reading and parsing the file are not counted. Best and median
 * of the rounds are printed. Goal: ≥ 200,000 events/s for the features.
 */
import * as fs from "fs";
import * as path from "path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { CustomerFeatureStream, transactionEvents } from "../src/features/stream";
import { churnTransactions, fitChurnModel, churnArtifactState, streamChurnScores } from "../src/churn";

async function main() {
  const file = process.argv[2] ?? path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");
  const rounds = Number(process.argv[3] ?? 5);
  if (!fs.existsSync(file)) { console.log(`skip: ${file} not found`); return; }
  const { table } = await loadTransactions(file, { format: "online-retail" });
  const tx = churnTransactions(cleanTransactions(table).table);
  const { events } = transactionEvents(tx);
  console.log(`${events.length} order lines in time order (${new Date(events[0].timestamp).toISOString().slice(0, 10)} … ${new Date(events[events.length - 1].timestamp).toISOString().slice(0, 10)})`);
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const push: number[] = [];
  let customers = 0;
  for (let r = 0; r < rounds; r++) {
    const s = new CustomerFeatureStream();
    const t = performance.now();
    for (const e of events) s.push(e);
    const f = s.features(events[events.length - 1].timestamp + 1);
    push.push(events.length / ((performance.now() - t) / 1000));
    customers = f.numRows;
  }
  console.log(`features only (push every line + one feature table, ${customers} customers): best ${Math.max(...push).toFixed(0)} events/s, median ${med(push).toFixed(0)} events/s over ${rounds} rounds`);
  const cm = await fitChurnModel(tx, Date.parse("2011-09-09"), { model: "gbdt", horizonDays: 90 });
  const scorer = { state: churnArtifactState(cm), scoreFeatures: cm.scoreFeatures };
  for (const every of [1, 7]) {
    const full: number[] = [];
    let last: any;
    for (let r = 0; r < Math.min(rounds, 3); r++) {
      for await (const m of streamChurnScores(events, scorer, { everyDays: every })) if (m.type === "summary") last = m;
      full.push(last.events_per_s);
    }
    console.log(`stream scoring, gbdt, rescoring every ${every} day(s): ${last.steps} steps, ${last.alerts} alerts, best ${Math.max(...full).toFixed(0)} events/s, median ${med(full).toFixed(0)} events/s`);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
