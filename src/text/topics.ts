/**
 * Topic workflow on review texts: tokenise and filter like gensim's
 * Dictionary (no_below / no_above), fit LDA, score coherence, choose K,
 * label topics, and tie topics to sentiment, products and segments.
 */
import { pickOptions } from "../util/estimator";
import { CustlabError } from "../util/errors";
import type { ProgressCallback } from "../util/progress";
import type { Figure } from "../plot/figure";
import { stripBom } from "./clean";
import { segmentChinese } from "./tokenize";
import { EN_STOPWORDS_TOPICS } from "./stopwords/en";
import { ZH_STOPWORDS_TOPICS } from "./stopwords/zh";
import { LdaGibbs, LdaOptions, TopicCorpus } from "./lda";
import { coherenceCV, coherenceUMass, coherenceNPMI } from "./coherence";

/** Options for {@link prepareTopicCorpus}. */
export interface TopicCorpusOptions {
  /** "en" (regex words) or "zh" (Intl.Segmenter words). Default "en". */
  lang?: "en" | "zh";
  /** Stopwords. Default {@link EN_STOPWORDS_TOPICS} / {@link ZH_STOPWORDS_TOPICS}. */
  stopwords?: ReadonlySet<string>;
  /** Keep tokens longer than this many characters (en) / at least this many (zh: 2). Default en 2 (i.e. ≥ 3 letters), zh 2. */
  minLength?: number;
  /** Token regex for English (global). Default `/[a-z']+/g` on lower-cased text (the gensim anchor's). */
  pattern?: RegExp;
  /** Drop words in fewer than this many documents (gensim no_below). Default 5. */
  noBelow?: number;
  /** Drop words in more than this share of documents (gensim no_above). Default 0.5. */
  noAbove?: number;
  /** Keep at most this many words, most frequent by document count (gensim keep_n). Default 100000. */
  keepN?: number;
}

/** A prepared corpus: ids for the model plus the token texts coherence needs. */
export interface PreparedTopicCorpus extends TopicCorpus {
  /** Tokens of every document after stopwords and length filters, before the document-frequency filter (gensim's `texts`). */
  texts: string[][];
  /** Tokens of every document that survived the document-frequency filter (the bag-of-words corpus as words). */
  kept: string[][];
}

/**
 * Tokenise and filter texts for topic modelling, mirroring the gensim anchor
 * (`re.findall("[a-z']+", t.lower())`, stopwords, len > 2, then
 * `Dictionary.filter_extremes(no_below=5, no_above=0.5)`). Chinese text is
 * segmented with `Intl.Segmenter` (words of ≥ 2 characters, no digits).
 * @example const c = prepareTopicCorpus(texts, { lang: "en" }); c.vocab.length
 */
export function prepareTopicCorpus(texts: ArrayLike<string>, options: TopicCorpusOptions = {}): PreparedTopicCorpus {
  const lang = options.lang ?? "en";
  const sw = options.stopwords ?? (lang === "en" ? EN_STOPWORDS_TOPICS : ZH_STOPWORDS_TOPICS);
  const toks: string[][] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = stripBom(texts[i] ?? "");
    if (lang === "en") {
      const minLen = options.minLength ?? 2;
      const words = t.toLowerCase().match(options.pattern ?? /[a-z']+/g) ?? [];
      toks.push(words.filter((w) => w.length > minLen && !sw.has(w)));
    } else {
      const minLen = options.minLength ?? 2;
      toks.push(segmentChinese(t).filter((w) => w !== "\u0000" && Array.from(w).length >= minLen && !sw.has(w) && !/^[\d.]+$/.test(w)));
    }
  }
  const df = new Map<string, number>();
  for (const d of toks) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const noBelow = options.noBelow ?? 5, noAbove = options.noAbove ?? 0.5, keepN = options.keepN ?? 100000;
  const maxDocs = noAbove * toks.length;
  let good = [...df.entries()].filter(([, c]) => c >= noBelow && c <= maxDocs);
  if (good.length > keepN) good = good.sort((a, b) => b[1] - a[1]).slice(0, keepN);
  const vocab = good.map(([w]) => w).sort();
  const id = new Map(vocab.map((w, i) => [w, i]));
  const docs: Int32Array[] = [];
  const kept: string[][] = [];
  for (const d of toks) {
    const ids: number[] = [];
    const ws: string[] = [];
    for (const w of d) { const j = id.get(w); if (j !== undefined) { ids.push(j); ws.push(w); } }
    docs.push(Int32Array.from(ids));
    kept.push(ws);
  }
  return { docs, vocab, texts: toks, kept };
}

/** Options for {@link fitTopics}. */
export interface FitTopicsOptions extends Omit<LdaOptions, "k">, TopicCorpusOptions {
  /** Progress of the Gibbs sampler (stage "gibbs"). */
  onProgress?: ProgressCallback;
  /** Top words per topic for coherence (gensim default 20). Default 20. */
  topn?: number;
  /**
   * Rank each topic's words by LDAvis relevance with this λ (see {@link LdaGibbs.topTerms}); 1 (default) ranks by
   * probability. The model is the same; only the listed words (and their coherence and labels) change.
   */
  relevance?: number;
}

/** A fitted topic model with its coherence and labels. */
export interface TopicModelResult {
  model: LdaGibbs;
  corpus: PreparedTopicCorpus;
  k: number;
  /** Top `topn` words per topic. */
  topics: string[][];
  /** Short labels from the top 3 words ("fabric / soft / wash"). */
  labels: string[];
  coherence_c_v: number;
  coherence_umass: number;
  coherence_npmi: number;
  /** c_v of each topic. */
  perTopicCV: number[];
  /** Share of documents whose dominant topic is each topic. */
  prevalence: number[];
  /** Seconds for the Gibbs sampler alone. */
  fitSeconds: number;
}

/**
 * Prepare, fit LDA ({@link LdaGibbs}) and score coherence in one call.
 * @example const r = fitTopics(texts, 10, { lang: "en", seed: 42 }); r.coherence_c_v; r.labels
 */
export function fitTopics(texts: ArrayLike<string> | PreparedTopicCorpus, k: number, options: FitTopicsOptions = {}): TopicModelResult {
  const corpus = isPrepared(texts) ? texts : prepareTopicCorpus(texts, options);
  const t0 = Date.now();
  const model = new LdaGibbs({ ...pickOptions(LdaGibbs.spec, options), k }).fit(corpus, { onProgress: options.onProgress });
  const fitSeconds = (Date.now() - t0) / 1000;
  const topn = options.topn ?? 20;
  const topics = model.topTerms(topn, { relevance: options.relevance });
  const cv = coherenceCV(topics, corpus.texts);
  const um = coherenceUMass(topics, corpus.kept);
  const np = coherenceNPMI(topics, corpus.texts);
  const dom = model.dominantTopics();
  const prevalence = new Array(k).fill(0);
  let nonEmpty = 0;
  corpus.docs.forEach((d, i) => { if (d.length) { prevalence[dom[i]]++; nonEmpty++; } });
  return {
    model, corpus, k, topics, labels: topicLabels(topics), coherence_c_v: cv.mean, coherence_umass: um.mean, coherence_npmi: np.mean,
    perTopicCV: cv.perTopic, prevalence: prevalence.map((c) => c / Math.max(1, nonEmpty)), fitSeconds,
  };
}

function isPrepared(x: ArrayLike<string> | PreparedTopicCorpus): x is PreparedTopicCorpus {
  return typeof x === "object" && x !== null && "docs" in x && "vocab" in x;
}

/**
 * Labels from top terms: the first `n` words joined by " / ", skipping words
 * that are a prefix/stem-duplicate of an earlier one ("fit" after "fits").
 * @example topicLabels([["fabric", "fabrics", "soft", "wash"]]) // ["fabric / soft / wash"]
 */
export function topicLabels(topics: string[][], n = 3): string[] {
  return topics.map((t) => {
    const out: string[] = [];
    for (const w of t) {
      if (out.some((o) => w.startsWith(o) || o.startsWith(w))) continue;
      out.push(w);
      if (out.length === n) break;
    }
    return out.join(" / ");
  });
}

/** One K tried by {@link chooseTopicCount}. */
export interface TopicCountScore {
  k: number;
  c_v: number;
  u_mass: number;
  npmi: number;
  seconds: number;
}

/**
 * Fit LDA for each K and pick the one with the highest c_v coherence.
 * @example const { best, scores } = chooseTopicCount(texts, [5, 8, 10, 15], { lang: "en" });
 */
export function chooseTopicCount(texts: ArrayLike<string> | PreparedTopicCorpus, ks: number[], options: FitTopicsOptions & { onProgress?: ProgressCallback } = {}): { best: number; scores: TopicCountScore[]; results: TopicModelResult[] } {
  if (!ks.length) throw new CustlabError("E_OPTION", "chooseTopicCount: give at least one K");
  const corpus = isPrepared(texts) ? texts : prepareTopicCorpus(texts, options);
  const results: TopicModelResult[] = [];
  const scores: TopicCountScore[] = [];
  ks.forEach((k, i) => {
    const r = fitTopics(corpus, k, { ...options, onProgress: undefined });
    results.push(r);
    scores.push({ k, c_v: r.coherence_c_v, u_mass: r.coherence_umass, npmi: r.coherence_npmi, seconds: r.fitSeconds });
    options.onProgress?.({ stage: "choose-k", done: i + 1, total: ks.length, metrics: { k, c_v: r.coherence_c_v } });
  });
  const best = scores.reduce((a, b) => (b.c_v > a.c_v ? b : a)).k;
  return { best, scores, results };
}

/**
 * Coherence against K: c_v (left axis) and u_mass (right axis), the chosen K marked.
 * @example coherenceFigure(chooseTopicCount(texts, [5, 10, 15]).scores)
 */
export function coherenceFigure(scores: TopicCountScore[], options: { title?: string } = {}): Figure {
  const best = scores.reduce((a, b) => (b.c_v > a.c_v ? b : a));
  return {
    data: [
      { type: "scatter", mode: "lines+markers", name: "c_v", x: scores.map((s) => s.k), y: scores.map((s) => s.c_v) },
      { type: "scatter", mode: "lines+markers", name: "u_mass", x: scores.map((s) => s.k), y: scores.map((s) => s.u_mass), yaxis: "y2", line: { dash: "dot" } },
      { type: "scatter", mode: "markers", name: `chosen K = ${best.k}`, x: [best.k], y: [best.c_v], marker: { size: 14, symbol: "star" } },
    ],
    layout: {
      title: { text: options.title ?? "Topic coherence by number of topics" },
      xaxis: { title: { text: "K (topics)" }, dtick: 1 },
      yaxis: { title: { text: "c_v (higher is better)" } },
      yaxis2: { title: { text: "u_mass" }, overlaying: "y", side: "right" },
      legend: { orientation: "h" },
    },
  };
}

/** Options for {@link topicSentiment}. */
export interface TopicSentimentOptions {
  /** Group documents by this key as well (product id, segment…), one per document. */
  groups?: ArrayLike<string>;
  /** Example reviews per topic (most topical negative ones). Default 3. */
  examples?: number;
  /** The raw texts, for examples. */
  texts?: ArrayLike<string>;
  /** Minimum documents for a (group, topic) cell to be reported. Default 5. */
  minCount?: number;
}

/** One topic's share of negative reviews. */
export interface TopicSentimentRow {
  topic: number;
  label: string;
  /** Documents with this dominant topic. */
  docs: number;
  /** Negative documents with this dominant topic. */
  negative: number;
  /** Share of this topic's documents that are negative. */
  negativeRate: number;
  /** This topic's share of all negative documents (the "dominates negative reviews" measure). */
  shareOfNegative: number;
  /** negativeRate / overall negative rate. */
  lift: number;
  /** Most topical negative reviews. */
  examples: string[];
}

/**
 * Which topics dominate negative reviews: per topic (by each document's
 * dominant topic), the negative rate, its share of all negative reviews, the
 * lift over the overall rate, and example negative reviews; with `groups`,
 * the same per group × topic.
 * @example topicSentiment(fit.model, fit.labels, negativeFlags, { texts }).overall
 */
export function topicSentiment(model: LdaGibbs, labels: string[], negative: ArrayLike<number>, options: TopicSentimentOptions = {}): { overall: TopicSentimentRow[]; byGroup: (TopicSentimentRow & { group: string })[] } {
  const { data: theta, rows: D, cols: K } = model.docTopic_;
  if (negative.length !== D) throw new CustlabError("E_SHAPE", `topicSentiment: ${D} documents but ${negative.length} sentiment flags`);
  const dom = model.dominantTopics();
  const ex = options.examples ?? 3;
  const build = (idx: number[]): TopicSentimentRow[] => {
    const docs = new Array(K).fill(0), neg = new Array(K).fill(0);
    let totNeg = 0;
    for (const i of idx) { docs[dom[i]]++; if (negative[i]) { neg[dom[i]]++; totNeg++; } }
    const base = idx.length ? totNeg / idx.length : 0;
    return Array.from({ length: K }, (_, t) => {
      const rate = docs[t] ? neg[t] / docs[t] : 0;
      let examples: string[] = [];
      if (options.texts && ex > 0) {
        examples = idx.filter((i) => dom[i] === t && negative[i]).sort((a, b) => theta[b * K + t] - theta[a * K + t]).slice(0, ex).map((i) => String(options.texts![i]));
      }
      return { topic: t, label: labels[t] ?? String(t), docs: docs[t], negative: neg[t], negativeRate: rate, shareOfNegative: totNeg ? neg[t] / totNeg : 0, lift: base ? rate / base : 0, examples };
    }).sort((a, b) => b.shareOfNegative - a.shareOfNegative);
  };
  const all = Array.from({ length: D }, (_, i) => i).filter((i) => model.docTopic_ && i < D);
  const overall = build(all);
  const byGroup: (TopicSentimentRow & { group: string })[] = [];
  if (options.groups) {
    const g = new Map<string, number[]>();
    for (let i = 0; i < D; i++) { const key = String(options.groups[i]); const a = g.get(key); if (a) a.push(i); else g.set(key, [i]); }
    for (const [key, idx] of g) for (const r of build(idx)) if (r.docs >= (options.minCount ?? 5)) byGroup.push({ group: key, ...r });
    byGroup.sort((a, b) => b.negative - a.negative);
  }
  return { overall, byGroup };
}

/**
 * Bar chart of each topic's share of negative reviews next to its share of all reviews.
 * @example topicSentimentFigure(topicSentiment(fit.model, fit.labels, neg).overall)
 */
export function topicSentimentFigure(rows: TopicSentimentRow[], options: { title?: string } = {}): Figure {
  const totalDocs = rows.reduce((s, r) => s + r.docs, 0) || 1;
  const sorted = [...rows].sort((a, b) => a.shareOfNegative - b.shareOfNegative);
  return {
    data: [
      { type: "bar", orientation: "h", name: "share of negative reviews", y: sorted.map((r) => r.label), x: sorted.map((r) => r.shareOfNegative) },
      { type: "bar", orientation: "h", name: "share of all reviews", y: sorted.map((r) => r.label), x: sorted.map((r) => r.docs / totalDocs) },
    ],
    layout: { title: { text: options.title ?? "Topics in negative reviews" }, barmode: "group", xaxis: { tickformat: ".0%" }, margin: { l: 220 } },
  };
}
