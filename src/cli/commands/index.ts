/**
 * The CLI's command table. Each command lives in its own file in this folder
 * and exports `run(argv: string[]): Promise<number>` (the exit code) plus a
 * `usage` string. Commands load lazily, so `custlab quality` never loads tfjs.
 * To add a command: create `./<name>.ts` and add one line below.
 */
export interface CommandModule {
  /** One-paragraph usage text. */
  usage: string;
  /** Run with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, { summary: string; load: () => CommandModule }> = {
  report: { summary: "one shot from raw orders (and reviews) to an offline HTML report plus CSV/JSON exports", load: () => require("./report") },
  main: { summary: "the main job: set up Jupyter, execute every notebook on the demo data, render reports/", load: () => require("./main-job") },
  notebooks: { summary: "execute notebooks with the tslab kernel and render them to HTML", load: () => require("./notebooks") },
  "setup-jupyter": { summary: "install Jupyter if missing and register the tslab kernel (idempotent)", load: () => require("./setup-jupyter") },
  quality: { summary: "load a file through an adapter, quarantine bad rows, clean and print data-quality figures", load: () => require("./quality") },
  clv: { summary: "buy-till-you-die CLV: BG/NBD, Pareto/NBD, Gamma-Gamma fits, holdout check, per-customer value table", load: () => require("./clv") },
  backend: { summary: "show the training backend chosen and why others were skipped", load: () => require("./backend") },
  rules: { summary: "mine association rules (arules / mlxtend modes) from a basket or transaction file", load: () => require("./rules") },
  demo: { summary: "generate the seeded synthetic demo shop with planted truth (datasets/demo)", load: () => require("./demo") },
  score: { summary: "score every eligible customer with a registered churn model: calibrated probability, band, reasons, value at risk, next order", load: () => require("./score") },
  monitor: { summary: "monitor a registered churn model: feature and score drift (PSI, KS, Wasserstein), realised AUC/ECE/false alarms, ok/warn/retrain verdict, --retrain by policy; offline HTML + JSON", load: () => require("./monitor") },
  stream: { summary: "score an event stream (file or JSON lines on stdin) with a registered churn model: incremental features, one JSON line per band entry or probability move", load: () => require("./stream") },
  models: { summary: "model registry: list, show, promote (optionally only when the challenger beats the champion on the same folds), rollback, compare, delete, log", load: () => require("./models") },
  churn: { summary: "train on earlier cutoffs, score churn at a cutoff, report AUC / PR-AUC / lift (and write alerts)", load: () => require("./churn") },
  kmeans: { summary: "k-means (scikit-learn contract: k-means++, n-init) on a numeric CSV: inertia, iterations, sizes, silhouette", load: () => require("./kmeans") },
  segment: { summary: "RFM segments and personas from orders; --windows adds migrations, PSI drift and re-cluster flags", load: () => require("./segment") },
  sentiment: { summary: "cross-validate a review sentiment model (lexicon, TF-IDF + LR, neural) on a CSV: AUC, accuracy, macro F1", load: () => require("./sentiment") },
  topics: { summary: "LDA topics (collapsed Gibbs) of a review text column with c_v / u_mass coherence", load: () => require("./topics") },
  features: { summary: "the customer feature table at a cutoff (+ churn labels when known) on the memory, duckdb or clickhouse engine", load: () => require("./features") },
  actions: { summary: "next-best action per at-risk customer: P(churn) × save rate × value − cost over actions.json (discount, free shipping, cross-sell bundle from their own baskets, none), with reasons", load: () => require("./actions") },
  uplift: { summary: "uplift model (T-/X-learner, class transformation) on a campaign file: cross-fitted Qini, AUUC, uplift by decile with bootstrap intervals, by segment", load: () => require("./uplift") },
  campaign: { summary: "A/B tests from files: campaign size (sample size), assign (seeded, stratified), analyze (rates, uplift with intervals, z-test, power, by segment, peeking)", load: () => require("./campaign") },
  train: { summary: "cross-validate a classifier (logreg, tree, forest, gbdt, mlp, lstm, ensemble…) on any CSV table", load: () => require("./train") },
};
