/**
 * Online Retail churn (cutoff 2011-09-09, horizon 90 days): the feature and
 * training ideas tried for issue #18's out-of-time AUC goal (≥ 0.76), each
 * measured with scikit-learn's HistGradientBoostingClassifier (the model
 * custlab's gbdt matches) on the same rows, out of time, no look-ahead.
 *
 *   npx tsx bench/churn-ideas.ts [online_retail.csv] [--only baseline,hazard,...]
 *
 * The cleaned rows custlab churn reads (loadTransactions + cleanTransactions +
 * churnTransactions, as the CLI) are written to a temp CSV; the experiments are
 * in bench/churn-ideas.py (Python, exploratory: a winning idea would move into
 * src/churn). Experiments: baseline, stacked, extra, product, hazard, intime,
 * blend, support. Slow on a loaded machine (minutes per experiment).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { ONLINE_RETAIL } from "./online-retail";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import { churnTransactions } from "../src/churn";

async function main() {
  const args = process.argv.slice(2);
  const oi = args.indexOf("--only");
  const only = oi >= 0 ? args.splice(oi, 2)[1] : "baseline,stacked,extra,product,hazard,intime,blend,support";
  const file = args[0] ?? ONLINE_RETAIL;
  if (!fs.existsSync(file)) { console.log(`skip: ${file} not found`); return; }
  const { table } = await loadTransactions(file, { format: "online-retail" });
  const tx = churnTransactions(cleanTransactions(table).table);
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "custlab-churn-ideas-")), "tx.csv");
  fs.writeFileSync(tmp, tx.select(["customer_id", "order_id", "timestamp", "quantity", "unit_price", "product_id", "country"]).toCSV());
  console.log(`${tx.numRows} cleaned lines → ${tmp}`);
  execFileSync("/usr/bin/python3", [path.resolve(__dirname, "churn-ideas.py"), tmp, only], { stdio: "inherit" });
  fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
