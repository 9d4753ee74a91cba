import { Matrix } from "../util/matrix";
import { createRng } from "../util/random";
import { CustlabError, optionError } from "../util/errors";
import { ProgressCallback } from "../util/progress";
import { estimatorJSON, notFitted, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type AsyncEstimator, type EstimatorJSON, type FitOptions, type OptionSpec, type Resolved } from "../util/estimator";
import { Table } from "../table";
import { initBackend, BackendInfo } from "../backend";
import { getTf } from "../backend/tfjs";
import { KMeans, checkMatrix } from "./kmeans";
import { silhouetteScore, adjustedRandIndex, normalizedMutualInfo } from "./metrics";

type Tf = ReturnType<typeof getTf>;
type LayersModel = import("@tensorflow/tfjs").LayersModel;

/** Options for {@link CustomerAutoencoder}. */
export interface AutoencoderOptions {
  /** Size of the embedding. Default 2. */
  latentDim?: number;
  /** Encoder hidden layer sizes (the decoder mirrors them). Default [16, 8]. */
  hidden?: number[];
  /** Hidden activation. Default "elu". */
  activation?: "relu" | "elu" | "tanh";
  /** Training epochs. Default 40. */
  epochs?: number;
  /** Mini-batch size. Default 128. */
  batchSize?: number;
  /** Adam learning rate. Default 0.01. */
  learningRate?: number;
  /** Seed for weight initialisation and batch shuffling. Default 42. */
  seed?: number;
}

/**
 * Serialised {@link CustomerAutoencoder}: `{ type: "CustomerAutoencoder", version, options, state }`;
 * the state holds the input width, the weights of every layer in order (flattened, with shapes) and the loss history.
 */
export type AutoencoderJSON = EstimatorJSON<Record<string, unknown>, { inputDim: number; weights: { shape: number[]; values: number[] }[]; lossHistory: number[] }>;

/**
 * A dense autoencoder (tfjs, through custlab's backend layer) that embeds
 * standardised customer features in a small latent space: input → hidden →
 * latent (linear) → mirrored hidden → output (linear), mean-squared
 * reconstruction loss, Adam, seeded initialisation and shuffling, a manual
 * mini-batch loop (so every batch order comes from custlab's seeded RNG) and
 * disposed tensors. Cluster the embedding with {@link KMeans}
 * ({@link autoencoderSegments}).
 *
 * @example
 * const ae = await new CustomerAutoencoder({ latentDim: 2, seed: 1 }).fit(X);
 * const Z = ae.transform(X);            // rows × 2 embedding
 * ae.backend_;                          // e.g. "wasm"
 * ae.dispose();
 */
export class CustomerAutoencoder implements AsyncEstimator<Matrix> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<AutoencoderOptions> = {
    latentDim: { default: 2, integer: true, min: 1 },
    hidden: { default: [16, 8], check: (v) => (v!.every((u) => Number.isInteger(u) && u >= 1) ? undefined : `units must be positive integers, got [${v}]`) },
    activation: { default: "elu", oneOf: ["relu", "elu", "tanh"] },
    epochs: { default: 40, integer: true, min: 1 },
    batchSize: { default: 128, integer: true, min: 1 },
    learningRate: { default: 0.01, gt: 0 },
    seed: { default: 42 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(CustomerAutoencoder.spec);
  readonly options: Resolved<AutoencoderOptions>;
  /** Mean reconstruction MSE per epoch. */
  lossHistory_: number[] = [];
  /** Backend the model trained on. */
  backend_ = "";
  /** Full backend info. */
  backendInfo_: BackendInfo | null = null;
  private encoder: LayersModel | null = null;
  private autoencoder: LayersModel | null = null;
  private inputDim = 0;
  /** Weights restored by fromJSON, set on the network when it is first needed. */
  private pending: { shape: number[]; values: number[] }[] | null = null;

  constructor(options: AutoencoderOptions = {}) {
    this.options = resolveOptions("CustomerAutoencoder", CustomerAutoencoder.spec, options);
  }

  private build(tf: Tf, inputDim: number): void {
    const o = this.options;
    const latent = o.latentDim ?? 2, hidden = o.hidden ?? [16, 8], act = o.activation ?? "elu";
    const seed = o.seed ?? 42;
    let s = 0;
    const init = () => tf.initializers.glorotUniform({ seed: seed * 1000 + s++ });
    const input = tf.input({ shape: [inputDim] });
    let h: any = input;
    for (const u of hidden) h = tf.layers.dense({ units: u, activation: act, kernelInitializer: init() }).apply(h);
    const z = tf.layers.dense({ units: latent, activation: "linear", kernelInitializer: init(), name: "latent" }).apply(h);
    let g: any = z;
    for (const u of [...hidden].reverse()) g = tf.layers.dense({ units: u, activation: act, kernelInitializer: init() }).apply(g);
    const out = tf.layers.dense({ units: inputDim, activation: "linear", kernelInitializer: init() }).apply(g);
    this.autoencoder = tf.model({ inputs: input, outputs: out as any });
    this.encoder = tf.model({ inputs: input, outputs: z as any });
    this.inputDim = inputDim;
  }

  /**
   * Train on the rows of X (standardise first). Resolves to `this`. `onProgress`
   * is called once per epoch (stage "autoencoder", metrics.loss = mean squared reconstruction error).
   */
  async fit(X: Matrix, fitOptions: FitOptions = {}): Promise<this> {
    checkMatrix(X, "CustomerAutoencoder.fit");
    const o = this.options;
    const epochs = o.epochs, batch = o.batchSize, lr = o.learningRate;
    this.backendInfo_ = await initBackend();
    const tf = getTf();
    this.backend_ = tf.getBackend();
    this.dispose();
    this.build(tf, X.cols);
    const rng = createRng((o.seed ?? 42) + 7);
    const n = X.rows, d = X.cols;
    const Xf = new Float32Array(X.data);
    const optimizer = tf.train.adam(lr);
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const buf = new Float32Array(batch * d);
    this.lossHistory_ = [];
    try {
      for (let e = 0; e < epochs; e++) {
        rng.shuffle(idx);
        const losses: any[] = [];
        for (let start = 0; start < n; start += batch) {
          const m = Math.min(batch, n - start);
          for (let r = 0; r < m; r++) buf.set(Xf.subarray(idx[start + r] * d, idx[start + r] * d + d), r * d);
          const xb = tf.tensor2d(buf.subarray(0, m * d), [m, d]);
          const loss = optimizer.minimize(() => tf.losses.meanSquaredError(xb, this.autoencoder!.apply(xb) as any) as any, true);
          losses.push(tf.tidy(() => tf.mul(loss as any, m)));
          tf.dispose([xb, loss as any]);
        }
        // one sync per epoch: Σ batch loss × batch size / n
        const total = tf.addN(losses);
        const l = total.dataSync()[0] / n;
        tf.dispose([total, ...losses]);
        this.lossHistory_.push(l);
        fitOptions.onProgress?.({ stage: "autoencoder", done: e + 1, total: epochs, message: `epoch ${e + 1}/${epochs}`, metrics: { loss: l } });
        await new Promise((r) => setImmediate(r)); // let notebooks/CLI repaint
      }
    } finally {
      optimizer.dispose();
    }
    return this;
  }

  /** Build the network from restored weights on first use. */
  private ensureModel(): void {
    if (this.autoencoder || !this.pending) return;
    const tf = getTf();
    if (!this.backend_) this.backend_ = tf.getBackend();
    this.build(tf, this.inputDim);
    const ws = this.pending.map((w) => tf.tensor(w.values, w.shape));
    this.autoencoder!.setWeights(ws);
    tf.dispose(ws);
    this.pending = null;
  }

  private run(which: "encoder" | "autoencoder", X: Matrix, outDim: number, names: string[]): Matrix {
    this.ensureModel();
    const model = which === "encoder" ? this.encoder : this.autoencoder;
    if (!model) notFitted("CustomerAutoencoder");
    if (X.cols !== this.inputDim) throw new CustlabError("E_SHAPE", `CustomerAutoencoder: X has ${X.cols} columns, the model expects ${this.inputDim}`);
    const tf = getTf();
    const out = tf.tidy(() => (model.predict(tf.tensor2d(new Float32Array(X.data), [X.rows, X.cols])) as any).dataSync() as Float32Array);
    return { data: Float64Array.from(out), rows: X.rows, cols: outDim, columns: names };
  }

  /** Latent embedding (rows × latentDim). */
  transform(X: Matrix): Matrix {
    const l = this.options.latentDim;
    return this.run("encoder", X, l, Array.from({ length: l }, (_, i) => `z${i + 1}`));
  }

  /** Reconstruction (rows × cols). */
  reconstruct(X: Matrix): Matrix {
    return this.run("autoencoder", X, this.inputDim, X.columns ?? Array.from({ length: X.cols }, (_, i) => `x${i}`));
  }

  /** Mean squared reconstruction error on X. */
  reconstructionError(X: Matrix): number {
    const R = this.reconstruct(X);
    let s = 0;
    for (let i = 0; i < R.data.length; i++) { const v = R.data[i] - X.data[i]; s += v * v; }
    return s / R.data.length;
  }

  /** `{ type, version, options, state }` with all weights. */
  toJSON(): AutoencoderJSON {
    const weights = this.pending ?? this.autoencoder?.getWeights().map((w) => ({ shape: w.shape as number[], values: Array.from(w.dataSync()) }));
    return estimatorJSON("CustomerAutoencoder", 1, this.options, weights && { inputDim: this.inputDim, weights, lossHistory: [...this.lossHistory_] });
  }

  /**
   * Rebuild from {@link CustomerAutoencoder.toJSON} output (also reads the older
   * `custlab.CustomerAutoencoder` JSON). The network is built on the current tfjs
   * backend when first used (call `initBackend` first to choose it).
   */
  static fromJSON(json: unknown): CustomerAutoencoder {
    let j = json as any;
    if (j?.type === "custlab.CustomerAutoencoder") { const { type: _t, options, ...state } = j; j = { type: "CustomerAutoencoder", version: 1, options, state }; }
    const { options, state: s } = readEstimatorJSON(j, "CustomerAutoencoder", 1);
    const ae = new CustomerAutoencoder(options);
    if (s) { ae.inputDim = s.inputDim; ae.pending = s.weights; ae.lossHistory_ = [...s.lossHistory]; }
    return ae;
  }

  /** Free the model's tensors. */
  dispose(): void {
    this.autoencoder?.dispose();
    this.autoencoder = null;
    this.encoder = null;
  }
}

registerEstimator("CustomerAutoencoder", CustomerAutoencoder);

/** Options for {@link autoencoderSegments}. */
export interface AutoencoderSegmentsOptions extends AutoencoderOptions {
  /** Number of segments. Required. */
  k: number;
  /** k-means restarts in the latent space. Default 10. */
  nInit?: number;
  /** Called once per autoencoder epoch. */
  onProgress?: ProgressCallback;
}

/**
 * Train an autoencoder on standardised features, then k-means in its latent
 * space. The model is disposed after use; the embedding is returned.
 *
 * @example
 * const r = await autoencoderSegments(X, { k: 5, seed: 1 });
 * r.labels; r.embedding; r.silhouetteLatent;
 */
export async function autoencoderSegments(X: Matrix, options: AutoencoderSegmentsOptions): Promise<{ labels: Int32Array; embedding: Matrix; kmeans: KMeans; lossHistory: number[]; backend: string; silhouetteLatent: number; silhouetteInput: number }> {
  const { k: _k, nInit: _n, onProgress, ...aeOptions } = options;
  const ae = await new CustomerAutoencoder(aeOptions).fit(X, { onProgress });
  try {
    const embedding = ae.transform(X);
    const km = new KMeans({ k: options.k, nInit: options.nInit ?? 10, seed: options.seed ?? 42 }).fit(embedding);
    return {
      labels: km.labels_, embedding, kmeans: km, lossHistory: ae.lossHistory_, backend: ae.backend_,
      silhouetteLatent: silhouetteScore(embedding, km.labels_, { seed: options.seed ?? 42 }),
      silhouetteInput: silhouetteScore(X, km.labels_, { seed: options.seed ?? 42 }),
    };
  } finally {
    ae.dispose();
  }
}

/** Options for {@link compareSegmentations}. */
export interface CompareSegmentationsOptions extends Omit<AutoencoderOptions, "seed"> {
  k: number;
  /** Seeds for the stability check (each method is run once per seed). Default [1, 2, 3]. */
  seeds?: number[];
  /** Planted/true labels to score recovery against (ARI, NMI). */
  truth?: ArrayLike<number | string>;
  nInit?: number;
  /** Called once per autoencoder epoch. */
  onProgress?: ProgressCallback;
}

/**
 * Plain k-means vs autoencoder + k-means on the same standardised features:
 * silhouette (in the input space, so both are judged on the same geometry,
 * and in the method's own space), stability across seeds (mean pairwise
 * adjusted Rand index between runs) and, when `truth` is given, recovery
 * (mean ARI and NMI against it). One row per method.
 * @example
 * showTable(await compareSegmentations(X, { k: 5, seeds: [1, 2], truth: planted }));
 */
export async function compareSegmentations(X: Matrix, options: CompareSegmentationsOptions): Promise<Table> {
  const seeds = options.seeds ?? [1, 2, 3];
  const runs: Record<string, { labels: Int32Array; silIn: number; silOwn: number }[]> = { kmeans: [], "autoencoder+kmeans": [] };
  for (const seed of seeds) {
    // plain k-means uses nInit = 1 per seed so that seed-to-seed stability is measured, not hidden by restarts
    const km = new KMeans({ k: options.k, nInit: options.nInit ?? 1, seed }).fit(X);
    const s = silhouetteScore(X, km.labels_, { seed });
    runs.kmeans.push({ labels: km.labels_, silIn: s, silOwn: s });
    const { seeds: _s, truth: _t, ...rest } = options;
    const ae = await autoencoderSegments(X, { ...rest, seed, nInit: options.nInit ?? 1 });
    runs["autoencoder+kmeans"].push({ labels: ae.labels, silIn: ae.silhouetteInput, silOwn: ae.silhouetteLatent });
  }
  const methods = Object.keys(runs);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const stab = (rs: { labels: Int32Array }[]) => {
    const v: number[] = [];
    for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) v.push(adjustedRandIndex(rs[i].labels, rs[j].labels));
    return v.length ? mean(v) : NaN;
  };
  const cols: Record<string, string[] | Float64Array> = {
    method: methods,
    silhouette_input_space: Float64Array.from(methods, (m) => mean(runs[m].map((r) => r.silIn))),
    silhouette_own_space: Float64Array.from(methods, (m) => mean(runs[m].map((r) => r.silOwn))),
    stability_ari: Float64Array.from(methods, (m) => stab(runs[m])),
  };
  if (options.truth) {
    cols.ari_vs_truth = Float64Array.from(methods, (m) => mean(runs[m].map((r) => adjustedRandIndex(r.labels, options.truth!))));
    cols.nmi_vs_truth = Float64Array.from(methods, (m) => mean(runs[m].map((r) => normalizedMutualInfo(r.labels, options.truth!))));
  }
  return new Table(cols);
}
