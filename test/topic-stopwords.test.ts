import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { EN_STOPWORDS, EN_STOPWORDS_SKLEARN, EN_STOPWORDS_TOPICS, EN_LEXICON, prepareTopicCorpus } from "../src/text";

describe("topic-model stopwords", () => {
  it("EN_STOPWORDS_SKLEARN is scikit-learn's ENGLISH_STOP_WORDS word for word", () => {
    const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/text/sklearn_stopwords.json"), "utf8"));
    expect([...EN_STOPWORDS_SKLEARN].sort()).toEqual(fx.words);
  });
  it("the topics list holds both general lists and the strong opinion words, and keeps aspect words", () => {
    for (const w of EN_STOPWORDS) expect(EN_STOPWORDS_TOPICS.has(w), w).toBe(true);
    for (const w of EN_STOPWORDS_SKLEARN) expect(EN_STOPWORDS_TOPICS.has(w), w).toBe(true);
    for (const [w, v] of EN_LEXICON) if (/^[a-z']+$/.test(w)) expect(EN_STOPWORDS_TOPICS.has(w), w).toBe(Math.abs(v) >= 2.5 || EN_STOPWORDS.has(w) || EN_STOPWORDS_SKLEARN.has(w) || ["recommend", "like"].includes(w));
    for (const w of ["love", "perfect", "great", "gorgeous", "beautiful", "compliments", "abysmal"]) expect(EN_STOPWORDS_TOPICS.has(w), w).toBe(true);
    for (const w of ["quality", "comfortable", "soft", "cheap", "delivery", "price", "fabric", "durable", "poor"]) expect(EN_STOPWORDS_TOPICS.has(w), w).toBe(false);
    const c = prepareTopicCorpus(["I love this gorgeous dress, the fabric quality is great", "Great price, but the delivery was slow"], { noBelow: 1, noAbove: 1 });
    expect(c.kept).toEqual([["dress", "fabric", "quality"], ["price", "delivery", "slow"]]);
  });
});
