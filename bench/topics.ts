/**
 * Topics bench: custlab's topics (exactly what `custlab topics --lang en --k K --seed s` fits by default:
 * fitTopics with its own preprocessing and priors) against gensim's LdaModel (5 passes, the anchor's
 * preprocessing, random_state s), both scored by one independent scorer — gensim's CoherenceModel c_v over plain
 * lowercase word tokens [a-z']+ of the clothing reviews, top 10 terms per topic, ranked by probability on both
 * sides (bench/topics.py).
 *
 *   npx tsx bench/topics.ts [K] [seeds]        e.g. npx tsx bench/topics.ts 10 0,1,2,3,4
 *
 * For each seed the two fits alternate on this shared machine (custlab seed s, then gensim random_state s), so both
 * see the same load; each side's fit time is the model fit alone (wall seconds; gensim's is LdaModel(...) alone,
 * custlab's is LdaGibbs.fit alone). Every fitted topic set is scored (none is picked by the scorer) and the bench
 * prints, per side, c_v for each seed with min / mean / max, and the fit-time ratio custlab / gensim for each seed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { readTextColumns } from "../src/io";
import { fitTopics } from "../src/text";

const ROOT = path.resolve(__dirname, "..");
const SHARED = path.resolve(ROOT, "../shared/datasets");
const FILE = path.join(SHARED, "womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv");
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const K = Number(args[0] ?? 10);
const SEEDS = (args[1] ?? "0,1,2,3,4").split(",").map(Number);
if (!fs.existsSync(FILE)) { console.error(`bench/topics: ${FILE} not found`); process.exit(1); }
const py = (...a: string[]) => JSON.parse(execFileSync("/usr/bin/python3", [path.join(ROOT, "bench/topics.py"), ...a], { encoding: "utf8", maxBuffer: 1 << 26 }).trim().split("\n").pop()!);
const stats = (x: number[]) => ({ min: Math.min(...x), mean: x.reduce((s, v) => s + v, 0) / x.length, max: Math.max(...x) });
const f4 = (x: number) => x.toFixed(4);

(async () => {
  const texts = (await readTextColumns(FILE, ["Review Text"])).columns["Review Text"].filter((t) => t !== "");
  const sets: Record<string, string[][]> = {};
  const rows: { seed: number; custlab_fit_s: number; gensim_fit_s: number; gensim_fit_cpu_s: number; ratio: number }[] = [];
  for (const seed of SEEDS) {
    const res = fitTopics(texts, K, { lang: "en", seed }); // the CLI's defaults
    sets[`custlab_${seed}`] = res.model.topTerms(10);
    const g = py("fit", SHARED, String(K), "5", String(seed));
    sets[`gensim_${seed}`] = g.topics;
    rows.push({ seed, custlab_fit_s: res.fitSeconds, gensim_fit_s: g.fit_s, gensim_fit_cpu_s: g.fit_cpu_s, ratio: res.fitSeconds / g.fit_s });
    console.log(JSON.stringify({ seed, custlab_fit_s: res.fitSeconds, gensim_fit_s: g.fit_s, ratio: +(res.fitSeconds / g.fit_s).toFixed(3), load: +os.loadavg()[0].toFixed(2) }));
  }
  const tmp = path.join(os.tmpdir(), `custlab-topics-${process.pid}.json`);
  fs.writeFileSync(tmp, JSON.stringify(sets));
  const cv: Record<string, number> = py("score", SHARED, tmp);
  fs.rmSync(tmp, { force: true });
  for (const seed of SEEDS) {
    console.log(`seed ${seed}: custlab c_v ${f4(cv[`custlab_${seed}`])} | gensim c_v ${f4(cv[`gensim_${seed}`])}`);
    console.log(`  custlab: ${sets[`custlab_${seed}`].map((t) => t.join(" ")).join(" · ")}`);
    console.log(`  gensim:  ${sets[`gensim_${seed}`].map((t) => t.join(" ")).join(" · ")}`);
  }
  const c = stats(SEEDS.map((s) => cv[`custlab_${s}`])), g = stats(SEEDS.map((s) => cv[`gensim_${s}`]));
  const wins = SEEDS.filter((s) => cv[`custlab_${s}`] >= cv[`gensim_${s}`]).length;
  const r = stats(rows.map((x) => x.ratio)), ct = stats(rows.map((x) => x.custlab_fit_s)), gt = stats(rows.map((x) => x.gensim_fit_s));
  console.log("scorer: gensim CoherenceModel c_v, texts = [a-z']+ tokens of every review, top 10 terms by probability, K = " + K);
  console.log(`c_v over seeds ${SEEDS.join(",")}: custlab min ${f4(c.min)} mean ${f4(c.mean)} max ${f4(c.max)} | gensim min ${f4(g.min)} mean ${f4(g.mean)} max ${f4(g.max)} | custlab ≥ gensim on ${wins}/${SEEDS.length} seeds (same seed)`);
  console.log(`fit wall s: custlab ${ct.min.toFixed(2)}–${ct.max.toFixed(2)} (mean ${ct.mean.toFixed(2)}) | gensim ${gt.min.toFixed(2)}–${gt.max.toFixed(2)} (mean ${gt.mean.toFixed(2)}) | ratio custlab/gensim per seed ${r.min.toFixed(3)}–${r.max.toFixed(3)} (mean ${r.mean.toFixed(3)})`);
})();
