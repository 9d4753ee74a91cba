import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { LdaGibbs, prepareTopicCorpus, fitTopics } from "../src/text";

// numpy oracle: test/fixtures/text/lda_relevance.py (LDAvis relevance, Sievert & Shirley 2014)
const FIX = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/text/lda_relevance.json"), "utf8")) as {
  cases: { k: number; v: number; topicWord: number[]; termFrequency: number[]; top10: Record<string, number[][]> }[];
};

function modelOf(c: (typeof FIX.cases)[number]): LdaGibbs {
  const m = new LdaGibbs({ k: c.k });
  m.topicWord_ = { data: Float64Array.from(c.topicWord), rows: c.k, cols: c.v };
  m.docTopic_ = { data: new Float64Array(c.k).fill(1 / c.k), rows: 1, cols: c.k };
  m.vocab_ = Array.from({ length: c.v }, (_, i) => `w${i}`);
  m.termFrequency_ = Float64Array.from(c.termFrequency);
  return m;
}

describe("LdaGibbs.topTerms relevance (LDAvis λ)", () => {
  it("ranks like numpy's relevance over 4 random models × 6 values of λ", () => {
    let n = 0;
    for (const c of FIX.cases) {
      const m = modelOf(c);
      for (const [lam, tops] of Object.entries(c.top10)) {
        expect(m.topTermIds(10, { relevance: Number(lam) })).toEqual(tops);
        n++;
      }
      expect(m.topTermIds(10)).toEqual(c.top10["1.0"]); // default: by probability
    }
    expect(n).toBe(24);
  });

  it("counts the fitted corpus's tokens, survives toJSON, rejects λ outside [0, 1]", () => {
    const docs = ["soft fabric soft wash", "late parcel courier late late", "soft cotton fabric", "courier delivery parcel"];
    const corpus = prepareTopicCorpus(docs, { noBelow: 1, noAbove: 1 });
    for (const inference of ["gibbs", "cvb0"] as const) {
      const m = new LdaGibbs({ k: 2, iterations: 20, seed: 1, inference }).fit(corpus);
      const counts = new Array(corpus.vocab.length).fill(0);
      for (const d of corpus.docs) for (const w of d) counts[w]++;
      expect(Array.from(m.termFrequency_!)).toEqual(counts);
      const back = LdaGibbs.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
      expect(back.topTerms(4, { relevance: 0.3 })).toEqual(m.topTerms(4, { relevance: 0.3 }));
      expect(() => m.topTerms(4, { relevance: 1.5 })).toThrow(/relevance must be in \[0, 1\], got 1.5/);
      expect(() => m.topTerms(4, { relevance: NaN })).toThrow(/relevance must be in/);
    }
    const r = fitTopics(docs, 2, { noBelow: 1, noAbove: 1, iterations: 20, seed: 1, relevance: 0.6, topn: 3 });
    expect(r.topics).toEqual(r.model.topTerms(3, { relevance: 0.6 }));
  });
});
