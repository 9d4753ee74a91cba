/**
 * Section "sentiment" of bench/models-speed.ts: stratified 5-fold CV (seed 42)
 * of custlab's TF-IDF + logistic regression sentiment model (default features:
 * negation-marked words for English, words + character n-grams for Chinese)
 * against scikit-learn's own CV loop over its anchor pipeline
 * (bench/sentiment.py: TfidfVectorizer + LogisticRegression(C=4), one thread).
 *
 * - clothing reviews (Title + Review Text, positive = Rating ≥ 4, empty texts dropped);
 * - Chinese shopping reviews (review, label).
 * Both sides time the whole CV (vectorising, fitting and scoring the 5 folds),
 * not the CSV read; metric = mean fold AUC. custlab runs its folds on the
 * row's thread count; scikit-learn's loop is single-threaded at every row.
 * `--sentiment clothing` (or chinese) runs one data set.
 */
import * as path from "path";
import { readTextColumns } from "../../dist/io";
import { crossValidateSentiment } from "../../dist/reviews";
import { timeIt, type Side, type SpeedContext, type SpeedSection } from "./common";

const PY = path.join(__dirname, "..", "sentiment.py");

async function load(ctx: SpeedContext, name: "clothing" | "chinese"): Promise<{ texts: string[]; y: Int32Array; lang: "en" | "zh" }> {
  if (name === "clothing") {
    const d = await readTextColumns(path.join(ctx.dataDir, "womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv"), ["Title", "Review Text", "Rating"]);
    const keep = [...Array(d.rows).keys()].filter((i) => d.columns["Review Text"][i] !== "");
    return { texts: keep.map((i) => `${d.columns["Title"][i]} ${d.columns["Review Text"][i]}`), y: Int32Array.from(keep, (i) => (Number(d.columns["Rating"][i]) >= 4 ? 1 : 0)), lang: "en" };
  }
  const d = await readTextColumns(path.join(ctx.dataDir, "chinese-reviews/online_shopping_10_cats.csv"), ["review", "label"]);
  const keep = [...Array(d.rows).keys()].filter((i) => d.columns["review"][i] !== "");
  return { texts: keep.map((i) => d.columns["review"][i]), y: Int32Array.from(keep, (i) => Number(d.columns["label"][i])), lang: "zh" };
}

export const section: SpeedSection = {
  name: "sentiment",
  about: "5-fold TF-IDF + LR sentiment CV (clothing, Chinese) vs scikit-learn's CV loop",
  async run(ctx) {
    const which = (ctx.arg("sentiment", "clothing,chinese") as string).split(",") as ("clothing" | "chinese")[];
    for (const name of which) {
      const { texts, y, lang } = await load(ctx, name);
      for (const threads of ctx.threads) {
        const sides: Side[] = [{
          name: "custlab",
          async run() {
            const [r, s] = await timeIt(() => crossValidateSentiment(texts, y, { model: "tfidf-lr", lang, threads }));
            return { seconds: s, metric: r.auc_mean };
          },
        }];
        if (ctx.python) sides.push({ name: "sklearn CV", run() { const r = ctx.python3(PY, [ctx.dataDir, name], 1); return { seconds: r.cv_wall_s, metric: r.auc_mean }; } });
        await ctx.compare(`${name} ${texts.length.toLocaleString("en-US")} reviews, 5-fold`, threads, "AUC", sides);
      }
    }
  },
};
