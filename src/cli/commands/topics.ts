import { parseArgs, printJSON, strOpt, numOpt, checkedNumOpt, quarantineNote, skippedRows, skippedNote } from "../args";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { readTextColumns } from "../../io/text-columns";
import { fitTopics } from "../../text/topics";

export const usage = `custlab topics <file.csv> --text <col> --k <n> [options]

Fit an LDA topic model (collapsed Gibbs sampling) to a text column and print
the topics' top words with c_v and u_mass coherence (gensim's definitions).
Rows with an empty text are skipped (counted in "skipped", with their lines).

  --text <col>        text column (e.g. "Review Text", review)
  --lang en|zh        language (default en; zh segments with Intl.Segmenter)
  --k <n>             number of topics (default 10)
  --inference <m>     gibbs (collapsed Gibbs sampling, default) or cvb0 (zero-order collapsed
                      variational Bayes: fewer passes than Gibbs sweeps, deterministic after the seeded start)
  --iterations <n>    Gibbs sweeps (default 200) or CVB0 passes (default 50)
  --alpha <a>         document–topic prior (default 10/k)
  --beta <b>          topic–word prior (default 0.1)
  --optimize-interval <n>  learn an asymmetric α and β from the data every n Gibbs sweeps (MALLET's
                      --optimize-interval; default 0: off)
  --relevance <λ>     rank each topic's words by LDAvis relevance λ·log p(w|t) + (1−λ)·log(p(w|t)/p(w))
                      (Sievert & Shirley 2014; 0.6 favours words distinctive of the topic; default 1:
                      by probability)
  --top <n>           words shown per topic (default 10; coherence uses 20)
  --seed <n>          seed (default 42)
  --json              print one JSON object
The text column may be a position (#3), e.g. with --no-header; --map text=<col>
is the same as --text.
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    text: "string", lang: "string", k: "string", inference: "string", iterations: "string", alpha: "string", beta: "string", "optimize-interval": "string", top: "string", relevance: "string", seed: "string", json: "boolean", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "topics: give a CSV file (custlab topics <file> --text <col> --k <n>)");
  const textCol = strOpt(options, "text", reading.map?.text === undefined ? undefined : String(typeof reading.map.text === "number" ? `#${reading.map.text + 1}` : reading.map.text));
  if (!textCol) throw new CustlabError("E_USAGE", "topics: --text <column> is required");
  const lang = strOpt(options, "lang", "en") as "en" | "zh";
  if (lang !== "en" && lang !== "zh") throw new CustlabError("E_USAGE", `topics: --lang must be en or zh, got "${lang}"`);
  const k = numOpt(options, "k", 10);
  if (!Number.isInteger(k) || k < 2) throw new CustlabError("E_USAGE", `topics: --k must be an integer ≥ 2, got ${k}`);
  const inference = strOpt(options, "inference", "gibbs") as "gibbs" | "cvb0";
  if (inference !== "gibbs" && inference !== "cvb0") throw new CustlabError("E_USAGE", `topics: --inference must be gibbs or cvb0, got "${inference}"`);
  const iterations = checkedNumOpt(options, "iterations", inference === "cvb0" ? 50 : 200, { min: 1, integer: true });
  const alpha = checkedNumOpt(options, "alpha", 10 / k, { above: 0 });
  const beta = checkedNumOpt(options, "beta", 0.1, { above: 0 });
  const optimizeInterval = checkedNumOpt(options, "optimize-interval", 0, { min: 0, integer: true });
  if (optimizeInterval > 0 && inference !== "gibbs") throw new CustlabError("E_USAGE", "topics: --optimize-interval needs --inference gibbs");
  const top = checkedNumOpt(options, "top", 10, { min: 1, integer: true });
  const relevance = checkedNumOpt(options, "relevance", 1, { min: 0, max: 1 });
  const data = await readTextColumns(file, [textCol], { ...reading, map: undefined, dateFormat: undefined });
  const input = reportInput(data.report, reading);
  const texts: string[] = [];
  const skipped = skippedRows();
  data.columns[textCol].forEach((t, i) => { if (t.trim() !== "") texts.push(t); else skipped.add("empty_text", data.lines[i]); });
  if (texts.length < k) throw new CustlabError("E_EMPTY", `only ${texts.length} non-empty texts for ${k} topics`, { file, column: textCol });
  const t0 = Date.now();
  const r = fitTopics(texts, k, {
    lang, inference, iterations, alpha, beta, relevance, optimizeInterval,
    seed: numOpt(options, "seed", 42), onProgress: options.json ? undefined : consoleProgress(),
  });
  const out = {
    input,
    rows_in: data.report.rows_in, quarantined: data.report.quarantined,
    skipped: skipped.total(), skipped_reasons: skipped.counts, skipped_lines: skipped.first_lines, docs: r.corpus.docs.length, vocab: r.corpus.vocab.length, k,
    coherence_c_v: round(r.coherence_c_v), coherence_umass: round(r.coherence_umass), coherence_npmi: round(r.coherence_npmi),
    seconds: round((Date.now() - t0) / 1000, 2), fit_seconds: round(r.fitSeconds, 2),
    relevance, alpha: Array.from(r.model.alpha_, (a) => round(a)), beta: round(r.model.beta_), topics: r.topics.map((t) => t.slice(0, top)), labels: r.labels, prevalence: r.prevalence.map((p) => round(p)),
  };
  if (options.json) printJSON(out);
  else {
    if (data.report.quarantined) process.stderr.write(quarantineNote(data.report.quarantined, data.report.reasons));
    process.stderr.write(skippedNote(skipped));
    process.stdout.write(`${k} topics on ${out.docs} documents (${out.vocab} words): c_v ${out.coherence_c_v}, u_mass ${out.coherence_umass} (${out.seconds} s)\n`);
    out.topics.forEach((t, i) => process.stdout.write(`  ${String(i).padStart(2)} ${(out.prevalence[i] * 100).toFixed(1).padStart(5)}%  ${t.join(" ")}\n`));
  }
  return 0;
}

function round(v: number, d = 4): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}
