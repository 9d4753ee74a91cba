/**
 * Sentiment bench: stratified 5-fold CV (seed 42) of custlab's models on the
 * clothing reviews (Title + Review Text, positive = Rating ≥ 4, empty texts
 * dropped) and the Chinese shopping reviews (review, label), beside
 * scikit-learn's anchor pipelines under the same CV (bench/sentiment.py).
 *
 *   npx tsx bench/sentiment.ts [clothing|chinese|all] [--models lexicon,sklearn,word+char] [--python]
 *
 * With --python it also prints the wall-time ratio of each custlab CV to
 * scikit-learn's (folds run side by side on custlab's worker threads;
 * scikit-learn's loop is single-threaded, as its anchor scripts are).
 */
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { readTextColumns } from "../src/io";
import { crossValidateSentiment } from "../src/reviews";
import type { TfidfFeatureSet } from "../src/text";

const ROOT = path.resolve(__dirname, "..");
const SHARED = path.resolve(ROOT, "../shared/datasets");
const which = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "all";
const mi = process.argv.indexOf("--models");
const models = (mi > 0 ? process.argv[mi + 1] : "lexicon,sklearn,word+char").split(",");

const results: { dataset: string; model: string; seconds: number; auc_mean: number }[] = [];

async function bench(name: string, texts: string[], y: Int32Array, lang: "en" | "zh") {
  for (const m of models) {
    const c0 = process.cpuUsage();
    const r = m === "lexicon" || m === "nn"
      ? await crossValidateSentiment(texts, y, { model: m, lang })
      : await crossValidateSentiment(texts, y, { model: "tfidf-lr", lang, tfidf: { features: m as TfidfFeatureSet } });
    const cpu = process.cpuUsage(c0);
    results.push({ dataset: name, model: m, seconds: r.seconds, auc_mean: r.auc_mean });
    console.log(JSON.stringify({ dataset: name, model: m, rows: r.rows, auc_mean: +r.auc_mean.toFixed(4), auc_folds: r.folds.map((f) => +f.auc.toFixed(4)),
      accuracy_mean: +r.accuracy_mean.toFixed(4), f1_macro_mean: +r.f1_macro_mean.toFixed(4), seconds: r.seconds, cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(1) }));
  }
}

(async () => {
  if (which === "clothing" || which === "all") {
    const f = path.join(SHARED, "womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv");
    const d = await readTextColumns(f, ["Title", "Review Text", "Rating"]);
    const keep = [...Array(d.rows).keys()].filter((i) => d.columns["Review Text"][i] !== "");
    await bench("clothing", keep.map((i) => `${d.columns["Title"][i]} ${d.columns["Review Text"][i]}`), Int32Array.from(keep, (i) => (Number(d.columns["Rating"][i]) >= 4 ? 1 : 0)), "en");
  }
  if (which === "chinese" || which === "all") {
    const f = path.join(SHARED, "chinese-reviews/online_shopping_10_cats.csv");
    const d = await readTextColumns(f, ["review", "label"]);
    const keep = [...Array(d.rows).keys()].filter((i) => d.columns["review"][i] !== "");
    await bench("chinese", keep.map((i) => d.columns["review"][i]), Int32Array.from(keep, (i) => Number(d.columns["label"][i])), "zh");
  }
  if (process.argv.includes("--python") && fs.existsSync("/usr/bin/python3")) {
    const py = execFileSync("/usr/bin/python3", [path.join(ROOT, "bench/sentiment.py"), SHARED, which], { encoding: "utf8", maxBuffer: 1 << 24 });
    process.stdout.write(py);
    // wall-time ratio of the whole 5-fold CV: custlab's "sklearn" and default feature sets vs scikit-learn's pipeline
    for (const line of py.trim().split("\n")) {
      const sk = JSON.parse(line) as { dataset: string; auc_mean: number; cv_wall_s: number };
      for (const r of results.filter((x) => x.dataset === sk.dataset && x.model !== "lexicon")) {
        console.log(`ratio custlab/scikit-learn ${sk.dataset} ${r.model}: wall ${(r.seconds / sk.cv_wall_s).toFixed(2)} (${r.seconds.toFixed(1)} s vs ${sk.cv_wall_s.toFixed(1)} s; AUC ${r.auc_mean.toFixed(4)} vs ${sk.auc_mean.toFixed(4)})`);
      }
    }
  }
})();
