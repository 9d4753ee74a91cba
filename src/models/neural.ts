import { initBackend } from "../backend";
import { getTf } from "../backend/tfjs";
import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { stratifiedHoldout } from "../util/folds";
import { createRng, Rng } from "../util/random";
import { estimatorJSON, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type AsyncEstimator, type OptionSpec, type Resolved } from "../util/estimator";
import { binaryProba, checkClassWeight, checkMatrix, encodeLabels, notFitted, probaToLabels, rowWeights } from "./labels";
import type { ClassWeight, Classifier, ModelFitOptions, Sequences } from "./types";

type Tf = ReturnType<typeof getTf>;
type Tensor = import("@tensorflow/tfjs").Tensor;
type Variable = import("@tensorflow/tfjs").Variable;

/** Training rows per epoch from which `fit` also reports progress within the epoch (stage "batch"). @internal */
const BATCH_PROGRESS_ROWS = 100_000;

/** Training options shared by the tfjs models. */
export interface NeuralTrainOptions {
  /** Adam learning rate. Default 0.001. */
  learningRate?: number;
  /** Rows per gradient step. Default 256. */
  batchSize?: number;
  /** Maximum passes over the training rows. Default 50. */
  epochs?: number;
  /** Hold out a stratified validation split and stop when its loss stops improving. Default true. */
  earlyStopping?: boolean;
  /** Fraction held out for early stopping. Default 0.1. */
  validationFraction?: number;
  /** Epochs without a validation-loss improvement (> 1e-4) before stopping; the best weights are kept. Default 5. */
  patience?: number;
  /** Dropout rate on hidden activations (training only). Default 0. */
  dropout?: number;
  /** L2 penalty on weight matrices (added to the loss). Default 0. */
  l2?: number;
  /** Class weights. Default none. */
  classWeight?: ClassWeight;
  /** Seed for initial weights, shuffling, the validation split and dropout. Default 42. */
  seed?: number;
  /** Force a training backend for this model (see `initBackend`); default: the one already chosen. */
  backend?: string;
}

/** Constraints of the shared training options. @internal */
const TRAIN_SPEC: OptionSpec<NeuralTrainOptions> = {
  learningRate: { default: 1e-3, gt: 0 },
  batchSize: { default: 256, integer: true, min: 1 },
  epochs: { default: 50, integer: true, min: 1 },
  earlyStopping: { default: true },
  validationFraction: { default: 0.1, gt: 0, lt: 1 },
  patience: { default: 5, integer: true, min: 1 },
  dropout: { default: 0, min: 0, lt: 1 },
  l2: { default: 0, min: 0 },
  classWeight: { default: undefined, type: "any", check: checkClassWeight },
  seed: { default: 42 },
  backend: { default: undefined, type: "string" },
};

/** One entry of a network's training history. */
export interface NeuralHistory {
  loss: number[];
  val_loss: number[];
}

interface ParamSpec { name: string; shape: number[]; init: "glorot" | "zeros" | "ones" | "lstm_bias" }

/** A network definition: parameters plus a forward pass returning logits [b, outDim]. @internal */
interface NetDef {
  params: ParamSpec[];
  /** Shape of one input row (e.g. [p] or [T, f]). */
  rowShape: number[];
  forward(tf: Tf, P: Record<string, Tensor>, x: Tensor, training: boolean, seed: number): Tensor;
}

/**
 * A {@link NetDef} as the class declarations show it: opaque, so custlab's
 * public `.d.ts` files never mention tfjs types. @internal
 */
interface NetHandle { readonly __custlabNet: true }
const netHandle = (d: NetDef): NetHandle => d as unknown as NetHandle;
const netDef = (h: NetHandle): NetDef => h as unknown as NetDef;

function initParam(spec: ParamSpec, rng: Rng): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(size);
  if (spec.init === "ones") a.fill(1);
  else if (spec.init === "glorot") {
    const fanIn = spec.shape.length > 1 ? spec.shape[0] : 1, fanOut = spec.shape[spec.shape.length - 1];
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < size; i++) a[i] = (rng.next() * 2 - 1) * lim;
  } else if (spec.init === "lstm_bias") {
    // Keras' unit_forget_bias: gates ordered i, f, c, o; forget-gate bias starts at 1
    const u = size / 4;
    for (let i = u; i < 2 * u; i++) a[i] = 1;
  }
  return a;
}

/**
 * Row input of a network: the caller's own buffer (float64 rows of a Matrix,
 * float32 Sequences), never a whole-data copy; batches are converted to
 * float32 as they are gathered (the same rounding as converting it all first).
 */
type RowData = Float32Array | Float64Array;

/** Row-gather helper: copies rows idx[a..b) of a flat row buffer into a float32 batch. */
function gather(src: RowData, rowLen: number, idx: Int32Array, a: number, b: number, out: Float32Array): Float32Array {
  const buf = out.subarray(0, (b - a) * rowLen);
  for (let t = a; t < b; t++) buf.set(src.subarray(idx[t] * rowLen, (idx[t] + 1) * rowLen), (t - a) * rowLen);
  return buf;
}

function lossTensor(tf: Tf, logits: Tensor, y: Tensor, w: Tensor, K: number): Tensor {
  return tf.tidy(() => {
    let per: Tensor;
    if (K === 1) {
      const z = logits.reshape([-1]);
      // max(z,0) − z·y + log(1 + e^{−|z|})
      per = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    } else {
      const lse = tf.logSumExp(logits, 1);
      const picked = tf.sum(tf.mul(logits, tf.oneHot(y.toInt(), K)), 1);
      per = tf.sub(lse, picked);
    }
    return tf.div(tf.sum(tf.mul(per, w)), tf.sum(w));
  });
}

/**
 * Base class of custlab's tfjs classifiers: seeded initial weights, seeded
 * shuffling, Adam, mini-batches, early stopping on a stratified validation
 * split (keeping the best weights), weighted loss (class/sample weights),
 * one progress event per epoch with `{loss, val_loss}` (and from 100,000 training rows and 20 batches per epoch, about 20 `"batch"` events within each epoch with the running loss). After `fit` the
 * weights live in plain Float32Arrays (`weights_`): no tensors stay
 * allocated between calls, and `toJSON` is exact.
 * @internal
 */
export abstract class NeuralClassifierBase<O extends NeuralTrainOptions> implements Classifier, AsyncEstimator<Matrix | Sequences, ArrayLike<number>> {
  readonly options: Resolved<O>;
  classes_?: number[];
  /** Learned weights, one Float32Array per parameter (see `paramShapes_`). */
  weights_?: Float32Array[];
  paramShapes_?: number[][];
  /** Shape of one input row the network was built for. */
  rowShape_?: number[];
  history_?: NeuralHistory;
  /** Epoch (1-based) whose weights were kept. */
  bestEpoch_?: number;
  /** Backend the model was trained on. */
  backend_?: string;
  private fitting = false;

  constructor(name: string, spec: OptionSpec<O>, options: O) {
    this.options = resolveOptions(name, spec, options);
  }

  /** Build the network for rows of `rowShape` and `outDim` logits. @internal */
  protected abstract net(rowShape: number[], outDim: number): NetHandle;
  /** Model name for messages and JSON. @internal */
  protected abstract get kind(): string;

  /** Convert the input to a flat float32 buffer + row shape. @internal */
  protected abstract input(X: Matrix | Sequences): { data: RowData; n: number; rowShape: number[] };

  /**
   * Train (async). Refuses a second concurrent `fit` on the same model.
   * Resolves to the model.
   */
  async fit(X: Matrix | Sequences, y: ArrayLike<number>, fitOptions: ModelFitOptions = {}): Promise<this> {
    if (this.fitting) throw new CustlabError("E_BUSY", `${this.kind}: fit() is already running on this model; wait for it or create another model`);
    this.fitting = true;
    try {
      return await this.fitInner(X, y, fitOptions);
    } finally {
      this.fitting = false;
    }
  }

  private async fitInner(X: Matrix | Sequences, y: ArrayLike<number>, fitOptions: ModelFitOptions): Promise<this> {
    const info = await initBackend(this.options.backend ? { backend: this.options.backend } : {});
    const tf = getTf();
    const o = this.options;
    const { data, n, rowShape } = this.input(X);
    const rowLen = rowShape.reduce((a, b) => a * b, 1);
    const { classes, codes } = encodeLabels(y, n);
    const k = classes.length, K = k === 2 ? 1 : k;
    const w = rowWeights(codes, classes, o.classWeight, fitOptions.sampleWeight);
    const seed = o.seed ?? 42;
    const rng = createRng(seed);
    const lr = o.learningRate ?? 1e-3, batch = Math.max(1, Math.floor(o.batchSize ?? 256)), epochs = o.epochs ?? 50;
    const es = o.earlyStopping ?? true, patience = o.patience ?? 5;
    if (!(lr > 0)) throw new CustlabError("E_OPTION", `option learningRate: must be > 0, got ${lr}`);
    if (!(Number.isInteger(epochs) && epochs >= 1)) throw new CustlabError("E_OPTION", `option epochs: must be a positive integer, got ${epochs}`);
    // stratified validation split
    let trainIdx: Int32Array, valIdx = new Int32Array(0);
    if (es) {
      ({ train: trainIdx, validation: valIdx } = stratifiedHoldout(codes, k, o.validationFraction ?? 0.1, rng, true));
    } else trainIdx = Int32Array.from({ length: n }, (_, i) => i);
    const def = netDef(this.net(rowShape, K));
    const initRng = createRng(seed ^ 0x51ed);
    const vars: Variable[] = def.params.map((s) => {
      const t0 = tf.tensor(initParam(s, initRng), s.shape);
      const v = tf.variable(t0, true);
      t0.dispose();
      return v;
    });
    const P: Record<string, Tensor> = {};
    def.params.forEach((s, i) => (P[s.name] = vars[i]));
    const optimizer = tf.train.adam(lr);
    const l2 = o.l2 ?? 0;
    const yf = Float32Array.from(codes);
    const wf = Float32Array.from(w);
    const xbuf = new Float32Array(batch * rowLen), ybuf = new Float32Array(batch), wbuf = new Float32Array(batch);
    const history: NeuralHistory = { loss: [], val_loss: [] };
    let best = Infinity, bestEpoch = 0, bad = 0;
    let bestWeights: Float32Array[] | null = null;
    let step = 0;
    const evalLoss = (idx: Int32Array): number => {
      let s = 0, ws = 0;
      for (let a = 0; a < idx.length; a += 4096) {
        const b = Math.min(idx.length, a + 4096);
        const xb = gather(data, rowLen, idx, a, b, new Float32Array((b - a) * rowLen));
        const yb = Float32Array.from({ length: b - a }, (_, t) => yf[idx[a + t]]);
        const wb = Float32Array.from({ length: b - a }, (_, t) => wf[idx[a + t]]);
        let sw = 0;
        for (let t = 0; t < wb.length; t++) sw += wb[t];
        const v = tf.tidy(() => {
          const logits = def.forward(tf, P, tf.tensor(xb, [b - a, ...rowShape]), false, 0);
          return lossTensor(tf, logits, tf.tensor1d(yb), tf.tensor1d(wb), K).dataSync()[0];
        });
        s += v * sw; ws += sw;
      }
      return ws > 0 ? s / ws : NaN;
    };
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const order = rng.shuffle(Int32Array.from(trainIdx));
        let sum = 0, wsum = 0;
        // long epochs (millions of rows) also report within the epoch: about 20 "batch" events each
        const nb = Math.ceil(order.length / batch), every = order.length >= BATCH_PROGRESS_ROWS && nb >= 20 ? Math.ceil(nb / 20) : 0;
        for (let a = 0, bi = 1; a < order.length; a += batch, bi++) {
          if (every && fitOptions.onProgress && bi % every === 0 && bi < nb) {
            fitOptions.onProgress({ stage: "batch", done: bi, total: nb, message: `${this.kind} epoch ${epoch}/${epochs}`, metrics: { loss: wsum > 0 ? sum / wsum : NaN } });
            await new Promise((r) => setImmediate(r));
          }
          const b = Math.min(order.length, a + batch), m = b - a;
          gather(data, rowLen, order, a, b, xbuf);
          let sw = 0;
          for (let t = 0; t < m; t++) { ybuf[t] = yf[order[a + t]]; wbuf[t] = wf[order[a + t]]; sw += wbuf[t]; }
          if (sw <= 0) continue;
          const stepSeed = seed * 7919 + step++;
          const lossT = optimizer.minimize(() => {
            const xt = tf.tensor(xbuf.subarray(0, m * rowLen), [m, ...rowShape]);
            const logits = def.forward(tf, P, xt, true, stepSeed);
            let l = lossTensor(tf, logits, tf.tensor1d(ybuf.subarray(0, m)), tf.tensor1d(wbuf.subarray(0, m)), K);
            if (l2 > 0) for (let i = 0; i < def.params.length; i++) if (def.params[i].shape.length > 1) l = tf.add(l, tf.mul(l2, tf.sum(tf.square(vars[i]))));
            return l as import("@tensorflow/tfjs").Scalar;
          }, true, vars);
          const lv = lossT!.dataSync()[0];
          lossT!.dispose();
          if (!Number.isFinite(lv)) throw new CustlabError("E_DIVERGED", `${this.kind}: the training loss became ${lv} at epoch ${epoch}; lower learningRate or scale the features`);
          sum += lv * sw; wsum += sw;
        }
        const trainLoss = sum / wsum;
        history.loss.push(trainLoss);
        const metrics: Record<string, number> = { loss: trainLoss };
        let stop = false;
        if (es && valIdx.length) {
          const vl = evalLoss(valIdx);
          history.val_loss.push(vl);
          metrics.val_loss = vl;
          if (vl < best - 1e-4) { best = vl; bestEpoch = epoch; bad = 0; bestWeights = vars.map((v) => v.dataSync().slice() as Float32Array); }
          else if (++bad >= patience) stop = true;
        } else { bestEpoch = epoch; }
        fitOptions.onProgress?.({ stage: "epoch", done: epoch, total: epochs, message: `${this.kind} on ${info.name}`, metrics, final: stop || epoch === epochs });
        await new Promise((r) => setImmediate(r)); // let notebook displays refresh
        if (stop) break;
      }
      this.weights_ = bestWeights ?? vars.map((v) => v.dataSync().slice() as Float32Array);
    } finally {
      optimizer.dispose();
      for (const v of vars) v.dispose();
    }
    this.paramShapes_ = def.params.map((s) => s.shape);
    this.rowShape_ = rowShape;
    this.classes_ = classes;
    this.history_ = history;
    this.bestEpoch_ = bestEpoch;
    this.backend_ = info.name;
    return this;
  }

  /** Class probabilities, n × k row-major (columns in `classes_` order). Uses the current tfjs backend. */
  predictProba(X: Matrix | Sequences): Float64Array {
    if (!this.weights_ || !this.classes_) notFitted(this.kind);
    const tf = getTf();
    const { data, n, rowShape } = this.input(X);
    const want = this.rowShape_!;
    if (rowShape.length !== want.length || rowShape.some((v, i) => v !== want[i])) throw new CustlabError("E_SHAPE", `${this.kind}: rows have shape [${rowShape}] but the model was fitted on [${want}]`);
    const k = this.classes_.length, K = k === 2 ? 1 : k;
    const def = netDef(this.net(want, K));
    const rowLen = want.reduce((a, b) => a * b, 1);
    let out = new Float64Array(K === 1 ? n : n * k);
    tf.tidy(() => {
      const P: Record<string, Tensor> = {};
      def.params.forEach((s, i) => (P[s.name] = tf.tensor(this.weights_![i], s.shape)));
      for (let a = 0; a < n; a += 4096) {
        const b = Math.min(n, a + 4096);
        const probs = tf.tidy(() => {
          const chunk = data.subarray(a * rowLen, b * rowLen);
          const logits = def.forward(tf, P, tf.tensor(chunk instanceof Float32Array ? chunk : Float32Array.from(chunk), [b - a, ...want]), false, 0);
          return (K === 1 ? tf.sigmoid(logits.reshape([-1])) : tf.softmax(logits)).dataSync();
        });
        out.set(Float64Array.from(probs), K === 1 ? a : a * k);
      }
    });
    if (K === 1) out = binaryProba(out);
    return out;
  }

  predict(X: Matrix | Sequences): Float64Array {
    const p = this.predictProba(X);
    return probaToLabels(p, this.classes_!, p.length / this.classes_!.length);
  }

  /** `{ type, version, options, state }`. */
  toJSON() {
    return estimatorJSON(this.kind, 1, this.options, this.weights_ && {
      classes: this.classes_, rowShape: this.rowShape_, paramShapes: this.paramShapes_,
      weights: this.weights_.map((a) => Array.from(a)), history: this.history_, bestEpoch: this.bestEpoch_, backend: this.backend_,
    });
  }

  /** @internal */
  protected restore(s: any): this {
    if (s?.weights) {
      this.classes_ = s.classes; this.rowShape_ = s.rowShape; this.paramShapes_ = s.paramShapes;
      this.weights_ = s.weights.map((a: number[]) => Float32Array.from(a)); this.history_ = s.history; this.bestEpoch_ = s.bestEpoch; this.backend_ = s.backend;
    }
    return this;
  }
}

function matrixInput(X: Matrix | Sequences, what: string): { data: RowData; n: number; rowShape: number[] } {
  if ((X as Sequences).shape) {
    const s = X as Sequences;
    return { data: s.data, n: s.shape[0], rowShape: [s.shape[1] * s.shape[2]] };
  }
  checkMatrix(X as Matrix, undefined, what);
  const m = X as Matrix;
  for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i])) throw new CustlabError("E_NAN", `${what} has a missing or infinite value at row ${Math.floor(i / m.cols)}, column ${m.columns?.[i % m.cols] ?? i % m.cols}: impute first (Preprocessor)`);
  return { data: m.data, n: m.rows, rowShape: [m.cols] }; // no float32 copy of the whole matrix: batches convert as they are gathered
}

function seqInput(X: Matrix | Sequences, timesteps: number | undefined, what: string): { data: RowData; n: number; rowShape: number[] } {
  if ((X as Sequences).shape) {
    const s = X as Sequences;
    if (s.shape.length !== 3 || s.data.length !== s.shape[0] * s.shape[1] * s.shape[2]) throw new CustlabError("E_SHAPE", `${what}: sequences need shape [n, T, f] with data.length = n·T·f`);
    for (let i = 0; i < s.data.length; i++) if (!Number.isFinite(s.data[i])) throw new CustlabError("E_NAN", `${what}: sequence value ${i} is not finite`);
    return { data: s.data, n: s.shape[0], rowShape: [s.shape[1], s.shape[2]] };
  }
  const m = matrixInput(X, what);
  const T = timesteps ?? 1, p = m.rowShape[0];
  if (p % T !== 0) throw new CustlabError("E_OPTION", `option timesteps: ${T} does not divide the ${p} columns of X`);
  return { data: m.data, n: m.n, rowShape: [T, p / T] };
}

function dropout(tf: Tf, x: Tensor, rate: number, training: boolean, seed: number): Tensor {
  return training && rate > 0 ? tf.dropout(x, rate, undefined, seed) : x;
}

/** Options for {@link MLPClassifier}. */
export interface MLPClassifierOptions extends NeuralTrainOptions {
  /** Units per hidden layer. Default [64, 32]. */
  hiddenLayers?: number[];
  /** Hidden activation. Default "relu". */
  activation?: "relu" | "tanh" | "elu";
}

/**
 * Multi-layer perceptron classifier on tfjs (dense layers, ReLU by default,
 * sigmoid/softmax output), trained with Adam on mini-batches through
 * custlab's backend layer (`initBackend`: GPU, wasm or cpu). Async `fit`;
 * early stopping on a validation split; progress per epoch (and within long epochs).
 *
 * @example
 * await initBackend();
 * const mlp = await new MLPClassifier({ hiddenLayers: [64, 32], epochs: 30, seed: 1 }).fit(X, y, { onProgress });
 * mlp.predictProba(X);
 */
export class MLPClassifier extends NeuralClassifierBase<MLPClassifierOptions> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<MLPClassifierOptions> = {
    ...TRAIN_SPEC,
    hiddenLayers: { default: [64, 32], check: (v) => (v!.every((u) => Number.isInteger(u) && u >= 1) ? undefined : `units must be positive integers, got [${v}]`) },
    activation: { default: "relu", oneOf: ["relu", "tanh", "elu"] },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(MLPClassifier.spec);
  constructor(options: MLPClassifierOptions = {}) { super("MLPClassifier", MLPClassifier.spec, options); }
  protected get kind(): string { return "MLPClassifier"; }
  protected input(X: Matrix | Sequences) { return matrixInput(X, "MLPClassifier input"); }
  protected net(rowShape: number[], outDim: number): NetHandle {
    const sizes = [rowShape.reduce((a, b) => a * b, 1), ...(this.options.hiddenLayers ?? [64, 32]), outDim];
    const params: ParamSpec[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) params.push({ name: `W${l}`, shape: [sizes[l], sizes[l + 1]], init: "glorot" }, { name: `b${l}`, shape: [sizes[l + 1]], init: "zeros" });
    const act = this.options.activation ?? "relu", rate = this.options.dropout ?? 0;
    return netHandle({
      params, rowShape,
      forward: (tf, P, x, training, seed) => {
        let h = x.reshape([-1, sizes[0]]);
        for (let l = 0; l + 1 < sizes.length; l++) {
          h = tf.add(tf.matMul(h, P[`W${l}`]), P[`b${l}`]);
          if (l + 2 < sizes.length) {
            h = act === "relu" ? tf.relu(h) : act === "tanh" ? tf.tanh(h) : tf.elu(h);
            h = dropout(tf, h, rate, training, seed + l);
          }
        }
        return h;
      },
    });
  }
  /** Rebuild from {@link MLPClassifier.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): MLPClassifier {
    const { options, state } = readEstimatorJSON(o, "MLPClassifier", 1, true);
    return new MLPClassifier(options).restore(state);
  }
}

registerEstimator("MLPClassifier", MLPClassifier);

/** Options for {@link RecurrentClassifier}. */
export interface RecurrentClassifierOptions extends NeuralTrainOptions {
  /** Recurrent cell: "lstm" (default) or "gru". */
  cell?: "lstm" | "gru";
  /** Hidden units. Default 32. */
  units?: number;
  /** For Matrix input: time steps the p columns are split into (p = T × f, step-major). Default 1 (each row is a sequence of length 1). */
  timesteps?: number;
}

/**
 * LSTM or GRU classifier over sequences (e.g. per-customer monthly activity)
 * on tfjs: input `{data: Float32Array, shape: [n, T, f]}`; the last hidden
 * state feeds a dense sigmoid/softmax output. A flat Matrix is read as
 * sequences of `timesteps` steps (default 1 step of p features — then the
 * model is a gated one-layer network, not a sequence model).
 *
 * @example
 * const rnn = await new RecurrentClassifier({ cell: "gru", units: 32, epochs: 20 }).fit({ data, shape: [n, 12, 8] }, y);
 */
export class RecurrentClassifier extends NeuralClassifierBase<RecurrentClassifierOptions> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<RecurrentClassifierOptions> = {
    ...TRAIN_SPEC,
    cell: { default: "lstm", oneOf: ["lstm", "gru"] },
    units: { default: 32, integer: true, min: 1 },
    timesteps: { default: 1, integer: true, min: 1 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(RecurrentClassifier.spec);
  constructor(options: RecurrentClassifierOptions = {}) { super("RecurrentClassifier", RecurrentClassifier.spec, options); }
  protected get kind(): string { return "RecurrentClassifier"; }
  protected input(X: Matrix | Sequences) { return seqInput(X, this.options.timesteps, "RecurrentClassifier input"); }
  protected net(rowShape: number[], outDim: number): NetHandle {
    const [T, f] = rowShape, u = this.options.units ?? 32, cell = this.options.cell ?? "lstm";
    if (cell !== "lstm" && cell !== "gru") throw new CustlabError("E_OPTION", `option cell: "${cell}" is not lstm or gru`);
    const g = cell === "lstm" ? 4 : 3;
    const params: ParamSpec[] = [
      { name: "W", shape: [f, g * u], init: "glorot" }, { name: "U", shape: [u, g * u], init: "glorot" },
      { name: "b", shape: [g * u], init: cell === "lstm" ? "lstm_bias" : "zeros" },
      { name: "Wo", shape: [u, outDim], init: "glorot" }, { name: "bo", shape: [outDim], init: "zeros" },
    ];
    const rate = this.options.dropout ?? 0;
    return netHandle({
      params, rowShape,
      forward: (tf, P, x, training, seed) => {
        const b = x.shape[0];
        // input projections for all steps at once: [b·T, g·u] → [b, T, g·u]
        const xw = tf.add(tf.matMul(x.reshape([b * T, f]), P.W), P.b).reshape([b, T, g * u]);
        let h: Tensor = tf.zeros([b, u]);
        let c: Tensor = tf.zeros([b, u]);
        for (let t = 0; t < T; t++) {
          const xt = xw.slice([0, t, 0], [b, 1, g * u]).reshape([b, g * u]);
          if (cell === "lstm") {
            const z = tf.add(xt, tf.matMul(h, P.U));
            const [zi, zf, zc, zo] = tf.split(z, 4, 1);
            c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
            h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
          } else {
            const [xz, xr, xh] = tf.split(xt, 3, 1);
            const [Uz, Ur, Uh] = tf.split(P.U, 3, 1);
            const z = tf.sigmoid(tf.add(xz, tf.matMul(h, Uz)));
            const r = tf.sigmoid(tf.add(xr, tf.matMul(h, Ur)));
            const hh = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h), Uh)));
            h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
          }
        }
        return tf.add(tf.matMul(dropout(tf, h, rate, training, seed), P.Wo), P.bo);
      },
    });
  }
  /** Rebuild from {@link RecurrentClassifier.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): RecurrentClassifier {
    const { options, state } = readEstimatorJSON(o, "RecurrentClassifier", 1, true);
    return new RecurrentClassifier(options).restore(state);
  }
}

registerEstimator("RecurrentClassifier", RecurrentClassifier);

/** Options for {@link TransformerClassifier}. */
export interface TransformerClassifierOptions extends NeuralTrainOptions {
  /** Model width (embedding size). Default 32. */
  dModel?: number;
  /** Attention heads (must divide dModel). Default 4. */
  heads?: number;
  /** Encoder blocks. Default 1. */
  layers?: number;
  /** Feed-forward width. Default 64. */
  ffDim?: number;
  /** For Matrix input: time steps the columns are split into. Default 1. */
  timesteps?: number;
}

/**
 * A small Transformer encoder classifier on tfjs: a linear embedding of each
 * time step plus sinusoidal positional encoding, `layers` post-norm encoder
 * blocks (multi-head scaled dot-product self-attention + residual + layer
 * norm, ReLU feed-forward + residual + layer norm), mean pooling over time,
 * and a sigmoid/softmax output. Input `{data, shape: [n, T, f]}`.
 *
 * @example
 * const tr = await new TransformerClassifier({ dModel: 32, heads: 4, epochs: 30 }).fit(seqs, y);
 */
export class TransformerClassifier extends NeuralClassifierBase<TransformerClassifierOptions> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<TransformerClassifierOptions> = {
    ...TRAIN_SPEC,
    dModel: { default: 32, integer: true, min: 1 },
    heads: { default: 4, integer: true, min: 1 },
    layers: { default: 1, integer: true, min: 1 },
    ffDim: { default: 64, integer: true, min: 1 },
    timesteps: { default: 1, integer: true, min: 1 },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(TransformerClassifier.spec);
  constructor(options: TransformerClassifierOptions = {}) { super("TransformerClassifier", TransformerClassifier.spec, options); }
  protected get kind(): string { return "TransformerClassifier"; }
  protected input(X: Matrix | Sequences) { return seqInput(X, this.options.timesteps, "TransformerClassifier input"); }
  protected net(rowShape: number[], outDim: number): NetHandle {
    const [T, f] = rowShape;
    const d = this.options.dModel ?? 32, H = this.options.heads ?? 4, L = this.options.layers ?? 1, ff = this.options.ffDim ?? 64;
    if (d % H !== 0) throw new CustlabError("E_OPTION", `option heads: ${H} does not divide dModel ${d}`);
    const dk = d / H, rate = this.options.dropout ?? 0;
    const params: ParamSpec[] = [{ name: "We", shape: [f, d], init: "glorot" }, { name: "be", shape: [d], init: "zeros" }];
    for (let l = 0; l < L; l++) {
      for (const m of ["q", "k", "v", "o"]) params.push({ name: `W${m}${l}`, shape: [d, d], init: "glorot" }, { name: `b${m}${l}`, shape: [d], init: "zeros" });
      params.push({ name: `g1${l}`, shape: [d], init: "ones" }, { name: `n1${l}`, shape: [d], init: "zeros" });
      params.push({ name: `F1${l}`, shape: [d, ff], init: "glorot" }, { name: `c1${l}`, shape: [ff], init: "zeros" });
      params.push({ name: `F2${l}`, shape: [ff, d], init: "glorot" }, { name: `c2${l}`, shape: [d], init: "zeros" });
      params.push({ name: `g2${l}`, shape: [d], init: "ones" }, { name: `n2${l}`, shape: [d], init: "zeros" });
    }
    params.push({ name: "Wo", shape: [d, outDim], init: "glorot" }, { name: "bo", shape: [outDim], init: "zeros" });
    const pe = new Float32Array(T * d);
    for (let t = 0; t < T; t++) for (let i = 0; i < d; i++) {
      const ang = t / Math.pow(10000, (2 * Math.floor(i / 2)) / d);
      pe[t * d + i] = i % 2 === 0 ? Math.sin(ang) : Math.cos(ang);
    }
    const layerNorm = (tf: Tf, x: Tensor, g: Tensor, b: Tensor) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-6))), g), b);
    };
    return netHandle({
      params, rowShape,
      forward: (tf, P, x, training, seed) => {
        const b = x.shape[0];
        let h = tf.add(tf.add(tf.matMul(x.reshape([b * T, f]), P.We), P.be).reshape([b, T, d]), tf.tensor(pe, [1, T, d])); // [b,T,d]
        for (let l = 0; l < L; l++) {
          const h2 = h.reshape([b * T, d]);
          const proj = (m: string) => tf.add(tf.matMul(h2, P[`W${m}${l}`]), P[`b${m}${l}`]).reshape([b, T, H, dk]).transpose([0, 2, 1, 3]).reshape([b * H, T, dk]);
          const q = proj("q"), k = proj("k"), v = proj("v");
          const att = tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dk)), -1); // [b·H, T, T]
          const ctx = tf.matMul(att, v).reshape([b, H, T, dk]).transpose([0, 2, 1, 3]).reshape([b * T, d]);
          const a = dropout(tf, tf.add(tf.matMul(ctx, P[`Wo${l}`]), P[`bo${l}`]), rate, training, seed + 11 * l);
          const x1 = layerNorm(tf, tf.add(h2, a), P[`g1${l}`], P[`n1${l}`]);
          const f1 = tf.relu(tf.add(tf.matMul(x1, P[`F1${l}`]), P[`c1${l}`]));
          const f2 = dropout(tf, tf.add(tf.matMul(f1, P[`F2${l}`]), P[`c2${l}`]), rate, training, seed + 11 * l + 5);
          h = layerNorm(tf, tf.add(x1, f2), P[`g2${l}`], P[`n2${l}`]).reshape([b, T, d]);
        }
        const pooled = tf.mean(h, 1); // [b, d]
        return tf.add(tf.matMul(pooled, P.Wo), P.bo);
      },
    });
  }
  /** Rebuild from {@link TransformerClassifier.toJSON} output (also reads the pre-envelope JSON). */
  static fromJSON(o: unknown): TransformerClassifier {
    const { options, state } = readEstimatorJSON(o, "TransformerClassifier", 1, true);
    return new TransformerClassifier(options).restore(state);
  }
}

registerEstimator("TransformerClassifier", TransformerClassifier);
