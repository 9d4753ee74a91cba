import { parseArgs, printJSON, strOpt, numOpt, quarantineNote, skippedRows, skippedNote } from "../args";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, READING_USAGE, readingOptions, reportInput } from "../reading";
import { readTextColumns } from "../../io/text-columns";
import { parseLabelSpec, applyLabelSpec, sentimentLabelsFromRatings } from "../../text/labels";
import type { TfidfFeatureSet } from "../../text/classifier";
import { crossValidateSentiment, SentimentModelName } from "../../reviews/cv";

export const usage = `custlab sentiment <file.csv> --text <col> [--title <col>] --label <col|rating>=4 [options]

Cross-validate a sentiment model on a raw CSV of reviews and print the mean
ROC-AUC, accuracy and macro F1 over stratified folds. Rows with an empty text
or an empty label are skipped (counted in "skipped", with their lines); rows
with a wrong field count or invalid UTF-8 are quarantined (counted in rows_in /
quarantined, with file and line).

  --text <col>        review text column (e.g. "Review Text", review)
  --title <col>       optional title column, prepended to the text
  --label <spec>      "Rating>=4" (positive when the column is at least 4), or a 0/1
                      column such as "label"; with --classes 3 give the rating column
                      ("Rating": negative ≤ 2, neutral 3, positive ≥ 4)
  --classes 2|3       number of classes (default 2)
  --lang en|zh        language (default en)
  --model <name>      lexicon | tfidf-lr | nn (default tfidf-lr)
  --features <set>    tfidf-lr features: word | char | word+char | sklearn
                      (default: word for en, word+char for zh; sklearn = the
                      scikit-learn anchor pipeline's features)
  --C <c>             tfidf-lr inverse regularisation (default 4)
  --epochs <n>        nn epochs (default 4)
  --cv <k>            folds (default 5)
  --threads <n>       tfidf-lr: folds fitted side by side on n threads (default:
                      available CPUs; results do not depend on it)
  --seed <n>          seed for folds and models (default 42)
  --json              print one JSON object
Columns may be positions (#3), e.g. with --no-header; --map text=<col> and
--map label=<col> are the same as --text and --label.
${READING_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    text: "string", title: "string", label: "string", lang: "string", model: "string", cv: "string", seed: "string",
    classes: "string", features: "string", C: "string", epochs: "string", threads: "string", json: "boolean", ...READING_SPEC,
  });
  const reading = readingOptions(options);
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "sentiment: give a CSV file (custlab sentiment <file> --text <col> --label <spec>)");
  const textCol = strOpt(options, "text", reading.map?.text === undefined ? undefined : String(typeof reading.map.text === "number" ? `#${reading.map.text + 1}` : reading.map.text));
  if (!textCol) throw new CustlabError("E_USAGE", "sentiment: --text <column> is required");
  const labelArg = strOpt(options, "label", reading.map?.label === undefined ? undefined : String(typeof reading.map.label === "number" ? `#${reading.map.label + 1}` : reading.map.label));
  if (!labelArg) throw new CustlabError("E_USAGE", "sentiment: --label is required (e.g. --label Rating>=4 or --label label)");
  const lang = strOpt(options, "lang", "en") as "en" | "zh";
  if (lang !== "en" && lang !== "zh") throw new CustlabError("E_USAGE", `sentiment: --lang must be en or zh, got "${lang}"`);
  const model = strOpt(options, "model", "tfidf-lr") as SentimentModelName;
  if (!["lexicon", "tfidf-lr", "nn"].includes(model)) throw new CustlabError("E_USAGE", `sentiment: --model must be lexicon, tfidf-lr or nn, got "${model}"`);
  const classes = numOpt(options, "classes", 2);
  if (classes !== 2 && classes !== 3) throw new CustlabError("E_USAGE", "sentiment: --classes must be 2 or 3");
  const spec = parseLabelSpec(labelArg);
  const titleCol = strOpt(options, "title");
  const cols = [textCol, spec.column, ...(titleCol ? [titleCol] : [])];
  const data = await readTextColumns(file, [...new Set(cols)], { ...reading, map: undefined, dateFormat: undefined });
  const input = reportInput(data.report, reading);
  let labels: Int32Array;
  if (classes === 3) {
    const vals = data.columns[spec.column].map((v) => (v.trim() === "" ? NaN : Number(v)));
    const bad = vals.findIndex((v, i) => Number.isNaN(v) && data.columns[spec.column][i].trim() !== "");
    if (bad >= 0) throw new CustlabError("E_LABEL", `"${data.columns[spec.column][bad]}" is not a rating`, { file, line: data.lines[bad], column: spec.column });
    labels = sentimentLabelsFromRatings(vals, { classes: 3 });
  } else labels = applyLabelSpec(data.columns[spec.column], spec, { file });
  const texts: string[] = [];
  const y: number[] = [];
  const skipped = skippedRows();
  for (let i = 0; i < data.rows; i++) {
    const t = data.columns[textCol][i];
    if (!t || !t.trim()) { skipped.add("empty_text", data.lines[i]); continue; }
    if (labels[i] < 0) { skipped.add("no_label", data.lines[i]); continue; }
    texts.push(titleCol ? `${data.columns[titleCol][i]} ${t}` : t);
    y.push(labels[i]);
  }
  if (texts.length < 10) throw new CustlabError("E_EMPTY", `only ${texts.length} rows have text and a label`, { file, column: textCol });
  const r = await crossValidateSentiment(texts, Int32Array.from(y), {
    model, lang, folds: numOpt(options, "cv", 5), seed: numOpt(options, "seed", 42), threads: options.threads === undefined ? undefined : numOpt(options, "threads", 1),
    tfidf: { features: strOpt(options, "features") as TfidfFeatureSet | undefined, C: numOpt(options, "C", 4) },
    nn: { epochs: numOpt(options, "epochs", 4) },
    onProgress: options.json ? undefined : consoleProgress(),
  });
  const out = {
    input,
    rows: r.rows, rows_in: data.report.rows_in, quarantined: data.report.quarantined,
    skipped: skipped.total(), skipped_reasons: skipped.counts, skipped_lines: skipped.first_lines, model: r.model, lang: r.lang, classes: r.classes, threads: r.threads,
    auc_mean: round(r.auc_mean), accuracy_mean: round(r.accuracy_mean), f1_macro_mean: round(r.f1_macro_mean), auc_std: round(r.auc_std),
    folds: r.folds.map((f) => ({ auc: round(f.auc), accuracy: round(f.accuracy), f1_macro: round(f.f1_macro), seconds: round(f.seconds, 2) })),
    seconds: round(r.seconds, 2),
  };
  if (options.json) printJSON(out);
  else {
    if (data.report.quarantined) process.stderr.write(quarantineNote(data.report.quarantined, data.report.reasons));
    process.stderr.write(skippedNote(skipped));
    process.stdout.write(`${r.model} (${r.lang}, ${r.classes} classes) on ${r.rows} reviews, ${r.folds.length}-fold CV: AUC ${out.auc_mean} ± ${out.auc_std}, accuracy ${out.accuracy_mean}, macro F1 ${out.f1_macro_mean} (${out.seconds} s)\n`);
  }
  return 0;
}

function round(v: number, d = 4): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}
