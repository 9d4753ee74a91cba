import { Table } from "../table";
import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { positiveProba } from "../util/estimator";
import { monthlySequences, Preprocessor } from "../features";
import { calibratorFromJSON } from "../models";
import type { Calibrator } from "../models";
import { ModelRegistry } from "../registry";
import type { ModelArtifact } from "../registry";
import { churnFeatures, SEQUENCE_MODELS } from "./workflow";
import type { ChurnModel, ChurnScores, ChurnWorkflowOptions } from "./workflow";
import { isoDay } from "../util/numeric";


/** Training reference kept with a registered churn model, for drift monitoring: a sample of each numeric input column and of the training scores. */
export interface ChurnReference {
  /** Cutoff of the reference rows (the latest training cutoff). */
  cutoff: string;
  /** Up to 2,000 sorted values per numeric feature column (every row when fewer). */
  features: Record<string, number[]>;
  /** Sorted P(churn) of the same rows (calibrated when the model is). */
  scores: number[];
}

/** The churn-workflow state stored in a registry artifact (`artifact.extra.churn`). */
export interface ChurnArtifactState {
  workflow: "churn";
  version: 1;
  model: string;
  horizon_days: number;
  active_days?: number;
  features?: ChurnWorkflowOptions["features"];
  train_cutoffs: string[];
  /** Training options to refit the same specification (paired comparisons, retraining). */
  spec?: { trainCutoffs: number; everyDays: number; seed: number; calibration: string; featureSet?: "basic" | "extended"; modelOverrides?: Record<string, unknown> };
  /** Feature-table columns the preprocessing reads (numeric and categorical). */
  input_columns: string[];
  calibration?: { method: string; calibrator?: object; cv_logloss: Record<string, number>; ece_oof_raw: number; ece_oof_calibrated: number };
  reference?: ChurnReference;
}

function sortedSample(v: ArrayLike<number>, max = 2000): number[] {
  const n = v.length, step = n > max ? n / max : 1, out: number[] = [];
  for (let x = 0; x < n && out.length < max; x += step) { const y = v[Math.floor(x)]; if (Number.isFinite(y)) out.push(y); }
  return out.sort((a, b) => a - b);
}

/**
 * The JSON state to store with a churn model (`ModelRegistry.save(..., { extra: { churn: state } })`):
 * options, training cutoffs, input columns, calibrator and a training reference for drift monitoring.
 * @example
 * const cm = await fitChurnModel(tx, cutoff, { calibration: "auto" });
 * reg.save("churn-90d", { model: cm.model, preprocessing: cm.preprocessor, featureNames: cm.featureNames, extra: { churn: churnArtifactState(cm) } });
 */
export function churnArtifactState(cm: ChurnModel): ChurnArtifactState {
  const o = cm.options;
  const pre = cm.preprocessor;
  const inputColumns = pre?.types_ ? pre.types_.filter((c) => c.role === "numeric" || c.role === "categorical").map((c) => c.name) : [];
  // reference: the rows of the latest training cutoff
  const t = cm.trainTable, cc = t.num("cutoff"), last = cm.trainCutoffs[cm.trainCutoffs.length - 1];
  const ref = t.filter((i) => cc[i] === last);
  let reference: ChurnReference | undefined;
  if (pre && ref.numRows) {
    const feats: Record<string, number[]> = {};
    for (const c of pre.numericColumns_) feats[c] = sortedSample(ref.num(c));
    const raw = positiveProba(cm.model, pre.transform(ref));
    const p = cm.calibration?.calibrator ? cm.calibration.calibrator.predict(raw) : raw;
    reference = { cutoff: isoDay(last), features: feats, scores: sortedSample(p) };
  }
  return {
    workflow: "churn", version: 1, model: o.model, horizon_days: o.horizonDays, ...(o.activeDays !== undefined ? { active_days: o.activeDays } : {}),
    ...(o.features ? { features: o.features } : {}), train_cutoffs: cm.trainCutoffs.map(isoDay), input_columns: inputColumns,
    spec: { trainCutoffs: o.trainCutoffs, everyDays: o.everyDays, seed: o.seed, calibration: o.calibration, featureSet: o.featureSet, ...(o.modelOverrides ? { modelOverrides: o.modelOverrides } : {}) },
    ...(cm.calibration ? { calibration: { method: cm.calibration.method, ...(cm.calibration.calibrator ? { calibrator: cm.calibration.calibrator.toJSON() } : {}), cv_logloss: cm.calibration.cvLogLoss, ece_oof_raw: cm.calibration.ece_oof_raw, ece_oof_calibrated: cm.calibration.ece_oof_calibrated } } : {}),
    ...(reference ? { reference } : {}),
  };
}

/** A churn model loaded from a registry: scores feature tables like {@link ChurnModel}. */
export interface LoadedChurnModel {
  /** The artifact (name, version, metrics, tags...). */
  artifact: ModelArtifact;
  /** The stored workflow state. */
  state: ChurnArtifactState;
  /** The revived estimator. */
  model: any;
  /** The revived preprocessing (undefined for sequence models). */
  preprocessor?: Preprocessor;
  /** The calibrator, when one was stored. */
  calibrator?: Calibrator;
  /** Customer features at `cutoff` with the stored options (eligibility, windows). */
  features(tx: Table, cutoff: number): Table;
  /** Score a feature table at `cutoff`; a table missing the model's input columns is a CustlabError naming them. */
  scoreFeatures(features: Table, tx: Table, cutoff: number): ChurnScores;
}

/**
 * Parse `registry[@version|@champion|@latest]` (a model name may follow with `:name`, else the registry's only name).
 * @example
 * parseModelSpec("models@3:churn"); // { root: "models", version: 3, name: "churn" }
 * parseModelSpec("models");         // { root: "models", version: "champion", name: undefined }
 */
export function parseModelSpec(spec: string): { root: string; version: number | "champion" | "latest"; name?: string } {
  const m = /^(.*?)(?:@(champion|latest|\d+))?(?::([A-Za-z0-9._-]+))?$/.exec(spec);
  if (!m || !m[1]) throw new CustlabError("E_USAGE", `--model "${spec}": expected <registry>[@<version>|@champion|@latest][:<name>]`);
  return { root: m[1], version: m[2] === undefined ? "champion" : m[2] === "champion" || m[2] === "latest" ? m[2] : Number(m[2]), name: m[3] };
}

/**
 * The one model name in a registry (or the given one); a clear error when there are none or several.
 * @example
 * const name = registryModelName(new ModelRegistry("models")); // e.g. "churn"
 */
export function registryModelName(reg: ModelRegistry, name?: string): string {
  const names = reg.names();
  if (name) { if (!names.includes(name)) throw new CustlabError("E_NOT_FOUND", `registry ${reg.root} has no model named "${name}" (has: ${names.join(", ") || "none"})`); return name; }
  if (!names.length) throw new CustlabError("E_NOT_FOUND", `registry ${reg.root} holds no model (train one with custlab churn … --registry ${reg.root})`);
  if (names.length > 1) throw new CustlabError("E_USAGE", `registry ${reg.root} holds several models (${names.join(", ")}): name one with --name or <registry>@<version>:<name>`);
  return names[0];
}

/**
 * Load a churn model registered by the churn workflow (`custlab churn … --registry`).
 * @example
 * const lm = loadChurnModel("models@champion");
 * const s = lm.scoreFeatures(lm.features(tx, cutoff), tx, cutoff);
 */
export function loadChurnModel(spec: string, name?: string): LoadedChurnModel {
  const ps = parseModelSpec(spec);
  const reg = new ModelRegistry(ps.root);
  const nm = registryModelName(reg, name ?? ps.name);
  const loaded = reg.load(nm, { version: ps.version });
  const art = loaded.artifact;
  const state = (art as ModelArtifact & { extra?: { churn?: ChurnArtifactState } }).extra?.churn;
  if (!state || state.workflow !== "churn") throw new CustlabError("E_MODEL_TYPE", `model "${nm}" v${art.version} in ${ps.root} was not saved by the churn workflow (no churn state): retrain it with custlab churn … --registry`);
  const pre = loaded.preprocessing instanceof Preprocessor ? loaded.preprocessing : undefined;
  const calibrator = state.calibration?.calibrator ? calibratorFromJSON(state.calibration.calibrator) : undefined;
  const sequence = SEQUENCE_MODELS.includes(state.model);
  const wf: ChurnWorkflowOptions = { horizonDays: state.horizon_days, activeDays: state.active_days, features: state.features, featureSet: state.spec?.featureSet ?? "basic" };
  const model = loaded.model as any;
  return {
    artifact: art, state, model, preprocessor: pre, calibrator,
    features: (tx, cutoff) => churnFeatures(tx, cutoff, wf),
    scoreFeatures: (feats, tx, cutoff) => {
      let input: Matrix | { data: Float32Array; shape: [number, number, number] };
      if (sequence) {
        const s = monthlySequences(tx, { cutoff, months: 12, customers: feats.str("customer_id") });
        input = { data: s.data, shape: s.shape };
      } else {
        if (!pre) throw new CustlabError("E_MODEL_TYPE", `model "${nm}" v${art.version} has no stored preprocessing`);
        const missing = state.input_columns.filter((c) => !feats.has(c));
        if (missing.length) throw new CustlabError("E_SCHEMA", `model "${nm}" v${art.version} needs feature columns the scoring data lacks: ${missing.join(", ")} (the model was trained on ${state.input_columns.length} columns: ${state.input_columns.join(", ")})`);
        for (const c of pre.numericColumns_) if (feats.kind(c) === "string") throw new CustlabError("E_SCHEMA", `model "${nm}" v${art.version}: feature column ${c} must be numeric in the scoring data, but it is text`);
        const X = pre.transform(feats);
        const names = X.columns ?? [];
        const want = art.featureSchema.names;
        if (want.length && (names.length !== want.length || names.some((n, i) => n !== want[i]))) {
          const have = new Set(names), need = new Set(want);
          throw new CustlabError("E_SCHEMA", `model "${nm}" v${art.version}: the scoring features do not match its schema (missing: ${want.filter((n) => !have.has(n)).join(", ") || "none"}; unexpected: ${names.filter((n) => !need.has(n)).join(", ") || "none"})`);
        }
        input = X;
      }
      const raw = positiveProba(model, input);
      return { cutoff, features: feats, customers: feats.str("customer_id"), proba: calibrator ? calibrator.predict(raw) : raw, raw, input };
    },
  };
}

/**
 * The workflow options that reproduce a registered churn model's training (model, horizon, eligibility, features, cutoffs, seed, calibration).
 * @example const wf = churnSpecFromState(loadChurnModel("models").state); await fitChurnModel(tx, cutoff, wf);
 */
export function churnSpecFromState(state: ChurnArtifactState): ChurnWorkflowOptions {
  return {
    model: state.model, horizonDays: state.horizon_days, activeDays: state.active_days, features: state.features,
    trainCutoffs: state.spec?.trainCutoffs ?? 4, everyDays: state.spec?.everyDays ?? 30, seed: state.spec?.seed ?? 42,
    calibration: (state.spec?.calibration ?? "none") as ChurnWorkflowOptions["calibration"], featureSet: state.spec?.featureSet ?? "basic", modelOverrides: state.spec?.modelOverrides,
  };
}

/** Options of {@link registerChurnModel}. */
export interface RegisterChurnOptions {
  /** Model name in the registry (default `churn-<H>d`). */
  name?: string;
  /** Make it the champion (default: only when the name has no champion yet). */
  promote?: boolean;
  /** Out-of-time metrics to store (e.g. the AUC at the scoring cutoff; monitoring uses `auc` as its reference). */
  metrics?: Record<string, number>;
  /** Training backend in words (default "js (no tfjs)"). */
  backend?: string;
  /** Extra tags (the scoring cutoff, …). */
  tags?: Record<string, string>;
}

/**
 * Save a trained churn model as a new version in a model registry with
 * everything `custlab score`, `monitor`, `stream` and `models promote` need
 * (model, preprocessing, feature schema, calibrator, training reference,
 * training specification). Used by `custlab churn --registry`, the monitor's
 * retraining and the notebooks.
 * @example
 * const run = await churnAtCutoff(tx, Date.parse("2011-09-09"), { calibration: "auto" });
 * const v = registerChurnModel("models", run.churnModel, { metrics: { auc: run.metrics!.auc } }).version;
 */
export function registerChurnModel(root: string, cm: ChurnModel, options: RegisterChurnOptions = {}): { name: string; version: number } {
  const reg = new ModelRegistry(root);
  const o = cm.options;
  const name = options.name ?? `churn-${o.horizonDays}d`;
  const promote = options.promote ?? (reg.names().includes(name) ? reg.champion(name) === null : true);
  const saved = reg.save(name, {
    promote, model: cm.model, featureNames: cm.featureNames, preprocessing: cm.preprocessor, metrics: options.metrics ?? {}, data: cm.trainTable,
    backend: options.backend ?? "js (no tfjs)", seed: o.seed, extra: { churn: churnArtifactState(cm) },
    tags: {
      horizon_days: String(o.horizonDays), model: o.model, train_cutoffs: cm.trainCutoffs.map(isoDay).join(","),
      ...(o.activeDays !== undefined ? { active_days: String(o.activeDays) } : {}), ...(options.tags ?? {}),
    },
  });
  return { name, version: saved.version };
}
