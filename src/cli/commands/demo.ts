import * as path from "path";
import { writeDemoShop, simulateOfferCampaign, DEMO_DEFAULT_CUSTOMERS } from "../../demo";
import { loadTable } from "../../io";
import { writeFileAtomic } from "../../util/output";
import { consoleProgress } from "../../util/progress";
import { numOpt, checkedNumOpt, parseArgs, printJSON, strOpt } from "../args";

export const usage = `custlab demo [--out datasets/demo] [--seed 42] [--customers N] [--scale-transactions N] [--cutoff 2024-09-30] [--horizon 90] [--no-dirty] [--json]

Generate the seeded synthetic demo shop with planted truth: transactions.csv,
reviews.csv, customers.csv, campaign.csv, products.csv and the truth files
(truth.json, truth_customers.csv, truth_reviews.csv, truth_returns.csv), and
offer_campaign.csv: a randomised retention offer ("none" vs "discount") drawn
from the planted response model, for \`custlab uplift\`:
  custlab uplift <out>/transactions.csv --campaign <out>/offer_campaign.csv \\
    --cutoff <truth.json cutoff> --outcome retained --segment segment
(not written with --scale-transactions). Same seed and options give byte-identical files. --scale-transactions N scales
the number of customers to about N transaction lines and streams the output
(10,000,000 lines works in bounded memory; write it to datasets/demo-large/,
which git ignores). Default: ${DEMO_DEFAULT_CUSTOMERS} customers.`;

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv, {
    out: "string", seed: "string", customers: "string", "scale-transactions": "string", cutoff: "string", horizon: "string",
    "no-dirty": "boolean", json: "boolean", quiet: "boolean",
  });
  const out = path.resolve(strOpt(options, "out", "datasets/demo")!);
  const scale = options["scale-transactions"] !== undefined ? numOpt(options, "scale-transactions", 0) : undefined;
  const t0 = Date.now();
  const truth = writeDemoShop(out, {
    seed: numOpt(options, "seed", 42),
    customers: numOpt(options, "customers", DEMO_DEFAULT_CUSTOMERS),
    scaleTransactions: scale,
    cutoff: strOpt(options, "cutoff"),
    horizonDays: options.horizon !== undefined ? checkedNumOpt(options, "horizon", 90, { above: 0, integer: true }) : undefined,
    dirty: !options["no-dirty"],
    onProgress: options.quiet || options.json ? undefined : consoleProgress(),
  });
  let offerRows: number | undefined;
  if (scale === undefined) {
    const types = { customer_id: "text" as const };
    const campaign = (await loadTable(path.join(out, "campaign.csv"), { types })).table;
    const truthCustomers = (await loadTable(path.join(out, "truth_customers.csv"), { types })).table;
    const offers = simulateOfferCampaign({ campaign, truthCustomers }, { arms: ["none", "discount"], seed: truth.seed });
    writeFileAtomic(path.join(out, "offer_campaign.csv"), offers.toCSV(), "offer_campaign.csv");
    offerRows = offers.numRows;
  }
  const seconds = (Date.now() - t0) / 1000;
  const summary = { out, seed: truth.seed, ...truth.counts, dirty_rows: truth.dirty_rows.length, churn_bayes_auc: truth.churn_bayes_auc, offer_campaign_rows: offerRows, seconds };
  if (options.json) printJSON(summary);
  else process.stdout.write(`wrote ${out}: ${truth.counts.customers} customers, ${truth.counts.orders} orders, ${truth.counts.lines} lines, ${truth.counts.reviews} reviews, ${truth.dirty_rows.length} dirty rows in ${seconds.toFixed(1)} s\n`);
  return 0;
}
