/**
 * Topics bench: custlab's collapsed Gibbs LDA against gensim's LdaModel on
 * the clothing reviews, K = 10, same preprocessing and the same coherence
 * definitions (gensim's CoherenceModel c_v / u_mass; custlab's coherence is
 * checked equal to gensim's on gensim's own topics in test/text-topics).
 *
 *   npx tsx bench/topics.ts [K] [iterations] [--no-gensim]
 *
 * Prints both sides' fit time (wall and CPU seconds: the machine is shared,
 * so CPU seconds are the fairer ratio), c_v, u_mass and the ratio.
 */
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { readTextColumns } from "../src/io";
import { prepareTopicCorpus, LdaGibbs, coherenceCV, coherenceUMass } from "../src/text";

const ROOT = path.resolve(__dirname, "..");
const SHARED = path.resolve(ROOT, "../shared/datasets");
const FILE = path.join(SHARED, "womens-clothing-reviews/Womens Clothing E-Commerce Reviews.csv");
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const K = Number(args[0] ?? 10), ITERS = Number(args[1] ?? 200);
const noGensim = process.argv.includes("--no-gensim");
if (!fs.existsSync(FILE)) { console.error(`bench/topics: ${FILE} not found`); process.exit(1); }

// the gensim anchor's preprocessing (../shared/anchors/gensim_lda_baseline.py)
const STOP = new Set("a an the and or but if to of in on for with at by from is are was were be been it this that i my me we you she he they them its it's so as not no very just too also have has had do did does would could will can really am im i'm dress top fit size".split(" "));
(async () => {
  const texts = (await readTextColumns(FILE, ["Review Text"])).columns["Review Text"].filter((t) => t !== "");
  const corpus = prepareTopicCorpus(texts, { stopwords: STOP });
  const w0 = Date.now(), c0 = process.cpuUsage();
  const lda = new LdaGibbs({ k: K, iterations: ITERS, seed: 42 }).fit(corpus);
  const cpu = process.cpuUsage(c0);
  const ours = {
    side: "custlab LdaGibbs", k: K, iterations: ITERS, fit_s: (Date.now() - w0) / 1000, fit_cpu_s: (cpu.user + cpu.system) / 1e6,
    c_v: coherenceCV(lda.topTerms(20), corpus.texts).mean, u_mass: coherenceUMass(lda.topTerms(20), corpus.kept).mean,
    docs: corpus.docs.length, vocab: corpus.vocab.length, topics: lda.topTerms(8).map((t) => t.join(" ")),
  };
  console.log(JSON.stringify(ours, null, 1));
  if (!noGensim) {
    const out = execFileSync("/usr/bin/python3", [path.join(ROOT, "bench/topics.py"), SHARED, String(K), "5"], { encoding: "utf8", maxBuffer: 1 << 24 });
    const g = JSON.parse(out.trim().split("\n").pop()!);
    console.log(JSON.stringify({ side: "gensim LdaModel (5 passes)", fit_s: g.fit_s, fit_cpu_s: g.fit_cpu_s, c_v: g.c_v, u_mass: g.u_mass, docs: g.docs, vocab: g.vocab }, null, 1));
    console.log(`ratio custlab/gensim: wall ${(ours.fit_s / g.fit_s).toFixed(3)}, cpu ${(ours.fit_cpu_s / g.fit_cpu_s).toFixed(3)}; c_v ${ours.c_v.toFixed(4)} vs ${g.c_v}`);
  }
})();
