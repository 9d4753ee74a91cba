/**
 * Topics bench: custlab's topics (exactly what `custlab topics --lang en --k K` fits by default:
 * fitTopics with its own preprocessing and priors) against gensim's LdaModel (5 passes, the anchor's
 * preprocessing), both scored by one independent scorer — gensim's CoherenceModel c_v over plain
 * lowercase word tokens [a-z']+ of the clothing reviews, top 10 terms per topic (bench/topics.py).
 *
 *   npx tsx bench/topics.ts [K] [rounds]
 *
 * Rounds alternate custlab and gensim fits on this shared machine; prints each side's fit time (wall
 * seconds, best of the rounds), both c_v values and the ratio of fit times. A second custlab side fits the same
 * corpus with `inference: "cvb0"` (zero-order collapsed variational Bayes, 50 iterations), scored by the same scorer.
 * Both custlab models are also listed by LDAvis relevance λ = 0.6 (`topTerms(10, { relevance: 0.6 })`,
 * `custlab topics --relevance 0.6`: same fit, words ranked by distinctiveness) and scored by the same scorer.
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
const K = Number(args[0] ?? 10), ROUNDS = Number(args[1] ?? 2);
if (!fs.existsSync(FILE)) { console.error(`bench/topics: ${FILE} not found`); process.exit(1); }

(async () => {
  const texts = (await readTextColumns(FILE, ["Review Text"])).columns["Review Text"].filter((t) => t !== "");
  const tmp = path.join(os.tmpdir(), `custlab-topics-${process.pid}.json`);
  const ours: { fit_s: number; total_s: number }[] = [], theirs: { fit_s: number; fit_cpu_s: number }[] = [], cvb: { fit_s: number }[] = [];
  let scored: Record<string, unknown> = {}, scoredCvb: Record<string, unknown> = {};
  let topics: string[][] = [], topicsCvb: string[][] = [], topicsRel: string[][] = [], topicsCvbRel: string[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const w0 = Date.now();
    const res = fitTopics(texts, K, { lang: "en", seed: 42 }); // the CLI's defaults
    // fit_s: the sampler alone (as gensim's fit_s is LdaModel alone); total_s adds tokenising and custlab's own coherence
    ours.push({ fit_s: res.fitSeconds, total_s: (Date.now() - w0) / 1000 });
    topics = res.model.topTerms(10);
    topicsRel = res.model.topTerms(10, { relevance: 0.6 });
    fs.writeFileSync(tmp, JSON.stringify(topics));
    const out = execFileSync("/usr/bin/python3", [path.join(ROOT, "bench/topics.py"), SHARED, String(K), "5", tmp], { encoding: "utf8", maxBuffer: 1 << 24 });
    scored = JSON.parse(out.trim().split("\n").pop()!);
    theirs.push({ fit_s: scored.fit_s as number, fit_cpu_s: scored.fit_cpu_s as number });
    const c = fitTopics(texts, K, { lang: "en", seed: 42, inference: "cvb0", iterations: 50 });
    cvb.push({ fit_s: c.fitSeconds });
    topicsCvb = c.model.topTerms(10);
    topicsCvbRel = c.model.topTerms(10, { relevance: 0.6 });
  }
  // the CVB0 topics, scored by the same scorer (passes = 0: no gensim fit needed for them, only the scorer)
  const scoreOnly = (t: string[][]) => {
    fs.writeFileSync(tmp, JSON.stringify(t));
    return JSON.parse(execFileSync("/usr/bin/python3", [path.join(ROOT, "bench/topics.py"), SHARED, String(K), "1", tmp], { encoding: "utf8", maxBuffer: 1 << 24 }).trim().split("\n").pop()!);
  };
  scoredCvb = scoreOnly(topicsCvb);
  const scoredRel = scoreOnly(topicsRel), scoredCvbRel = scoreOnly(topicsCvbRel);
  fs.rmSync(tmp, { force: true });
  const o = { fit_s: Math.min(...ours.map((x) => x.fit_s)) }, g = { fit_s: Math.min(...theirs.map((x) => x.fit_s)) };
  console.log(JSON.stringify({ side: "custlab (custlab topics defaults: fitTopics, K = " + K + ")", ...o, rounds: ours, topics: topics.map((t) => t.join(" ")) }, null, 1));
  console.log(JSON.stringify({ side: "gensim LdaModel (5 passes, anchor preprocessing)", ...g, rounds: theirs, topics: (scored.gensim_topics as string[][]).map((t) => t.join(" ")) }, null, 1));
  const cv = { fit_s: Math.min(...cvb.map((x) => x.fit_s)) };
  console.log(JSON.stringify({ side: "custlab fitTopics(..., { inference: \"cvb0\", iterations: 50 })", ...cv, rounds: cvb, topics: topicsCvb.map((t) => t.join(" ")) }, null, 1));
  console.log(JSON.stringify({ side: "relevance λ = 0.6 (same two fits)", gibbs: topicsRel.map((t) => t.join(" ")), cvb0: topicsCvbRel.map((t) => t.join(" ")) }, null, 1));
  console.log(`scorer: ${scored.scorer}`);
  console.log(`c_v custlab ${scored.custlab_c_v} vs gensim ${scored.gensim_c_v}; fit time (best of ${ROUNDS} alternating rounds) custlab ${o.fit_s.toFixed(2)} s / gensim ${g.fit_s.toFixed(2)} s = ${(o.fit_s / g.fit_s).toFixed(3)}×`);
  console.log(`c_v custlab CVB0 (50 iterations) ${scoredCvb.custlab_c_v} vs gensim ${scored.gensim_c_v}; fit time custlab CVB0 ${cv.fit_s.toFixed(2)} s / gensim ${g.fit_s.toFixed(2)} s = ${(cv.fit_s / g.fit_s).toFixed(3)}×`);
  console.log(`c_v custlab Gibbs, relevance λ = 0.6 ${scoredRel.custlab_c_v}; CVB0 (50 iterations), relevance λ = 0.6 ${scoredCvbRel.custlab_c_v} (fit times as above) vs gensim ${scored.gensim_c_v}`);
})();
