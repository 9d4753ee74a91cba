import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readTextColumns } from "../src/io";
import { runCaptured } from "./helpers/cli";

const DEMO = path.resolve(__dirname, "../datasets/demo/reviews.csv");
const hasDemo = fs.existsSync(DEMO);
if (!hasDemo) console.warn("text-cli: datasets/demo not generated yet — CLI tests skipped");


// English demo reviews written out as a raw CSV with the clothing file's column names
const d = hasDemo ? await readTextColumns(DEMO, ["title", "text", "rating", "language"]) : null;
const file = path.join(os.tmpdir(), `custlab-text-cli-${process.pid}.csv`);
if (d) {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = [...Array(d.rows).keys()].filter((i) => d.columns.language[i] === "en").map((i) => [q(d.columns.title[i]), q(d.columns.text[i]), d.columns.rating[i]].join(","));
  fs.writeFileSync(file, ["Title,Review Text,Rating", ...rows].join("\n") + "\n");
}

describe.skipIf(!hasDemo)("custlab sentiment / topics on a raw CSV", () => {
  it("sentiment --json prints rows, model, lang and mean AUC / accuracy / macro F1", async () => {
    const { code, out } = await runCaptured((await import("../src/cli/commands/sentiment")).run, [file, "--text", "Review Text", "--title", "Title", "--label", "Rating>=4", "--lang", "en", "--model", "lexicon", "--cv", "5", "--seed", "42", "--json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.rows).toBe(d!.columns.language.filter((l) => l === "en").length);
    expect(j.model).toBe("lexicon");
    expect(j.lang).toBe("en");
    expect(j.auc_mean).toBeGreaterThan(0.85);
    for (const k of ["accuracy_mean", "f1_macro_mean"]) expect(j[k]).toBeGreaterThan(0.5);
  }, 120_000);
  it("topics --json prints docs, vocab, k, coherence and topics", async () => {
    const { code, out } = await runCaptured((await import("../src/cli/commands/topics")).run, [file, "--text", "Review Text", "--lang", "en", "--k", "5", "--seed", "42", "--iterations", "100", "--json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.k).toBe(5);
    expect(j.topics.length).toBe(5);
    expect(j.coherence_c_v).toBeGreaterThan(0.4);
    expect(j.coherence_umass).toBeLessThan(0);
    expect(j.docs).toBeGreaterThan(1000);
  }, 120_000);
  it("topics --inference cvb0 fits by CVB0 (50 passes by default); a bad --inference is a one-line usage error", async () => {
    const mod = await import("../src/cli/commands/topics");
    const { code, out } = await runCaptured(mod.run, [file, "--text", "Review Text", "--k", "5", "--inference", "cvb0", "--json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.topics.length).toBe(5);
    expect(j.coherence_c_v).toBeGreaterThan(0.4);
    await expect(mod.run([file, "--text", "Review Text", "--k", "5", "--inference", "vb"])).rejects.toThrow(/--inference must be gibbs or cvb0, got "vb"/);
  }, 120_000);
  it("topics --optimize-interval learns an asymmetric α and β, prints them, and equals the library fit", async () => {
    const mod = await import("../src/cli/commands/topics");
    const j = JSON.parse((await runCaptured(mod.run, [file, "--text", "Review Text", "--k", "4", "--iterations", "40", "--optimize-interval", "10", "--json"])).out);
    const { LdaGibbs, prepareTopicCorpus } = await import("../src/text");
    const { readTextColumns } = await import("../src/io");
    const texts = (await readTextColumns(file, ["Review Text"])).columns["Review Text"].filter((t) => t.trim() !== "");
    const m = new LdaGibbs({ k: 4, iterations: 40, optimizeInterval: 10, seed: 42, alpha: 2.5, beta: 0.1 }).fit(prepareTopicCorpus(texts, { lang: "en" }));
    expect(j.topics).toEqual(m.topTerms(10));
    expect(j.alpha).toEqual(Array.from(m.alpha_, (a) => Math.round(a * 1e4) / 1e4));
    expect(new Set(j.alpha).size).toBe(4);
    expect(j.beta).not.toBe(0.1);
  }, 120_000);
  it("topics --relevance 0.6 lists each topic's words by LDAvis relevance of the same fit; --relevance outside [0, 1] is a one-line error", async () => {
    const mod = await import("../src/cli/commands/topics");
    const args = [file, "--text", "Review Text", "--k", "4", "--inference", "cvb0", "--iterations", "10", "--json"];
    const plain = JSON.parse((await runCaptured(mod.run, args)).out);
    const rel = JSON.parse((await runCaptured(mod.run, [...args, "--relevance", "0.6"])).out);
    expect(plain.relevance).toBe(1);
    expect(rel.relevance).toBe(0.6);
    const { LdaGibbs, prepareTopicCorpus } = await import("../src/text");
    const { readTextColumns } = await import("../src/io");
    const texts = (await readTextColumns(file, ["Review Text"])).columns["Review Text"].filter((t) => t.trim() !== "");
    const m = new LdaGibbs({ k: 4, inference: "cvb0", iterations: 10, seed: 42, alpha: 2.5, beta: 0.1 }).fit(prepareTopicCorpus(texts, { lang: "en" }));
    expect(plain.topics).toEqual(m.topTerms(10));
    expect(rel.topics).toEqual(m.topTerms(10, { relevance: 0.6 }));
    expect(rel.topics).not.toEqual(plain.topics);
    await expect(mod.run([...args, "--relevance", "2"])).rejects.toThrow(/option --relevance must be a number ≥ 0 ≤ 1, got 2/);
  }, 120_000);
  it("sentiment counts quarantined rows (rows_in = accepted + quarantined)", async () => {
    const bad = file.replace(/\.csv$/, "-ragged.csv");
    fs.writeFileSync(bad, fs.readFileSync(file, "utf8") + "only two,fields\n");
    const { code, out } = await runCaptured((await import("../src/cli/commands/sentiment")).run, [bad, "--text", "Review Text", "--label", "Rating>=4", "--model", "lexicon", "--json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.quarantined).toBe(1);
    expect(j.rows_in).toBe(j.rows + 1);
    expect(j.skipped).toBe(0);
  }, 120_000);
  it("sentiment and topics report rows skipped for an empty text, with their lines", async () => {
    const src = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    const blank = file.replace(/\.csv$/, "-blank.csv");
    // line 3 gets an empty review text (keeping its title and rating)
    src[2] = src[2].replace(/^("(?:[^"]|"")*"),"(?:[^"]|"")*",/, '$1,"",');
    fs.writeFileSync(blank, src.join("\n") + "\n");
    const s = JSON.parse((await runCaptured((await import("../src/cli/commands/sentiment")).run, [blank, "--text", "Review Text", "--label", "Rating>=4", "--model", "lexicon", "--json"])).out);
    expect(s.skipped).toBe(1);
    expect(s.skipped_reasons).toEqual({ empty_text: 1 });
    expect(s.skipped_lines).toEqual([3]);
    expect(s.rows_in).toBe(s.rows + s.quarantined + s.skipped);
    const t = JSON.parse((await runCaptured((await import("../src/cli/commands/topics")).run, [blank, "--text", "Review Text", "--k", "3", "--iterations", "5", "--json"])).out);
    expect(t.skipped_lines).toEqual([3]);
  }, 120_000);
  it("names the file and column when a column is missing", async () => {
    const mod = await import("../src/cli/commands/sentiment");
    await expect(mod.run([file, "--text", "Body", "--label", "Rating>=4", "--json"])).rejects.toThrow(/custlab-text-cli-\d+\.csv, line 1, column Body: no column "Body"/);
  });
});
