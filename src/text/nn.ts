/**
 * A small neural text classifier in TensorFlow.js, fastText-style: token
 * embeddings averaged over the text (negation-marked tokens and bigrams, so
 * word order matters locally) → ReLU hidden layer → softmax. The embedding
 * average is computed as (normalised bag of tokens) × (embedding matrix), a
 * dense matMul: identical to `embedding` + `globalAveragePooling1d`, but its
 * gradient runs on every backend (the wasm backend has no gradient kernel for
 * `gather`, `UnsortedSegmentSum`). Trained through custlab's backend layer
 * (wasm / webgpu / tfjs-node when present), seeded, per-epoch progress,
 * tensors disposed.
 */
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type AsyncEstimator, type FitOptions, type OptionSpec, type Resolved } from "../util/estimator";
import { initBackend } from "../backend";
import { getTf } from "../backend/tfjs";
import { CustlabError } from "../util/errors";
import { createRng } from "../util/random";
import type { ProgressCallback } from "../util/progress";
import { cleanText } from "./clean";
import { tokenizeChinese, tokenizeEnglish, wordNgrams } from "./tokenize";

/** Options for {@link TextNNClassifier}. */
export interface TextNNOptions {
  /** "en" or "zh". Default "en". */
  lang?: "en" | "zh";
  /** Vocabulary size (most frequent tokens in ≥ 2 texts). Default 20000. */
  maxVocab?: number;
  /** Tokens per text (longer texts are truncated). Default 400. */
  maxLen?: number;
  /** Hidden units after the embedding average (0 = none, fastText's linear model). Default 32. */
  hidden?: number;
  /** Embedding size. Default 48. */
  embeddingDim?: number;
  /** Include word bigrams as tokens. Default true. */
  bigrams?: boolean;
  /** Epochs. Default 4. */
  epochs?: number;
  /** Batch size. Default 64. */
  batchSize?: number;
  /** Adam learning rate. Default 0.005. */
  learningRate?: number;
  /** Dropout after pooling. Default 0.2. */
  dropout?: number;
  /** Seed for initialisation and batch order. Default 42. */
  seed?: number;
}

type Tf = ReturnType<typeof getTf>;

/**
 * Embedding-bag neural sentiment classifier (tfjs). `fit` is async; call
 * `dispose()` when done to free the weights.
 *
 * @example
 * const nn = await new TextNNClassifier({ lang: "en", epochs: 4, seed: 42 }).fit(texts, y);
 * await nn.predictProba(["love it"]);   // Float64Array [P(negative), P(positive)] (n × k)
 * nn.dispose();
 */
export class TextNNClassifier implements AsyncEstimator<ArrayLike<string>, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<TextNNOptions> = {
    lang: { default: "en", oneOf: ["en", "zh"] },
    maxVocab: { default: 20000, integer: true, min: 1 },
    maxLen: { default: 400, integer: true, min: 1 },
    hidden: { default: 32, integer: true, min: 0 },
    embeddingDim: { default: 48, integer: true, min: 1 },
    bigrams: { default: true },
    epochs: { default: 4, integer: true, min: 1 },
    batchSize: { default: 64, integer: true, min: 1 },
    learningRate: { default: 0.005, gt: 0 },
    dropout: { default: 0.2, min: 0, lt: 1 },
    seed: { default: 42 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(TextNNClassifier.spec);
  readonly options: Resolved<TextNNOptions>;
  /** token → id (0 padding, 1 unknown). */
  vocab_: Map<string, number> = new Map();
  /** Classes seen in fit. */
  nClasses_ = 0;
  /** Mean training loss per epoch. */
  history_: number[] = [];
  /** Backend used for training. */
  backend_ = "";
  private model: import("@tensorflow/tfjs").Sequential | null = null;
  /** Weights restored by fromJSON, set on the network when it is first needed. */
  private pending: { shape: number[]; values: number[] }[] | null = null;

  constructor(options: TextNNOptions = {}) { this.options = resolveOptions("TextNNClassifier", TextNNClassifier.spec, options); }

  /** The network for V tokens and K classes (seeded initialisers). */
  private build(tf: Tf, V: number, K: number): import("@tensorflow/tfjs").Sequential {
    const o = this.options, seed = o.seed, E = o.embeddingDim, H = o.hidden;
    const layers: import("@tensorflow/tfjs").layers.Layer[] = [
      tf.layers.dense({ inputShape: [V], units: E, useBias: false, name: "embedding_average", kernelInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }) }),
    ];
    if (H > 0) layers.push(tf.layers.dense({ units: H, activation: "relu", kernelInitializer: tf.initializers.heNormal({ seed: seed + 3 }) }));
    layers.push(tf.layers.dropout({ rate: o.dropout, seed: seed + 1 }));
    layers.push(tf.layers.dense({ units: K, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
    return tf.sequential({ layers });
  }

  private tokens(text: string): string[] {
    const t = cleanText(text ?? "");
    const toks = (this.options.lang ?? "en") === "zh" ? tokenizeChinese(t, { negation: true }) : tokenizeEnglish(t, { negation: true });
    return (this.options.bigrams ?? true) ? wordNgrams(toks, 1, 2) : toks;
  }

  /** Token ids of each text (unknown tokens dropped, at most maxLen). */
  private encode(texts: ArrayLike<string>): Int32Array[] {
    const L = this.options.maxLen ?? 400;
    const out: Int32Array[] = [];
    for (let i = 0; i < texts.length; i++) {
      const ids: number[] = [];
      for (const t of this.tokens(texts[i])) { const j = this.vocab_.get(t); if (j !== undefined) ids.push(j); if (ids.length >= L) break; }
      out.push(Int32Array.from(ids));
    }
    return out;
  }

  /** Rows `rows` of the encoded texts as an average-pooling matrix (m × V, each row sums to 1). */
  private bagBatch(X: Int32Array[], rows: ArrayLike<number>, buf: Float32Array): Float32Array {
    const V = this.vocab_.size;
    const m = rows.length;
    const out = buf.subarray(0, m * V);
    out.fill(0);
    for (let k = 0; k < m; k++) {
      const ids = X[rows[k]];
      const w = ids.length ? 1 / ids.length : 0;
      for (let j = 0; j < ids.length; j++) out[k * V + ids[j]] += w;
    }
    return out;
  }

  /** Train on texts and class codes 0..k-1 (async). Returns this. `onProgress`: stage "epoch", metrics.loss. */
  async fit(texts: ArrayLike<string>, y: ArrayLike<number>, fitOptions: FitOptions = {}): Promise<this> {
    if (texts.length !== y.length) throw new CustlabError("E_SHAPE", `TextNNClassifier.fit: ${texts.length} texts but ${y.length} labels`);
    const info = await initBackend();
    this.backend_ = info.name;
    const tf: Tf = getTf();
    const o = this.options;
    const seed = o.seed ?? 42;
    let K = 0;
    for (let i = 0; i < y.length; i++) K = Math.max(K, y[i] + 1);
    if (K < 2) throw new CustlabError("E_LABEL", "TextNNClassifier.fit: need at least two classes");
    this.nClasses_ = K;
    // vocabulary by document frequency (tokens in ≥ 2 texts)
    const df = new Map<string, number>();
    for (let i = 0; i < texts.length; i++) for (const w of new Set(this.tokens(texts[i]))) df.set(w, (df.get(w) ?? 0) + 1);
    const terms = [...df.entries()].filter(([, c]) => c >= 2).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, o.maxVocab ?? 20000);
    this.vocab_ = new Map(terms.map(([w], i) => [w, i]));
    const V = this.vocab_.size, E = o.embeddingDim ?? 48, H = o.hidden ?? 32;
    if (V === 0) throw new CustlabError("E_EMPTY_VOCABULARY", "TextNNClassifier.fit: no token occurs in two or more texts");
    const X = this.encode(texts);
    this.model?.dispose();
    this.pending = null;
    void E; void H;
    const model = this.build(tf, V, K);
    model.compile({ optimizer: tf.train.adam(o.learningRate ?? 0.005), loss: "sparseCategoricalCrossentropy" });
    this.model = model;
    const rng = createRng(seed);
    const n = texts.length, B = o.batchSize ?? 64, epochs = o.epochs ?? 4;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    this.history_ = [];
    const xbuf = new Float32Array(B * V), yb = new Float32Array(B);
    for (let ep = 0; ep < epochs; ep++) {
      rng.shuffle(order);
      let lossSum = 0, batches = 0;
      for (let s = 0; s < n; s += B) {
        const m = Math.min(B, n - s);
        const rows = order.subarray(s, s + m);
        for (let k = 0; k < m; k++) yb[k] = y[rows[k]];
        const xs = tf.tensor2d(this.bagBatch(X, rows, xbuf), [m, V], "float32");
        const ys = tf.tensor1d(yb.subarray(0, m), "float32");
        const loss = (await model.trainOnBatch(xs, ys)) as number;
        xs.dispose(); ys.dispose();
        lossSum += loss; batches++;
      }
      this.history_.push(lossSum / batches);
      fitOptions.onProgress?.({ stage: "epoch", done: ep + 1, total: epochs, metrics: { loss: lossSum / batches } });
    }
    return this;
  }

  /** Class probabilities, n × k row-major (k = 2 for binary: [P(0), P(1)]). */
  async predictProba(texts: ArrayLike<string>): Promise<Float64Array> {
    const tf: Tf = getTf();
    if (!this.model && this.pending) {
      this.model = this.build(tf, this.vocab_.size, this.nClasses_);
      const ws = this.pending.map((w) => tf.tensor(w.values, w.shape));
      this.model.setWeights(ws);
      tf.dispose(ws);
      this.pending = null;
    }
    if (!this.model) notFitted("TextNNClassifier");
    const K = this.nClasses_, V = this.vocab_.size;
    const X = this.encode(texts);
    const n = texts.length;
    const out = new Float64Array(n * K);
    const B = 256;
    const buf = new Float32Array(B * V);
    for (let s = 0; s < n; s += B) {
      const m = Math.min(B, n - s);
      const rows = Int32Array.from({ length: m }, (_, k) => s + k);
      const bag = this.bagBatch(X, rows, buf);
      const p = tf.tidy(() => this.model!.predict(tf.tensor2d(bag, [m, V], "float32")) as import("@tensorflow/tfjs").Tensor);
      const v = await p.data();
      p.dispose();
      for (let i = 0; i < m; i++) for (let k = 0; k < K; k++) out[(s + i) * K + k] = v[i * K + k];
    }
    return out;
  }

  /** Most probable class per text. */
  async predict(texts: ArrayLike<string>): Promise<Int32Array> {
    const p = await this.predictProba(texts);
    const K = this.nClasses_;
    return Int32Array.from({ length: texts.length }, (_, i) => {
      if (K === 2) return p[2 * i + 1] > 0.5 ? 1 : 0;
      let best = 0;
      for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + best]) best = k;
      return best;
    });
  }

  /** `{ type, version, options, state }`: vocabulary (in id order), classes, weights and loss history. */
  toJSON() {
    const weights = this.pending ?? this.model?.getWeights().map((w) => ({ shape: w.shape as number[], values: Array.from(w.dataSync()) }));
    return estimatorJSON("TextNNClassifier", 1, this.options, weights && { vocab: [...this.vocab_.keys()], nClasses: this.nClasses_, weights, history: [...this.history_], backend: this.backend_ });
  }

  /** Restore from {@link TextNNClassifier.toJSON} (the network is rebuilt on the current tfjs backend when first used). */
  static fromJSON(json: unknown): TextNNClassifier {
    const { options, state: s } = readEstimatorJSON(json, "TextNNClassifier", 1);
    const m = new TextNNClassifier(options);
    if (s?.weights) { m.vocab_ = new Map((s.vocab as string[]).map((w, i) => [w, i])); m.nClasses_ = s.nClasses; m.pending = s.weights; m.history_ = s.history ?? []; m.backend_ = s.backend ?? ""; }
    return m;
  }

  /** Free the tfjs weights. */
  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}

registerEstimator("TextNNClassifier", TextNNClassifier);
