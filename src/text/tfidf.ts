/**
 * TF-IDF features in CSR typed arrays, with scikit-learn's TfidfVectorizer
 * formulas: tf = raw count (or 1 + ln(count) with `sublinearTf`), smooth
 * idf = ln((1 + n) / (1 + df)) + 1, rows scaled to unit l2 norm.
 */
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import { CsrMatrix, csrTranspose } from "./csr";
import { PairMap } from "./pair-map";
import { charNgrams, tokenizeChinese, tokenizeEnglish, wordNgrams } from "./tokenize";
import { stripBom } from "./clean";
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type FitOptions, type OptionSpec, type Resolved } from "../util/estimator";
import { didYouMean } from "../util/suggest";

/** Names of the built-in text analyzers (see {@link registerTextAnalyzer}). */
export type NamedTextAnalyzer = "en-negation" | "zh-negation" | "en-words" | "zh-words";

/**
 * How a document becomes terms: scikit-learn's "word", "char", "char_wb"; a
 * named analyzer (serialisable: `"en-negation"`, `"zh-negation"`, `"en-words"`,
 * `"zh-words"` or one added with {@link registerTextAnalyzer}); or a function
 * returning the terms of a text (not serialisable).
 */
export type TfidfAnalyzer = "word" | "char" | "char_wb" | NamedTextAnalyzer | (string & {}) | ((text: string) => string[]);

const TEXT_ANALYZERS = new Map<string, (text: string) => string[]>([
  ["en-negation", (t) => tokenizeEnglish(t, { negation: true, negationScope: 3 })],
  ["zh-negation", (t) => tokenizeChinese(t, { negation: true })],
  ["en-words", (t) => tokenizeEnglish(t)],
  ["zh-words", (t) => tokenizeChinese(t)],
]);

/**
 * Add a named text analyzer, so vectorisers (and the models built on them)
 * that use it stay serialisable: their JSON stores the name. Register the same
 * name before reading such JSON back.
 * @example
 * ```ts
 * import { registerTextAnalyzer, TfidfVectorizer } from "custlab";
 * registerTextAnalyzer("hashtags", (t) => t.match(/#\w+/g) ?? []);
 * new TfidfVectorizer({ analyzer: "hashtags" });
 * ```
 */
export function registerTextAnalyzer(name: string, analyzer: (text: string) => string[]): void {
  if (["word", "char", "char_wb"].includes(name)) throw new CustlabError("E_OPTION", `registerTextAnalyzer: "${name}" is a built-in analyzer`);
  const prev = TEXT_ANALYZERS.get(name);
  if (prev && prev !== analyzer) throw new CustlabError("E_OPTION", `registerTextAnalyzer: "${name}" is already registered`);
  TEXT_ANALYZERS.set(name, analyzer);
}

/**
 * The named analyzers (built-in and registered).
 * @example
 * ```ts
 * import { textAnalyzerNames } from "custlab";
 * textAnalyzerNames(); // ["en-negation", "en-words", "zh-negation", "zh-words", ...]
 * ```
 */
export function textAnalyzerNames(): string[] {
  return [...TEXT_ANALYZERS.keys()].sort();
}

/** Options for {@link TfidfVectorizer}. Defaults match scikit-learn's. */
export interface TfidfOptions {
  /** "word" (regex tokens + word n-grams), "char", "char_wb" (character n-grams inside word boundaries) or a function returning the terms of a text (n-grams are then applied to its output). Default "word". */
  analyzer?: TfidfAnalyzer;
  /** Smallest and largest n in n-grams. Default [1, 1]. */
  ngramRange?: [number, number];
  /** Lower-case before analysing (ignored for function analyzers). Default true. */
  lowercase?: boolean;
  /** Token regex for "word" (a RegExp, or its source, compiled with flags "gu"). Default scikit-learn's `(?u)\b\w\w+\b`, i.e. `/[\p{L}\p{N}_]{2,}/gu`. */
  tokenPattern?: RegExp | string;
  /** Drop terms in fewer documents: a count when ≥ 1, a fraction of documents when < 1. Default 1. */
  minDf?: number;
  /** Drop terms in more documents: a fraction when ≤ 1, a count when > 1. Default 1.0. */
  maxDf?: number;
  /** Keep only the most frequent terms (by corpus count). Default all. */
  maxFeatures?: number;
  /** Use 1 + ln(tf) instead of tf. Default false. */
  sublinearTf?: boolean;
  /** Smooth idf (add one document containing every term). Default true. */
  smoothIdf?: boolean;
  /** Multiply by idf. Default true. */
  useIdf?: boolean;
  /** Row normalisation. Default "l2". */
  norm?: "l2" | "l1" | null;
  /** Binary term presence instead of counts. Default false. */
  binary?: boolean;
  /** Terms to drop (unigram tokens, before n-grams): a set or an array. Default none. */
  stopwords?: ReadonlySet<string> | readonly string[];
}

/** Sort column indices (and values) within each row, in place: insertion sort for short rows, a double transpose when rows are long on average. */
function sortRows(m: CsrMatrix): void {
  const { indptr, indices, data } = m;
  if (indptr[m.rows] > 16 * m.rows) {
    // long rows (character n-grams): transposing twice sorts every row in O(nnz)
    const t = csrTranspose(csrTranspose(m));
    indices.set(t.indices);
    data.set(t.data);
    return;
  }
  for (let i = 0; i < m.rows; i++) {
    const s = indptr[i], e = indptr[i + 1];
    for (let p = s + 1; p < e; p++) {
      const j = indices[p], v = data[p];
      let q = p - 1;
      while (q >= s && indices[q] > j) { indices[q + 1] = indices[q]; data[q + 1] = data[q]; q--; }
      indices[q + 1] = j; data[q + 1] = v;
    }
  }
}

const DEFAULT_TOKEN = /[\p{L}\p{N}_]{2,}/gu;

/**
 * A corpus counted once ({@link TfidfVectorizer.countCorpus}): raw term counts
 * per text (rows = texts, columns = `terms`, sorted within rows) and the terms
 * in string order.
 */
export interface TermCounts {
  /** Raw counts, texts × terms. */
  counts: CsrMatrix;
  /** Column names, sorted. */
  terms: string[];
  /** The counts term-major (terms × texts), made on first use by {@link TfidfVectorizer.fitCountsTransposed}. */
  byTerm?: CsrMatrix;
}

/** Rows (`rows`, or all) of `m` with columns mapped through `col` (−1: dropped); rows stay sorted where `col` keeps the column order. */
function csrRemapColumns(m: CsrMatrix, col: Int32Array, cols: number, rows?: ArrayLike<number>): CsrMatrix {
  const n = rows ? rows.length : m.rows;
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r] : r;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) if (col[m.indices[p]] >= 0) nnz++;
  }
  const indices = new Int32Array(nnz), data = new Float64Array(nnz);
  let q = 0;
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r] : r;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) {
      const j = col[m.indices[p]];
      if (j >= 0) { indices[q] = j; data[q] = m.data[p]; q++; }
    }
    indptr[r + 1] = q;
  }
  return { rows: n, cols, indptr, indices, data };
}

/**
 * A TF-IDF vectoriser producing {@link CsrMatrix} rows (scikit-learn's
 * `TfidfVectorizer`: same tokens, n-grams, df filters, idf and norm; the
 * vocabulary is sorted like scikit-learn's).
 *
 * @example
 * const v = new TfidfVectorizer({ ngramRange: [1, 2], minDf: 2, sublinearTf: true });
 * const X = v.fitTransform(texts);   // CsrMatrix, rows = texts
 * v.featureNames_[0];                 // first term
 */
export class TfidfVectorizer implements Estimator<ArrayLike<string>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<TfidfOptions> = {
    analyzer: { default: "word", type: "any", check: (v) => (typeof v === "function" || ["word", "char", "char_wb"].includes(v as string) || TEXT_ANALYZERS.has(v as string) ? undefined : `unknown analyzer ${JSON.stringify(v)} (word, char, char_wb, ${textAnalyzerNames().join(", ")} or a function)${didYouMean(String(v), ["word", "char", "char_wb", ...TEXT_ANALYZERS.keys()])}`) },
    ngramRange: { default: [1, 1], check: (v) => (v!.length === 2 && Number.isInteger(v![0]) && Number.isInteger(v![1]) && v![0] >= 1 && v![1] >= v![0] ? undefined : `need integers 1 ≤ min ≤ max, got [${v}]`) },
    lowercase: { default: true },
    tokenPattern: { default: DEFAULT_TOKEN, type: "any", check: (v) => (v instanceof RegExp || typeof v === "string" ? undefined : "must be a RegExp or its source") },
    minDf: { default: 1, gt: 0 },
    maxDf: { default: 1.0, gt: 0 },
    maxFeatures: { default: undefined, type: "number", integer: true, min: 1 },
    sublinearTf: { default: false },
    smoothIdf: { default: true },
    useIdf: { default: true },
    norm: { default: "l2", oneOf: ["l2", "l1", null] },
    binary: { default: false },
    stopwords: { default: undefined, type: "any", check: (v) => (v instanceof Set || (Array.isArray(v) && v.every((w) => typeof w === "string")) ? undefined : "must be a Set or an array of terms") },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(TfidfVectorizer.spec);
  /** The resolved options (`stopwords` as a Set, `tokenPattern` as a RegExp). */
  readonly options: Omit<Resolved<TfidfOptions>, "stopwords" | "tokenPattern"> & { readonly stopwords?: ReadonlySet<string>; readonly tokenPattern: RegExp };
  private progress: FitOptions["onProgress"];
  /** term → column. */
  vocabulary_: Map<string, number> = new Map();
  /** Column names (terms), sorted. */
  featureNames_: string[] = [];
  /** idf weight per column. */
  idf_: Float64Array = new Float64Array(0);
  /** Document frequency per column (in the fitted corpus). */
  df_: Int32Array = new Int32Array(0);

  constructor(options: TfidfOptions = {}) {
    const r = resolveOptions("TfidfVectorizer", TfidfVectorizer.spec, options);
    this.options = Object.freeze({
      ...r,
      stopwords: r.stopwords === undefined || r.stopwords instanceof Set ? (r.stopwords as ReadonlySet<string> | undefined) : new Set(r.stopwords as readonly string[]),
      tokenPattern: typeof r.tokenPattern === "string" ? new RegExp(r.tokenPattern, "gu") : r.tokenPattern,
    });
  }

  /** The analyzer function of a named or function analyzer, else null. */
  private analyzerFn(): ((text: string) => string[]) | null {
    const an = this.options.analyzer;
    if (typeof an === "function") return an;
    return an === "word" || an === "char" || an === "char_wb" ? null : TEXT_ANALYZERS.get(an) ?? null;
  }

  /** The terms of one document (analyzer + n-grams), before vocabulary lookup. */
  analyze(text: string): string[] {
    const o = this.options;
    const an = o.analyzer;
    const [lo, hi] = o.ngramRange;
    let t = stripBom(text ?? "");
    const fn = this.analyzerFn();
    if (fn) {
      let toks = fn(t);
      if (o.stopwords) toks = toks.filter((w) => !o.stopwords!.has(w));
      return wordNgrams(toks, lo, hi);
    }
    if (o.lowercase) t = t.toLowerCase();
    if (an === "word") {
      let toks: string[] = (t.match(o.tokenPattern) ?? []) as string[];
      if (o.stopwords) toks = toks.filter((w) => !o.stopwords!.has(w));
      return wordNgrams(toks as string[], lo, hi);
    }
    if (an === "char_wb") return charNgrams(t, lo, hi, { wordBoundary: true });
    if (an === "char") return charNgrams(t, lo, hi);
    throw new CustlabError("E_OPTION", `option analyzer: unknown analyzer "${String(an)}" (word, char, char_wb or a function)`);
  }

  /** Learn the vocabulary and idf. Returns this. `onProgress`: stage "tfidf". */
  fit(texts: ArrayLike<string>, fitOptions: FitOptions = {}): this {
    this.fitTransform(texts, fitOptions);
    return this;
  }

  /**
   * Learn vocabulary and idf, and return the TF-IDF matrix of `texts`.
   * Throws E_EMPTY_VOCABULARY when the df filters leave no term.
   */
  fitTransform(texts: ArrayLike<string>, fitOptions: FitOptions = {}): CsrMatrix {
    const n = texts.length;
    this.progress = fitOptions.onProgress;
    let counts: CsrMatrix;
    try { counts = this.count(texts, true); } finally { this.progress = undefined; }
    const terms = this.intern!.terms;
    const df = new Int32Array(terms.length);
    const tot = new Float64Array(terms.length);
    for (let p = 0; p < counts.indices.length; p++) { df[counts.indices[p]]++; tot[counts.indices[p]] += counts.data[p]; }
    const remap = this.adoptVocabulary(df, tot, n, terms, false);
    this.intern!.col = remap;
    // remap the count matrix in place (dropping pruned terms), then sort columns per row
    const indptr = new Int32Array(n + 1);
    const idx = counts.indices, val = counts.data;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const s = counts.indptr[i], e = counts.indptr[i + 1];
      for (let p = s; p < e; p++) { const j = remap[idx[p]]; if (j >= 0) { idx[q] = j; val[q] = val[p]; q++; } }
      indptr[i + 1] = q;
    }
    const out: CsrMatrix = { rows: n, cols: this.featureNames_.length, indptr, indices: idx.slice(0, q), data: val.slice(0, q) };
    sortRows(out);
    return this.weight(out);
  }

  /**
   * The df / max_df / max_features filters on a counted corpus of `n` documents
   * (`df`, `tot`: document frequency and total count per term id), then the
   * kept terms in string order become the vocabulary, document frequencies and
   * idf. `termsSorted`: term ids are already in string order. Returns the map
   * term id → column (−1: dropped).
   */
  private adoptVocabulary(df: Int32Array, tot: Float64Array, n: number, terms: readonly string[], termsSorted: boolean): Int32Array {
    const o = this.options;
    const V0 = terms.length;
    const minDf = o.minDf ?? 1, maxDf = o.maxDf ?? 1.0;
    const minCount = minDf >= 1 ? minDf : Math.ceil(minDf * n - 1e-12);
    const maxCount = maxDf <= 1 ? maxDf * n : maxDf;
    if (maxCount < minCount) throw new CustlabError("E_OPTION", `options minDf/maxDf: max_df corresponds to < documents than min_df`);
    let keep: number[] = [];
    for (let j = 0; j < V0; j++) if (df[j] >= minCount && df[j] <= maxCount) keep.push(j);
    if (o.maxFeatures !== undefined && keep.length > o.maxFeatures) {
      keep.sort((a, b) => tot[b] - tot[a] || (terms[a] < terms[b] ? -1 : 1));
      keep = keep.slice(0, o.maxFeatures);
      if (termsSorted) keep.sort((a, b) => a - b);
    }
    if (!keep.length) throw new CustlabError("E_EMPTY_VOCABULARY", `after pruning no terms remain (${n} documents, minDf ${minDf}, maxDf ${maxDf}); lower minDf or check the text column`);
    if (!termsSorted) keep.sort((a, b) => (terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0));
    const remap = new Int32Array(V0).fill(-1);
    this.vocabulary_ = new Map();
    this.featureNames_ = new Array(keep.length);
    this.df_ = new Int32Array(keep.length);
    for (let j = 0; j < keep.length; j++) { const old = keep[j]; remap[old] = j; this.vocabulary_.set(terms[old], j); this.featureNames_[j] = terms[old]; this.df_[j] = df[old]; }
    this.idf_ = new Float64Array(keep.length);
    const smooth = o.smoothIdf ?? true ? 1 : 0;
    for (let j = 0; j < keep.length; j++) this.idf_[j] = Math.log((n + smooth) / (this.df_[j] + smooth)) + 1;
    return remap;
  }

  /**
   * Count the terms of every text once with this vectoriser's analyzer and
   * n-grams, for {@link TfidfVectorizer.fitCounts} and
   * {@link TfidfVectorizer.transformCounts} on subsets of the rows: cross-validation
   * then analyses each text once instead of once per fold, with the same
   * matrices as `fitTransform` / `transform` of the subsets' texts. Terms in
   * fewer than `minDocs` texts are left out (no subset's `minDf` can keep them).
   * Leaves this vectoriser's fitted state as it was.
   * @example
   * const trainRows = [0, 1, 2], testRows = [3];
   * const v = new TfidfVectorizer({ minDf: 2, sublinearTf: true });
   * const corpus = v.countCorpus(texts, 2);
   * const Xtrain = v.fitCounts(corpus, trainRows);    // = v.fitTransform(the train texts)
   * const Xtest = v.transformCounts(corpus, testRows); // = v.transform(the test texts)
   */
  countCorpus(texts: ArrayLike<string>, minDocs = 1): TermCounts {
    const saved = this.intern;
    try {
      const m = this.count(texts, true);
      const terms = this.intern!.terms;
      const df = new Int32Array(terms.length);
      for (let p = 0; p < m.indices.length; p++) df[m.indices[p]]++;
      const keep: number[] = [];
      for (let j = 0; j < terms.length; j++) if (df[j] >= minDocs) keep.push(j);
      keep.sort((a, b) => (terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0));
      const remap = new Int32Array(terms.length).fill(-1);
      const kept: string[] = new Array(keep.length);
      for (let j = 0; j < keep.length; j++) { remap[keep[j]] = j; kept[j] = terms[keep[j]]; }
      const out = csrRemapColumns(m, remap, keep.length);
      sortRows(out);
      return { counts: out, terms: kept, byTerm: csrTranspose(out) };
    } finally {
      this.intern = saved;
    }
  }

  /**
   * {@link TfidfVectorizer.fitTransform} of the texts at `rows` of a counted
   * corpus (from {@link TfidfVectorizer.countCorpus} with the same analyzer
   * options): learns the vocabulary and idf from those rows, returns their
   * TF-IDF matrix.
   */
  fitCounts(corpus: TermCounts, rows: ArrayLike<number>): CsrMatrix {
    const { indptr, indices, data } = corpus.counts;
    const V0 = corpus.terms.length;
    const df = new Int32Array(V0), tot = new Float64Array(V0);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      for (let p = indptr[i]; p < indptr[i + 1]; p++) { df[indices[p]]++; tot[indices[p]] += data[p]; }
    }
    const col = this.adoptVocabulary(df, tot, rows.length, corpus.terms, true);
    this.intern = null; // transform() of raw texts rebuilds it from featureNames_
    this.corpusCol = { corpus, col };
    return this.weight(csrRemapColumns(corpus.counts, col, this.featureNames_.length, rows));
  }

  /**
   * {@link TfidfVectorizer.fitCounts} returned transposed (terms × rows):
   * exactly `csrTranspose(fitCounts(corpus, rows))`, built from the corpus's
   * term-major counts in one pass, without the row-major matrix (solvers that
   * sweep Xᵀ, like the sparse logistic regression's, take it as it is).
   * @example
   * const v = new TfidfVectorizer({ minDf: 2, sublinearTf: true });
   * const corpus = v.countCorpus(texts, 2);
   * const XT = v.fitCountsTransposed(corpus, [0, 1, 2]); // XT.rows = terms, XT.cols = 3
   */
  fitCountsTransposed(corpus: TermCounts, rows: ArrayLike<number>): CsrMatrix {
    const N = corpus.counts.rows, nr = rows.length;
    const pos = new Int32Array(N).fill(-1);
    for (let r = 0; r < nr; r++) {
      // rows out of order (or repeated): the rows of the result follow `rows`, so transpose the row-major build
      if ((r > 0 && rows[r] <= rows[r - 1]) || pos[rows[r]] >= 0) return csrTranspose(this.fitCounts(corpus, rows));
      pos[rows[r]] = r;
    }
    const T = corpus.byTerm ?? (corpus.byTerm = csrTranspose(corpus.counts));
    const { indptr: tp, indices: ti, data: td } = T;
    const V0 = corpus.terms.length;
    const df = new Int32Array(V0), tot = new Float64Array(V0);
    for (let j = 0; j < V0; j++) {
      let c = 0, t = 0;
      for (let p = tp[j], e = tp[j + 1]; p < e; p++) if (pos[ti[p]] >= 0) { c++; t += td[p]; }
      df[j] = c; tot[j] = t;
    }
    const col = this.adoptVocabulary(df, tot, nr, corpus.terms, true);
    this.intern = null; // transform() of raw texts rebuilds it from featureNames_
    this.corpusCol = { corpus, col };
    const V = this.featureNames_.length;
    let nnz = 0;
    for (let j = 0; j < V0; j++) if (col[j] >= 0) nnz += df[j];
    const indptr = new Int32Array(V + 1), indices = new Int32Array(nnz), data = new Float64Array(nnz);
    const o = this.options, useIdf = o.useIdf ?? true, norm = o.norm === undefined ? "l2" : o.norm;
    // the weights as weight() makes them; each row's norm summed over its terms in column order, as weight() does
    const acc = new Float64Array(nr);
    let q = 0;
    for (let j = 0; j < V0; j++) {
      const c = col[j];
      if (c < 0) continue; // kept terms keep the corpus's (sorted) order: c runs 0, 1, 2, …
      const idf = this.idf_[c];
      for (let p = tp[j], e = tp[j + 1]; p < e; p++) {
        const r = pos[ti[p]];
        if (r < 0) continue;
        let tf = td[p];
        if (o.binary) tf = 1;
        else if (o.sublinearTf) tf = 1 + Math.log(tf);
        const v = useIdf ? tf * idf : tf;
        indices[q] = r; data[q] = v; q++;
        if (norm) acc[r] += norm === "l2" ? v * v : Math.abs(v);
      }
      indptr[c + 1] = q;
    }
    if (norm) {
      for (let r = 0; r < nr; r++) { const a = acc[r]; acc[r] = a === 0 ? 1 : norm === "l2" ? 1 / Math.sqrt(a) : 1 / a; }
      for (let p = 0; p < nnz; p++) data[p] *= acc[indices[p]];
    }
    return { rows: V, cols: nr, indptr, indices, data };
  }

  /** {@link TfidfVectorizer.transform} of the texts at `rows` of a counted corpus (unknown terms ignored). */
  transformCounts(corpus: TermCounts, rows: ArrayLike<number>): CsrMatrix {
    if (!this.featureNames_.length) notFitted("TfidfVectorizer", "call fit() before transformCounts()");
    if (this.corpusCol?.corpus !== corpus) {
      const col = new Int32Array(corpus.terms.length);
      for (let g = 0; g < col.length; g++) col[g] = this.vocabulary_.get(corpus.terms[g]) ?? -1;
      this.corpusCol = { corpus, col };
    }
    return this.weight(csrRemapColumns(corpus.counts, this.corpusCol.col, this.featureNames_.length, rows));
  }

  /** The column of each corpus term for the last corpus seen by fitCounts / transformCounts. */
  private corpusCol: { corpus: TermCounts; col: Int32Array } | null = null;

  /** TF-IDF rows for new texts with the fitted vocabulary (unknown terms ignored). */
  transform(texts: ArrayLike<string>): CsrMatrix {
    if (!this.featureNames_.length) notFitted("TfidfVectorizer", "call fit() before transform()");
    if (!this.intern) this.rebuildIntern();
    const m = this.count(texts, false);
    sortRows(m);
    return this.weight(m);
  }

  /**
   * The unit sequences n-grams are built from: word tokens (joined by " "),
   * or characters of whitespace-padded words for "char_wb" (joined by "").
   */
  private units(text: string): { segs: string[][]; sep: string; wb: boolean } {
    const o = this.options;
    const an = o.analyzer;
    let t = stripBom(text ?? "");
    const fn = this.analyzerFn();
    if (fn) {
      let toks = fn(t);
      if (o.stopwords) toks = toks.filter((w) => !o.stopwords!.has(w));
      return { segs: [toks], sep: " ", wb: false };
    }
    if (o.lowercase) t = t.toLowerCase();
    if (an === "word") {
      let toks = (t.match(o.tokenPattern) ?? []) as string[];
      if (o.stopwords) toks = toks.filter((w) => !o.stopwords!.has(w));
      return { segs: [toks], sep: " ", wb: false };
    }
    if (an === "char_wb") {
      const segs: string[][] = [];
      for (const w of t.split(/\s+/)) if (w) segs.push([" ", ...Array.from(w), " "]);
      return { segs, sep: "", wb: true };
    }
    if (an === "char") return { segs: [Array.from(t.replace(/\s\s+/g, " "))], sep: "", wb: false };
    throw new CustlabError("E_OPTION", `option analyzer: unknown analyzer "${String(an)}" (word, char, char_wb or a function)`);
  }

  /** Interned n-grams: unit string → id, (prefix gram id, unit id) → gram id, gram id → string / column. */
  private intern: { unit: Map<string, number>; pair: PairMap; terms: string[]; col: Int32Array | null } | null = null;

  private count(texts: ArrayLike<string>, grow: boolean): CsrMatrix {
    const n = texts.length;
    const [lo, hi] = this.options.ngramRange ?? [1, 1];
    if (lo < 1 || hi < lo) throw new CustlabError("E_OPTION", `option ngramRange: need 1 ≤ min ≤ max, got [${lo}, ${hi}]`);
    if (grow) this.intern = { unit: new Map(), pair: new PairMap(), terms: [], col: null };
    const it = this.intern!;
    const { unit, pair, terms } = it;
    const col = grow ? null : it.col!;
    const indptr = new Int32Array(n + 1);
    let indices = new Int32Array(1 << 16), data = new Float64Array(1 << 16);
    let q = 0;
    let mark = new Int32Array(col ? this.featureNames_.length : 1 << 16); // mark[j] = last row + 1 that saw term j
    let slot = new Int32Array(mark.length); // slot[j] = position of term j in the current row
    const add = (i: number, g: number) => {
      const j = col ? col[g] : g;
      if (j < 0) return;
      if (j >= mark.length) {
        const nm = new Int32Array(mark.length * 2); nm.set(mark); mark = nm;
        const ns = new Int32Array(slot.length * 2); ns.set(slot); slot = ns;
      }
      if (mark[j] === i + 1) data[slot[j]]++;
      else {
        if (q >= indices.length) {
          const ni = new Int32Array(indices.length * 2); ni.set(indices); indices = ni;
          const nd = new Float64Array(data.length * 2); nd.set(data); data = nd;
        }
        mark[j] = i + 1; slot[j] = q; indices[q] = j; data[q] = 1; q++;
      }
    };
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const { segs, sep, wb } = this.units(texts[i]);
      for (const seg of segs) {
        const L = seg.length;
        ids.length = L;
        let known = true;
        for (let k = 0; k < L; k++) {
          let u = unit.get(seg[k]);
          if (u === undefined) {
            if (grow) { u = unit.size; unit.set(seg[k], u); }
            else u = -1;
          }
          ids[k] = u;
          if (u < 0) known = false;
        }
        // gram ids: the n-gram ending at a unit is (gram id of its prefix + 1, unit id) in the pair map (prefix 0 = none)
        const maxLen = wb ? Math.min(hi, L) : hi;
        const minLen = wb && lo > L ? L : lo;
        for (let o = 0; o < L; o++) {
          let g = -1;
          for (let len = 1; len <= maxLen && o + len <= L; len++) {
            const u = ids[o + len - 1];
            if (u < 0) break;
            let ng = pair.get(g + 1, u);
            if (ng < 0) {
              if (!grow) break;
              ng = terms.length;
              pair.set(g + 1, u, ng);
              terms.push(g < 0 ? seg[o] : terms[g] + sep + seg[o + len - 1]);
            }
            g = ng;
            if (len >= minLen) add(i, g);
          }
          if (wb && lo > L) break; // short padded word: counted once
        }
      }
      indptr[i + 1] = q;
      if (this.progress && (i % 5000 === 4999 || i === n - 1)) this.progress({ stage: "tfidf", done: i + 1, total: n });
    }
    return { rows: n, cols: grow ? terms.length : this.featureNames_.length, indptr, indices: indices.slice(0, q), data: data.slice(0, q) };
  }

  /** Rebuild the n-gram intern tables from featureNames_ (after fromJSON). */
  private rebuildIntern(): void {
    const o = this.options;
    const wb = o.analyzer === "char_wb" || o.analyzer === "char";
    const it = { unit: new Map<string, number>(), pair: new PairMap(), terms: [] as string[], col: null as Int32Array | null };
    const colOf: number[] = [];
    const gramId = (units: string[], sep: string): number => {
      let g = -1;
      units.forEach((s, k) => {
        let u = it.unit.get(s);
        if (u === undefined) { u = it.unit.size; it.unit.set(s, u); }
        let ng = it.pair.get(g + 1, u);
        if (ng < 0) { ng = it.terms.length; it.pair.set(g + 1, u, ng); it.terms.push(units.slice(0, k + 1).join(sep)); colOf.push(-1); }
        g = ng;
      });
      return g;
    };
    this.featureNames_.forEach((t, j) => { colOf[gramId(wb ? Array.from(t) : t.split(" "), wb ? "" : " ")] = j; });
    it.col = Int32Array.from(colOf);
    this.intern = it;
  }

  private weight(m: CsrMatrix): CsrMatrix {
    const o = this.options;
    const { data, indices } = m;
    const useIdf = o.useIdf ?? true;
    for (let p = 0; p < data.length; p++) {
      let tf = data[p];
      if (o.binary) tf = 1;
      else if (o.sublinearTf) tf = 1 + Math.log(tf);
      data[p] = useIdf ? tf * this.idf_[indices[p]] : tf;
    }
    const norm = o.norm === undefined ? "l2" : o.norm;
    if (norm) {
      for (let i = 0; i < m.rows; i++) {
        let s = 0;
        for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) s += norm === "l2" ? data[p] * data[p] : Math.abs(data[p]);
        if (s === 0) continue;
        const f = norm === "l2" ? 1 / Math.sqrt(s) : 1 / s;
        for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) data[p] *= f;
      }
    }
    return m;
  }

  /**
   * `{ type, version, options, state }`: options with `stopwords` as a sorted
   * array and `tokenPattern` as its source; state = vocabulary (sorted terms),
   * idf and document frequencies. A function analyzer cannot be serialised: use a
   * named one ({@link registerTextAnalyzer}).
   */
  toJSON() {
    const { analyzer, stopwords, tokenPattern } = this.options;
    if (typeof analyzer === "function") throw new CustlabError("E_SERIALIZE", "TfidfVectorizer with a function analyzer cannot be serialised: register it with registerTextAnalyzer(name, fn) and pass analyzer: name");
    const options = { ...this.options, stopwords: stopwords ? [...stopwords].sort() : undefined, tokenPattern: tokenPattern.source };
    return estimatorJSON("TfidfVectorizer", 1, options, this.featureNames_.length ? { featureNames: this.featureNames_, idf: Array.from(this.idf_), df: Array.from(this.df_) } : null);
  }

  /** Restore from {@link TfidfVectorizer.toJSON} (also reads the pre-envelope JSON). */
  static fromJSON(json: unknown): TfidfVectorizer {
    let j = json as any;
    if (j && typeof j === "object" && j.type === undefined && Array.isArray(j.featureNames)) j = { ...j, type: "TfidfVectorizer" };
    const { options, state: s } = readEstimatorJSON(j, "TfidfVectorizer", 1, true);
    const v = new TfidfVectorizer(options as TfidfOptions);
    if (s?.featureNames) {
      v.featureNames_ = s.featureNames;
      v.vocabulary_ = new Map(s.featureNames.map((t: string, i: number) => [t, i]));
      v.idf_ = Float64Array.from(s.idf);
      v.df_ = Int32Array.from(s.df ?? []);
    }
    return v;
  }
}

registerEstimator("TfidfVectorizer", TfidfVectorizer);
