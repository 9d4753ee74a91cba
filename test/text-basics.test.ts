import { describe, it, expect } from "vitest";
import {
  cleanText, stripBom, tokenizeEnglish, tokenizeChinese, segmentChinese, charNgrams, wordNgrams, porterStem,
  TfidfVectorizer, SparseLogisticRegression, csrFromTriplets, csrToDense, csrTakeRows, csrHstack, csrTranspose,
  EN_STOPWORDS, ZH_STOPWORDS,
} from "../src/text";
import { PairMap } from "../src/text/pair-map";
import { minimizeLbfgs } from "../src/util/optim";

// Oracle values below were printed by Debian's scikit-learn (TfidfVectorizer, LogisticRegression(C=4, tol=1e-10)).
const DOCS = ["The fabric is soft and the fit is great", "Not great: fabric pilled after one wash", "Great great dress, soft fabric!", "Runs small, returned it", "\ufeff质量很好 物流快", "质量不好"];

describe("cleaning", () => {
  it("strips BOMs anywhere, keeps emojis and negations, maps emoticons", () => {
    expect(stripBom("\uFEFF很好\uFEFF")).toBe("很好");
    expect(cleanText("\uFEFFI don&#39;t love it :(  http://x.y/z ❤")).toBe("I don't love it 🙁 ❤");
    expect(cleanText("ＡＢＣ，好")).toBe("ABC,好"); // NFKC full-width → half-width
  });
});

describe("tokenisation", () => {
  it("English: lower-case, apostrophes kept, negation scope ends at punctuation", () => {
    expect(tokenizeEnglish("Not good, LOVE it!")).toEqual(["not", "good", "love", "it"]);
    expect(tokenizeEnglish("Not good at all, love it", { negation: true })).toEqual(["not", "not_good", "not_at", "not_all", "love", "it"]);
    expect(tokenizeEnglish("I don't like the fabric", { negation: true, negationScope: 2 })).toEqual(["i", "don't", "not_like", "not_the", "fabric"]);
    expect(tokenizeEnglish("love 😍 it", {})).toEqual(["love", "😍", "it"]);
    expect(tokenizeEnglish("the dresses were running small", { stem: true, stopwords: true })).toEqual(["dress", "run", "small"]);
  });
  it("Porter stemmer matches the reference vocabulary", () => {
    const pairs: [string, string][] = [["caresses", "caress"], ["ponies", "poni"], ["relational", "relat"], ["conditional", "condit"], ["generalizations", "gener"],
      ["hopping", "hop"], ["filing", "file"], ["happy", "happi"], ["agreed", "agre"], ["electrical", "electr"], ["adjustable", "adjust"], ["running", "run"]];
    for (const [w, s] of pairs) expect(porterStem(w)).toBe(s);
  });
  it("Chinese: Intl.Segmenter words, BOM removed, negation marking", () => {
    const w = segmentChinese("\uFEFF这件衣服质量很好");
    expect(w.join("")).toBe("这件衣服质量很好");
    expect(w).toContain("衣服");
    expect(w).toContain("质量");
    expect(tokenizeChinese("质量不好，物流快", { negation: true })).toEqual(["质量", "不", "不_好", "物流", "快"]);
    expect(tokenizeChinese("这个质量很好", { stopwords: true })).not.toContain("这个");
  });
  it("n-grams follow scikit-learn (word order, char_wb padding and short words)", () => {
    expect(wordNgrams(["not", "so", "good"], 1, 2)).toEqual(["not", "so", "good", "not so", "so good"]);
    const sk = [" ", " o", " ok", " 不", " 不好", " 质", " 质量", "k", "k ", "o", "ok", "ok ", "不", "不好", "不好 ", "好", "好 ", "很", "很好", "很好 ", "质", "质量", "质量很", "量", "量很", "量很好"];
    const v = new TfidfVectorizer({ analyzer: "char_wb", ngramRange: [1, 3] }).fit(["质量很好 ok", "不好"]);
    expect(v.featureNames_).toEqual(sk);
    expect(charNgrams("a", 3, 4, { wordBoundary: true })).toEqual([" a "]); // padded word shorter than n: once
  });
  it("stopword lists keep negations", () => {
    expect(EN_STOPWORDS.has("the")).toBe(true);
    expect(EN_STOPWORDS.has("not")).toBe(false);
    expect(ZH_STOPWORDS.has("的")).toBe(true);
    expect(ZH_STOPWORDS.has("不")).toBe(false);
  });
});

describe("TF-IDF matches scikit-learn", () => {
  it("word 1–2-grams, sublinear tf, smooth idf, l2 rows", () => {
    const v = new TfidfVectorizer({ ngramRange: [1, 2], sublinearTf: true });
    const X = v.fitTransform(DOCS);
    expect(v.featureNames_.length).toBe(42);
    expect(v.featureNames_.slice(0, 6)).toEqual(["after", "after one", "and", "and the", "dress", "dress soft"]);
    expect(v.featureNames_.slice(-4)).toEqual(["物流快", "质量不好", "质量很好", "质量很好 物流快"]);
    const col = (t: string) => v.vocabulary_.get(t)!;
    expect(v.idf_[col("fabric")]).toBeCloseTo(1.5596157879, 9);
    expect(v.idf_[col("soft")]).toBeCloseTo(1.8472978604, 9);
    expect(v.idf_[col("after")]).toBeCloseTo(2.2527629685, 9);
    const row0 = csrToDense(X)[0];
    const sk0: Record<string, number> = { "is great": 0.2399765021, great: 0.1661387135, soft: 0.1967841646, is: 0.4063155379, fabric: 0.1661387135, the: 0.4063155379 };
    for (const [t, val] of Object.entries(sk0)) expect(row0[col(t)]).toBeCloseTo(val, 9);
    // transform of the same texts gives the same matrix
    expect(csrToDense(v.transform(DOCS))).toEqual(csrToDense(X));
  });
  it("min_df / max_df prune like scikit-learn", () => {
    const v = new TfidfVectorizer({ minDf: 2, maxDf: 0.6 }).fit(DOCS.slice(0, 4));
    expect(v.featureNames_).toEqual(["soft"]);
  });
  it("round-trips through JSON (vocabulary rebuilt for transform)", () => {
    const v = new TfidfVectorizer({ ngramRange: [1, 2], sublinearTf: true });
    const X = v.fitTransform(DOCS);
    const w = TfidfVectorizer.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    expect(csrToDense(w.transform(DOCS))).toEqual(csrToDense(X));
  });
});

describe("sparse logistic regression matches scikit-learn", () => {
  const v = new TfidfVectorizer({ ngramRange: [1, 2], sublinearTf: true });
  const X = v.fitTransform(DOCS);
  it("binary: coefficients and probabilities", () => {
    const m = new SparseLogisticRegression({ C: 4, tol: 1e-10, maxIter: 2000 }).fit(X, [1, 0, 1, 0, 1, 0]);
    // exact optimum of C·Σ logloss + ½‖w‖² (scipy BFGS, gtol 1e-12); scikit-learn's lbfgs stops within 1e-5 of it
    const exact = [-0.3211228, -0.3211228, 0.244984, 0.2449839, 0.3853552, 0.3853552, 0.2140743, 0.2449839];
    const sk = [-0.321115, -0.321115, 0.244984, 0.244984, 0.385347, 0.385347, 0.214074, 0.244984];
    exact.forEach((c, j) => expect(m.coef_[j]).toBeCloseTo(c, 6));
    sk.forEach((c, j) => expect(m.coef_[j]).toBeCloseTo(c, 4));
    expect(m.intercept_[0]).toBeCloseTo(-0.0575674, 6);
    const p = m.predictProba(X);
    [0.7447834, 0.2776203, 0.7357129, 0.2544123, 0.7330588, 0.2544123].forEach((q, i) => expect(p[2 * i + 1]).toBeCloseTo(q, 6));
  });
  it("multinomial (3 classes)", () => {
    const m = new SparseLogisticRegression({ C: 4, tol: 1e-10, maxIter: 2000 }).fit(X, [2, 0, 2, 1, 2, 0]);
    const p = m.predictProba(X);
    [0.126531, 0.068855, 0.804614].forEach((q, k) => expect(p[k]).toBeCloseTo(q, 5));
  });
  it("L-BFGS minimises the Rosenbrock function", () => {
    const r = minimizeLbfgs((x, g) => {
      const a = 1 - x[0], b = x[1] - x[0] * x[0];
      g[0] = -2 * a - 400 * x[0] * b; g[1] = 200 * b;
      return a * a + 100 * b * b;
    }, Float64Array.from([-1.2, 1]), { maxIter: 1000, gtol: 1e-10, ftol: 0 });
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });
});

describe("CSR helpers", () => {
  it("builds, slices and stacks CSR matrices", () => {
    const m = csrFromTriplets(2, 3, [0, 1, 1, 1], [2, 0, 2, 2], [1, 5, 3, 4]);
    expect(csrToDense(m)).toEqual([[0, 0, 1], [5, 0, 7]]);
    expect(csrToDense(csrTakeRows(m, [1]))).toEqual([[5, 0, 7]]);
    expect(csrToDense(csrHstack([m, m]))).toEqual([[0, 0, 1, 0, 0, 1], [5, 0, 7, 5, 0, 7]]);
  });
  it("transposes (rows of Xᵀ list the rows of X that use each column, ascending)", () => {
    const m = csrFromTriplets(3, 4, [0, 0, 1, 2, 2], [1, 3, 1, 0, 3], [1, 2, 3, 4, 5]);
    const t = csrTranspose(m);
    expect(csrToDense(t)).toEqual([[0, 0, 4], [1, 3, 0], [0, 0, 0], [2, 0, 5]]);
    expect(Array.from(t.indices)).toEqual([2, 0, 1, 0, 2]);
    expect(csrToDense(csrTranspose(t))).toEqual(csrToDense(m));
  });
});

describe("PairMap", () => {
  it("agrees with a Map over 200k random pairs, through its growth", () => {
    const pm = new PairMap(4), ref = new Map<string, number>();
    let seed = 7;
    const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
    for (let t = 0; t < 200_000; t++) {
      const a = rnd(5000), b = rnd(2_000_000_000), v = rnd(1 << 30);
      pm.set(a, b, v); ref.set(`${a},${b}`, v);
      if (t % 3 === 0) { const a2 = rnd(5000), b2 = rnd(2_000_000_000); expect(pm.get(a2, b2)).toBe(ref.get(`${a2},${b2}`) ?? -1); }
    }
    expect(pm.size).toBe(ref.size);
    for (const [k, v] of ref) { const [a, b] = k.split(",").map(Number); if (pm.get(a, b) !== v) throw new Error(`PairMap lost ${k}`); }
  });
});
