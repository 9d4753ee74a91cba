/**
 * Topic models: a collapsed Gibbs sampler for LDA written for custlab (typed
 * arrays, seeded, configurable iterations / burn-in / hyper-parameters, with
 * document–topic and topic–word matrices), and a thin wrapper over the `lda`
 * npm package for callers who ask for it by name.
 *
 * Why our own sampler: the `lda` package (0.2.0) always runs 10,000 Gibbs
 * sweeps (fixed in its source), keeps counts in nested JS arrays, stems and
 * tokenises English by itself (stopwords only for en/de/es, none for
 * Chinese), and returns only the top terms of each topic — no document–topic
 * matrix, so topics cannot be tied back to reviews, products, segments or
 * sentiment, and coherence cannot be computed on our own tokens. The sampler
 * below is the same algorithm (Griffiths & Steyvers 2004) on flat Int32Array
 * counts with a seeded generator, so 200–500 sweeps take seconds.
 */
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type FitOptions, type OptionSpec, type Resolved } from "../util/estimator";
import { CustlabError } from "../util/errors";
import { createRng } from "../util/random";
import type { ProgressCallback } from "../util/progress";
import type { Matrix } from "../util/matrix";
import { lgamma } from "../util/numeric";

/** A tokenised corpus for topic models: word ids per document. */
export interface TopicCorpus {
  /** Word ids of each document, in order (ids index `vocab`). */
  docs: Int32Array[];
  /** Id → word. */
  vocab: string[];
}

/** Options for {@link LdaGibbs}. */
export interface LdaOptions {
  /** Number of topics. Required. */
  k: number;
  /** Symmetric document–topic prior. Default 10 / k (1 at k = 10: on the clothing reviews c_v rose from 0.41 at α = 0.1 to 0.45–0.47 at α = 1). */
  alpha?: number;
  /** Symmetric topic–word prior. Default 0.1. */
  beta?: number;
  /** Gibbs sweeps over all tokens. Default 200. */
  iterations?: number;
  /** Sweeps before samples are averaged into the estimates. Default iterations / 2. */
  burnIn?: number;
  /** Average a sample every `thin` sweeps after burn-in. Default 5. */
  thin?: number;
  /** Seed. Default 42. */
  seed?: number;
  /**
   * "gibbs" (collapsed Gibbs sampling) or "cvb0" (zero-order collapsed variational Bayes, Asuncion et al. 2009:
   * each token keeps a distribution over topics instead of one sampled topic, updated in place with the Gibbs
   * conditional on expected counts; deterministic after the seeded start, no burn-in or averaging). Default "gibbs".
   */
  inference?: "gibbs" | "cvb0";
  /**
   * Learn the priors from the data every this many Gibbs sweeps (MALLET's `--optimize-interval`; Wallach, Mimno
   * & McCallum 2009, "Rethinking LDA: why priors matter"): an asymmetric document–topic prior α (one value per
   * topic) and a symmetric topic–word prior β, each by Minka's fixed-point update on the current counts
   * (digamma differences by count histograms, as MALLET's `Dirichlet.learnParameters`). `alpha` and `beta` are
   * then the starting values; the learned ones are in `alpha_` and `beta_`. 0 turns it off. Gibbs only. Default 0.
   */
  optimizeInterval?: number;
  /** Sweeps before the first prior update. Default min(50, iterations / 4). */
  optimizeBurnIn?: number;
}

/**
 * Latent Dirichlet allocation by collapsed Gibbs sampling.
 *
 * After `fit`, `topicWord_` (k × V, rows sum to 1) and `docTopic_` (D × k,
 * rows sum to 1) are posterior means averaged over thinned samples after
 * burn-in; `assignments_` holds the last topic of each token.
 *
 * @example
 * const corpus = prepareTopicCorpus(texts, { lang: "en" });
 * const lda = new LdaGibbs({ k: 10, iterations: 200, seed: 42 }).fit(corpus);
 * lda.topTerms(10);          // [["dress","fabric",...], ...]
 * lda.docTopic_.data[0];      // P(topic 0 | doc 0)
 */
export class LdaGibbs implements Estimator<TopicCorpus> {
  /** Option defaults and constraints (`k` is required; `alpha` defaults to 10 / k, `burnIn` to iterations / 2). */
  static readonly spec: OptionSpec<LdaOptions> = {
    k: { default: undefined as unknown as number, type: "number", integer: true, min: 1 },
    alpha: { default: undefined, type: "number", gt: 0 },
    beta: { default: 0.1, gt: 0 },
    iterations: { default: 200, integer: true, min: 1 },
    burnIn: { default: undefined, type: "number", integer: true, min: 0 },
    thin: { default: 5, integer: true, min: 1 },
    seed: { default: 42 },
    inference: { default: "gibbs", oneOf: ["gibbs", "cvb0"] },
    optimizeInterval: { default: 0, integer: true, min: 0 },
    optimizeBurnIn: { default: undefined, type: "number", integer: true, min: 0 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(LdaGibbs.spec);
  readonly options: Resolved<LdaOptions>;
  /** k × V topic–word probabilities (φ). */
  topicWord_: Matrix = { data: new Float64Array(0), rows: 0, cols: 0 };
  /** D × k document–topic probabilities (θ). */
  docTopic_: Matrix = { data: new Float64Array(0), rows: 0, cols: 0 };
  /** Topic of each token at the last sweep (documents concatenated). */
  assignments_: Int32Array = new Int32Array(0);
  /** Document–topic prior of each topic (learned when `optimizeInterval` > 0, else `alpha` for every topic). */
  alpha_: Float64Array = new Float64Array(0);
  /** Topic–word prior (learned when `optimizeInterval` > 0, else `beta`). */
  beta_ = 0;
  /** Vocabulary (from the corpus). */
  vocab_: string[] = [];
  /** Sweeps run. */
  nIter_ = 0;
  /** Tokens of each vocabulary word in the fitted corpus (for {@link LdaGibbs.topTerms}' relevance). */
  termFrequency_?: Float64Array;
  /** Log-likelihood log p(w | z) after each 10th sweep (for convergence plots). */
  logLikelihood_: number[] = [];

  constructor(options: LdaOptions) {
    this.options = resolveOptions("LdaGibbs", LdaGibbs.spec, options);
    if (this.options.k === undefined) throw new CustlabError("E_OPTION", "LdaGibbs: option k (the number of topics) is required");
  }

  /** Fit on a {@link TopicCorpus}. Returns this. `onProgress`: stage "gibbs", done = sweeps. */
  fit(corpus: TopicCorpus, fitOptions: FitOptions = {}): this {
    const o = this.options;
    const K = o.k;
    const V = corpus.vocab.length, D = corpus.docs.length;
    if (!V) throw new CustlabError("E_EMPTY_VOCABULARY", "LdaGibbs.fit: the corpus has no vocabulary (check stopwords and document-frequency filters)");
    const alpha = o.alpha ?? 10 / K, beta = o.beta ?? 0.1;
    const iters = o.iterations ?? 200;
    const burn = Math.min(o.burnIn ?? Math.floor(iters / 2), iters - 1);
    const thin = Math.max(1, o.thin ?? 5);
    const rng = createRng(o.seed ?? 42);
    // flatten
    let N = 0;
    for (const d of corpus.docs) N += d.length;
    const words = new Int32Array(N), docOf = new Int32Array(N), z = new Int32Array(N);
    const docStart = new Int32Array(D + 1);
    let q = 0;
    for (let d = 0; d < D; d++) {
      const doc = corpus.docs[d];
      for (let i = 0; i < doc.length; i++) {
        if (doc[i] < 0 || doc[i] >= V) throw new CustlabError("E_RANGE", `LdaGibbs.fit: word id ${doc[i]} in document ${d} is outside the vocabulary (${V})`);
        words[q] = doc[i]; docOf[q] = d; q++;
      }
      docStart[d + 1] = q;
    }
    this.termFrequency_ = new Float64Array(V);
    for (let i = 0; i < N; i++) this.termFrequency_[words[i]]++;
    if (o.inference === "cvb0") return this.fitCvb0(corpus, words, docStart, N, rng, fitOptions);
    const nwk = new Int32Array(V * K), ndk = new Int32Array(D * K), nk = new Int32Array(K);
    const al = new Float64Array(K).fill(alpha);
    let b = beta, Vbeta = V * b;
    const optEvery = o.optimizeInterval ?? 0, optBurn = o.optimizeBurnIn ?? Math.min(50, Math.floor(iters / 4));
    let maxLen = 0;
    for (let d = 0; d < D; d++) maxLen = Math.max(maxLen, docStart[d + 1] - docStart[d]);
    for (let i = 0; i < N; i++) {
      const t = rng.int(K);
      z[i] = t; nwk[words[i] * K + t]++; ndk[docOf[i] * K + t]++; nk[t]++;
    }
    const inv = new Float64Array(K);
    for (let t = 0; t < K; t++) inv[t] = 1 / (nk[t] + Vbeta);
    const p = new Float64Array(K);
    const phiSum = new Float64Array(K * V), thetaSum = new Float64Array(D * K);
    let samples = 0;
    this.logLikelihood_ = [];
    // inline sfc32 generator seeded from the Rng (a closure call per token costs ~30% of a sweep)
    let ra = (rng.next() * 4294967296) >>> 0, rb = (rng.next() * 4294967296) >>> 0, rc = (rng.next() * 4294967296) >>> 0, rd = 1;
    for (let it = 0; it < iters; it++) {
      for (let d = 0; d < D; d++) {
        const dk = d * K;
        for (let i = docStart[d], e = docStart[d + 1]; i < e; i++) {
          const wk = words[i] * K;
          let t = z[i];
          ndk[dk + t]--; nwk[wk + t]--; nk[t]--; inv[t] = 1 / (nk[t] + Vbeta);
          let sum = 0;
          for (let s = 0; s < K; s++) { sum += (ndk[dk + s] + al[s]) * (nwk[wk + s] + b) * inv[s]; p[s] = sum; }
          // sfc32 step
          const tt = (((ra + rb) | 0) + rd) | 0;
          rd = (rd + 1) | 0;
          ra = rb ^ (rb >>> 9);
          rb = (rc + (rc << 3)) | 0;
          rc = (rc << 21) | (rc >>> 11);
          rc = (rc + tt) | 0;
          const u = ((tt >>> 0) / 4294967296) * sum;
          t = 0;
          while (p[t] <= u && t < K - 1) t++;
          z[i] = t; ndk[dk + t]++; nwk[wk + t]++; nk[t]++; inv[t] = 1 / (nk[t] + Vbeta);
        }
      }
      if (optEvery > 0 && it + 1 >= optBurn && (it + 1 - optBurn) % optEvery === 0 && it < iters - 1) {
        optimizeAlpha(al, ndk, docStart, D, K, maxLen);
        b = optimizeBeta(b, nwk, nk, V, K);
        Vbeta = V * b;
        for (let t = 0; t < K; t++) inv[t] = 1 / (nk[t] + Vbeta);
      }
      if (it >= burn && (it - burn) % thin === 0) {
        samples++;
        let alSum = 0;
        for (let t = 0; t < K; t++) alSum += al[t];
        for (let w = 0; w < V; w++) for (let t = 0; t < K; t++) phiSum[t * V + w] += (nwk[w * K + t] + b) / (nk[t] + Vbeta);
        for (let d = 0; d < D; d++) {
          const len = docStart[d + 1] - docStart[d];
          for (let t = 0; t < K; t++) thetaSum[d * K + t] += (ndk[d * K + t] + al[t]) / (len + alSum);
        }
      }
      if (it % 10 === 9 || it === iters - 1) {
        this.logLikelihood_.push(wordLogLikelihood(nwk, nk, V, K, b));
        fitOptions.onProgress?.({ stage: "gibbs", done: it + 1, total: iters, metrics: { loglik: this.logLikelihood_[this.logLikelihood_.length - 1] } });
      }
    }
    for (let j = 0; j < phiSum.length; j++) phiSum[j] /= samples;
    for (let j = 0; j < thetaSum.length; j++) thetaSum[j] /= samples;
    this.topicWord_ = { data: phiSum, rows: K, cols: V, columns: corpus.vocab };
    this.docTopic_ = { data: thetaSum, rows: D, cols: K };
    this.assignments_ = z;
    this.vocab_ = corpus.vocab;
    this.nIter_ = iters;
    this.alpha_ = al;
    this.beta_ = b;
    return this;
  }

  /** CVB0: every token's topic distribution γ (N × k, Float32) updated in place; counts are sums of γ. */
  private fitCvb0(corpus: TopicCorpus, words: Int32Array, docStart: Int32Array, N: number, rng: ReturnType<typeof createRng>, fitOptions: FitOptions): this {
    const o = this.options, K = o.k, V = corpus.vocab.length, D = corpus.docs.length;
    const alpha = o.alpha ?? 10 / K, beta = o.beta ?? 0.1, iters = o.iterations ?? 200;
    const Vbeta = V * beta;
    const gamma = new Float32Array(N * K);
    const nwk = new Float64Array(V * K), ndk = new Float64Array(D * K), nk = new Float64Array(K);
    for (let d = 0; d < D; d++) {
      for (let i = docStart[d]; i < docStart[d + 1]; i++) {
        const t = rng.int(K);
        gamma[i * K + t] = 1; nwk[words[i] * K + t]++; ndk[d * K + t]++; nk[t]++;
      }
    }
    const g = new Float64Array(K);
    this.logLikelihood_ = [];
    for (let it = 0; it < iters; it++) {
      for (let d = 0; d < D; d++) {
        const dk = d * K;
        for (let i = docStart[d], e = docStart[d + 1]; i < e; i++) {
          const wk = words[i] * K, ik = i * K;
          let sum = 0;
          for (let t = 0; t < K; t++) {
            const old = gamma[ik + t];
            const v = (ndk[dk + t] - old + alpha) * (nwk[wk + t] - old + beta) / (nk[t] - old + Vbeta);
            g[t] = v; sum += v;
          }
          const inv = 1 / sum;
          for (let t = 0; t < K; t++) {
            const old = gamma[ik + t];
            gamma[ik + t] = g[t] * inv; // stored as float32: the counts move by exactly what γ moved
            const dlt = gamma[ik + t] - old;
            ndk[dk + t] += dlt; nwk[wk + t] += dlt; nk[t] += dlt;
          }
        }
      }
      if (it % 10 === 9 || it === iters - 1) {
        this.logLikelihood_.push(wordLogLikelihood(nwk, nk, V, K, beta));
        fitOptions.onProgress?.({ stage: "cvb0", done: it + 1, total: iters, metrics: { loglik: this.logLikelihood_[this.logLikelihood_.length - 1] } });
      }
    }
    // φ and θ from the expected counts (rounding can leave a count a hair below 0), each row normalised
    const phi = new Float64Array(K * V), theta = new Float64Array(D * K);
    for (let t = 0; t < K; t++) {
      let sum = 0;
      for (let w = 0; w < V; w++) sum += phi[t * V + w] = Math.max(0, nwk[w * K + t]) + beta;
      for (let w = 0; w < V; w++) phi[t * V + w] /= sum;
    }
    for (let d = 0; d < D; d++) {
      let sum = 0;
      for (let t = 0; t < K; t++) sum += theta[d * K + t] = Math.max(0, ndk[d * K + t]) + alpha;
      for (let t = 0; t < K; t++) theta[d * K + t] /= sum;
    }
    const z = new Int32Array(N);
    for (let i = 0; i < N; i++) { let b = 0; for (let t = 1; t < K; t++) if (gamma[i * K + t] > gamma[i * K + b]) b = t; z[i] = b; }
    this.topicWord_ = { data: phi, rows: K, cols: V, columns: corpus.vocab };
    this.docTopic_ = { data: theta, rows: D, cols: K };
    this.assignments_ = z;
    this.vocab_ = corpus.vocab;
    this.nIter_ = iters;
    this.alpha_ = new Float64Array(K).fill(alpha);
    this.beta_ = beta;
    return this;
  }

  /**
   * The `n` top words of each topic: the most probable ones by default, or ranked by LDAvis's relevance
   * (Sievert & Shirley 2014) when `relevance` (λ in [0, 1]) is below 1:
   * λ·log φ(w|t) + (1 − λ)·log(φ(w|t) / p(w)), p(w) the word's share of the fitted corpus's tokens.
   * λ = 1 is plain probability; lower λ favours words distinctive of the topic (their user study found λ ≈ 0.6 best).
   * @example lda.topTerms(10, { relevance: 0.6 })
   */
  topTerms(n = 10, options: { relevance?: number } = {}): string[][] {
    return this.topTermIds(n, options).map((ids) => ids.map((w) => this.vocab_[w]));
  }

  /** The ids of the `n` top words of each topic (ranked as {@link LdaGibbs.topTerms}). */
  topTermIds(n = 10, options: { relevance?: number } = {}): number[][] {
    if (!this.topicWord_.rows) notFitted("LdaGibbs");
    const lambda = options.relevance ?? 1;
    if (!(lambda >= 0 && lambda <= 1)) throw new CustlabError("E_OPTION", `LdaGibbs.topTerms: relevance must be in [0, 1], got ${lambda}`);
    const { data, rows: K, cols: V } = this.topicWord_;
    let logP: Float64Array | undefined;
    if (lambda < 1) {
      const tf = this.termFrequency_;
      if (!tf || tf.length !== V) throw new CustlabError("E_STATE", "LdaGibbs.topTerms: relevance < 1 needs the fitted corpus's term frequencies (refit; this model was saved without them)");
      let tot = 0;
      for (let w = 0; w < V; w++) tot += tf[w];
      logP = new Float64Array(V);
      for (let w = 0; w < V; w++) logP[w] = Math.log(tf[w] / tot);
    }
    const out: number[][] = [];
    const score = new Float64Array(V);
    for (let t = 0; t < K; t++) {
      const row = data.subarray(t * V, (t + 1) * V);
      if (!logP) { out.push(topIndices(row, n)); continue; }
      for (let w = 0; w < V; w++) { const lp = Math.log(row[w]); score[w] = lp - (1 - lambda) * logP[w]; }
      out.push(topIndices(score, n));
    }
    return out;
  }

  /** Most probable topic of each document (−1 for empty documents). */
  dominantTopics(): Int32Array {
    const { data, rows: D, cols: K } = this.docTopic_;
    const out = new Int32Array(D);
    for (let d = 0; d < D; d++) {
      let best = 0;
      for (let t = 1; t < K; t++) if (data[d * K + t] > data[d * K + best]) best = t;
      out[d] = best;
    }
    return out;
  }

  /** Topic shares of new documents by Gibbs sampling with φ fixed ("fold-in"). */
  transform(docs: Int32Array[], options: { iterations?: number; seed?: number } = {}): Matrix {
    if (!this.topicWord_.rows) notFitted("LdaGibbs");
    const K = this.topicWord_.rows, V = this.topicWord_.cols;
    const al = this.alpha_.length === K ? this.alpha_ : new Float64Array(K).fill(this.options.alpha ?? 10 / K);
    const rng = createRng(options.seed ?? this.options.seed);
    const iters = options.iterations ?? 50;
    const out = new Float64Array(docs.length * K);
    const p = new Float64Array(K), cnt = new Float64Array(K);
    docs.forEach((doc, d) => {
      const z = new Int32Array(doc.length);
      cnt.fill(0);
      for (let i = 0; i < doc.length; i++) { z[i] = rng.int(K); cnt[z[i]]++; }
      const acc = new Float64Array(K);
      for (let it = 0; it < iters; it++) {
        for (let i = 0; i < doc.length; i++) {
          const w = doc[i];
          if (w < 0 || w >= V) continue;
          cnt[z[i]]--;
          let sum = 0;
          for (let t = 0; t < K; t++) { sum += (cnt[t] + al[t]) * this.topicWord_.data[t * V + w]; p[t] = sum; }
          const u = rng.next() * sum;
          let t = 0;
          while (p[t] <= u && t < K - 1) t++;
          z[i] = t; cnt[t]++;
        }
        if (it >= iters / 2) for (let t = 0; t < K; t++) acc[t] += cnt[t] + al[t];
      }
      let s = 0;
      for (let t = 0; t < K; t++) s += acc[t];
      for (let t = 0; t < K; t++) out[d * K + t] = s > 0 ? acc[t] / s : 1 / K;
    });
    return { data: out, rows: docs.length, cols: K };
  }

  /** `{ type, version, options, state }`: φ, θ and the vocabulary. */
  toJSON() {
    return estimatorJSON("LdaGibbs", 1, this.options, this.topicWord_.rows ? { vocab: this.vocab_, topicWord: Array.from(this.topicWord_.data), docTopic: Array.from(this.docTopic_.data), k: this.topicWord_.rows, nIter: this.nIter_, termFrequency: this.termFrequency_ ? Array.from(this.termFrequency_) : undefined, alpha: Array.from(this.alpha_), beta: this.beta_ } : null);
  }

  /** Restore from {@link LdaGibbs.toJSON} (also reads the pre-envelope JSON). */
  static fromJSON(json: unknown): LdaGibbs {
    let j = json as any;
    if (j && typeof j === "object" && j.type === undefined && Array.isArray(j.topicWord)) j = { ...j, type: "LdaGibbs" };
    const { options, state: s } = readEstimatorJSON(j, "LdaGibbs", 1, true);
    const m = new LdaGibbs(options);
    if (s?.topicWord) {
      m.vocab_ = s.vocab;
      m.topicWord_ = { data: Float64Array.from(s.topicWord), rows: s.k, cols: s.vocab.length, columns: s.vocab };
      m.docTopic_ = { data: Float64Array.from(s.docTopic), rows: s.docTopic.length / s.k, cols: s.k };
      m.nIter_ = s.nIter ?? 0;
      if (s.termFrequency) m.termFrequency_ = Float64Array.from(s.termFrequency);
      m.alpha_ = Array.isArray(s.alpha) && s.alpha.length === s.k ? Float64Array.from(s.alpha) : new Float64Array(s.k).fill(options.alpha ?? 10 / s.k);
      m.beta_ = typeof s.beta === "number" ? s.beta : options.beta ?? 0.1;
    }
    return m;
  }
}

registerEstimator("LdaGibbs", LdaGibbs);

/**
 * Indices of the n largest values, largest first.
 * @example
 * topIndices([0.1, 0.7, 0.2], 2); // [1, 2]
 */
export function topIndices(row: ArrayLike<number>, n: number): number[] {
  const idx: number[] = [];
  for (let j = 0; j < row.length; j++) {
    if (idx.length < n) { idx.push(j); idx.sort((a, b) => row[b] - row[a] || a - b); continue; }
    if (row[j] > row[idx[n - 1]]) {
      let pos = n - 1;
      while (pos > 0 && row[idx[pos - 1]] < row[j]) pos--;
      idx.splice(pos, 0, j);
      idx.pop();
    }
  }
  return idx;
}

/**
 * One Minka fixed-point update of an asymmetric Dirichlet prior α from the document–topic counts (MALLET's
 * `Dirichlet.learnParameters` with its Gamma(1.001, 1) prior): the digamma differences ψ(n + α) − ψ(α) are
 * sums of 1 / (α + i) over a count histogram, so one update costs O(D·K + max length).
 */
function optimizeAlpha(al: Float64Array, ndk: Int32Array, docStart: Int32Array, D: number, K: number, maxLen: number): void {
  const lenHist = new Float64Array(maxLen + 1), hist = new Float64Array(K * (maxLen + 1));
  const maxCount = new Int32Array(K);
  for (let d = 0; d < D; d++) {
    lenHist[docStart[d + 1] - docStart[d]]++;
    for (let t = 0; t < K; t++) { const c = ndk[d * K + t]; hist[t * (maxLen + 1) + c]++; if (c > maxCount[t]) maxCount[t] = c; }
  }
  const shape = 1.001, scale = 1;
  let sum = 0;
  for (let t = 0; t < K; t++) sum += al[t];
  let den = 0, dig = 0;
  for (let n = 1; n <= maxLen; n++) { dig += 1 / (sum + n - 1); den += lenHist[n] * dig; }
  den -= 1 / scale;
  for (let t = 0; t < K; t++) {
    let num = 0;
    dig = 0;
    const old = al[t], h = t * (maxLen + 1);
    for (let n = 1; n <= maxCount[t]; n++) { dig += 1 / (old + n - 1); num += hist[h + n] * dig; }
    al[t] = Math.max(1e-6, (old * num + shape) / den);
  }
}

/**
 * Minka's fixed point for a symmetric topic–word prior β (MALLET's `learnSymmetricConcentration`): iterated
 * β ← β · Σ_{t,w} [ψ(n_tw + β) − ψ(β)] / (V · Σ_t [ψ(n_t + Vβ) − ψ(Vβ)]) with count histograms.
 */
function optimizeBeta(beta: number, nwk: Int32Array, nk: Int32Array, V: number, K: number): number {
  let maxC = 0, maxN = 0;
  for (let j = 0; j < nwk.length; j++) if (nwk[j] > maxC) maxC = nwk[j];
  for (let t = 0; t < K; t++) if (nk[t] > maxN) maxN = nk[t];
  const cHist = new Float64Array(maxC + 1);
  for (let j = 0; j < nwk.length; j++) cHist[nwk[j]]++;
  const lens = Array.from(nk).filter((n) => n > 0).sort((a, c) => a - c);
  let b = beta;
  for (let iter = 0; iter < 200; iter++) {
    let num = 0, dig = 0;
    for (let n = 1; n <= maxC; n++) { dig += 1 / (b + n - 1); num += cHist[n] * dig; }
    let den = 0, prev = 0;
    dig = 0;
    const Vb = V * b;
    for (const n of lens) { for (let i = prev; i < n; i++) dig += 1 / (Vb + i); den += dig; prev = n; }
    const nb = b * num / (V * den);
    if (!(nb > 0) || Math.abs(nb - b) < 1e-10 * b) { if (nb > 0) b = nb; break; }
    b = nb;
  }
  return b;
}

function wordLogLikelihood(nwk: ArrayLike<number>, nk: ArrayLike<number>, V: number, K: number, beta: number): number {
  let ll = K * (lgamma(V * beta) - V * lgamma(beta));
  for (let t = 0; t < K; t++) {
    for (let w = 0; w < V; w++) { const c = nwk[w * K + t]; if (c) ll += lgamma(c + beta); else ll += lgamma(beta); }
    ll -= lgamma(nk[t] + V * beta);
  }
  return ll;
}

/** One topic from the `lda` package: its terms with probabilities. */
export type LdaPackageTopic = { term: string; probability: number }[];

/**
 * Run the `lda` npm package (as users sometimes ask for it by name). It
 * tokenises and Porter-stems the sentences itself, drops its own en/de/es
 * stopwords, always runs 10,000 Gibbs sweeps and returns only each topic's
 * top terms — no document–topic matrix. Expect ~30 s for 2,000 short texts;
 * prefer {@link LdaGibbs} for anything tied back to reviews.
 *
 * @param sentences one string per document
 * @param k topics
 * @param options terms per topic (default 10), languages (default ["en"]), alpha (0.1), beta (0.01), seed (42)
 * @example ldaPackageTopics(["the fabric is soft", "shipping was slow"], 2, { terms: 3 })
 */
export function ldaPackageTopics(sentences: string[], k: number, options: { terms?: number; languages?: string[]; alpha?: number; beta?: number; seed?: number } = {}): LdaPackageTopic[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const lda = require("lda") as (s: string[], k: number, n: number, langs?: string[], a?: number, b?: number, seed?: number) => LdaPackageTopic[];
  return lda(sentences, k, options.terms ?? 10, options.languages ?? ["en"], options.alpha ?? 0.1, options.beta ?? 0.01, options.seed ?? 42);
}
