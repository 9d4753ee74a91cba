import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import * as os from "os";
import { CustlabError } from "../util/errors";
import { writeFileAtomic, pidAlive } from "../util/output";
import type { Matrix } from "../util/matrix";
import { Table } from "../table";
import { estimatorClass, estimatorFromJSON } from "../util/estimator";
// every estimator family registers its JSON tags with the one estimator registry when loaded
import "../features";
import "../models";
import "../segment";
import "../text";
import "../clv";
import "../eval";
import "../recommend";

/** A model that can be stored: it serialises itself with `toJSON()`. */
export interface SerializableModel {
  toJSON(): object;
}

/** Everything stored for one model version (`artifact.json`). */
export interface ModelArtifact {
  /** Registry name, e.g. "churn-90d". */
  name: string;
  /** 1, 2, 3... */
  version: number;
  /** ISO time of the save. */
  createdAt: string;
  /** The model JSON's `type` tag (revives it through the estimator registry). */
  modelType: string;
  /** `model.toJSON()`. */
  model: object;
  /** The features the model was trained on, in order. */
  featureSchema: { names: string[] };
  /** Preprocessing state (`Preprocessor.toJSON()` or any JSON), if any. */
  preprocessing?: object;
  /** Evaluation metrics (e.g. cross-validated AUC). */
  metrics: Record<string, number>;
  /** Fingerprint of the training data (see {@link dataFingerprint}). */
  dataFingerprint?: string;
  /** Training backend (e.g. "wasm", "cpu", "js" for non-tfjs models). */
  backend?: string;
  /** Seed used for training. */
  seed?: number;
  /** Free-form notes / tags. */
  tags?: Record<string, string>;
  /** Workflow state stored with the model (e.g. the churn workflow's calibrator, options and training reference). */
  extra?: Record<string, unknown>;
}

/** One line of a registry's index. */
export interface VersionInfo {
  version: number;
  createdAt: string;
  modelType: string;
  metrics: Record<string, number>;
  dataFingerprint?: string;
}

interface IndexFile {
  name: string;
  versions: VersionInfo[];
  /** Current champion version, or null. */
  champion: number | null;
  /** Champions in promotion order (for roll back). */
  history: number[];
}

/** What {@link ModelRegistry.save} needs. */
export interface SaveOptions {
  model: SerializableModel;
  /** Feature names in model-input order (default: none, i.e. unchecked). */
  featureNames?: string[];
  /** A fitted Preprocessor or any object with toJSON(). */
  preprocessing?: { toJSON(): object } | object;
  metrics?: Record<string, number>;
  /** Training data to fingerprint (or pass `dataFingerprint`). */
  data?: Table | Matrix;
  dataFingerprint?: string;
  backend?: string;
  seed?: number;
  tags?: Record<string, string>;
  /** Workflow state stored with the model (JSON-serialisable; typed arrays become arrays). */
  extra?: Record<string, unknown>;
  /** Make this version the champion right away (default false). */
  promote?: boolean;
}

/** Options for {@link ModelRegistry.load}. */
export interface LoadOptions {
  /** A version number, "champion" (default when one is set) or "latest". */
  version?: number | "champion" | "latest";
  /** Feature names the caller will feed; a mismatch with the stored schema is a CustlabError (E_SCHEMA). */
  expectFeatures?: string[];
  /** Rebuild the model from its JSON (default: the estimator registry, `estimatorFromJSON`). */
  revive?: (json: any, modelType: string) => unknown;
}

/** A loaded version. */
export interface LoadedModel<M = any> {
  artifact: ModelArtifact;
  /** The revived model. */
  model: M;
  /** The revived preprocessing estimator (e.g. a `Preprocessor`) when its JSON carries a registered tag, else the raw JSON (or undefined). */
  preprocessing?: object;
}

/**
 * A stable fingerprint of a data set: SHA-256 over column names, kinds and
 * values (typed-array bytes; text joined with NUL). Same data → same string.
 * @example dataFingerprint(featureTable); // "sha256:3f1c…"
 */
export function dataFingerprint(data: Table | Matrix): string {
  const h = crypto.createHash("sha256");
  if (data instanceof Table) {
    h.update(`rows:${data.numRows}`);
    for (const name of data.columnNames()) {
      h.update(`\u0000col:${name}:${data.kind(name)}\u0000`);
      const c = data.get(name);
      if (Array.isArray(c)) h.update(c.join("\u0000"));
      else h.update(Buffer.from(Float64Array.from(c as ArrayLike<number>).buffer));
    }
  } else {
    h.update(`matrix:${data.rows}x${data.cols}:${(data.columns ?? []).join("\u0000")}`);
    h.update(Buffer.from(data.data.buffer, data.data.byteOffset, data.data.byteLength));
  }
  return "sha256:" + h.digest("hex");
}

/** Internal hooks used by tests to simulate a crash mid-save. @internal */
export const registryFaults: { beforeIndexWrite?: () => void; beforeVersionRename?: () => void } = {};

/** How long a registry waits for another writer's lock before giving up (ms). */
const LOCK_WAIT_MS = 60_000;
/** A lock older than this is stale even if its process id is alive (a reused pid) (ms). */
const LOCK_STALE_MS = 10 * 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface LockInfo { pid: number; host: string; time: number }

function readLock(file: string): LockInfo | null {
  try { const j = JSON.parse(fs.readFileSync(file, "utf8")); return typeof j.pid === "number" ? j : { pid: 0, host: "", time: 0 }; } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? null : { pid: 0, host: "", time: 0 }; // half-written: judged by its age below
  }
}

function lockIsStale(file: string, l: LockInfo): boolean {
  let age: number;
  try { age = Date.now() - fs.statSync(file).mtimeMs; } catch { return false; }
  if (age > LOCK_STALE_MS) return true;
  if (l.pid > 0 && l.host === os.hostname()) return !pidAlive(l.pid);
  return l.pid === 0 && age > 5_000; // unreadable and not fresh: its writer died while writing it
}

/**
 * Take `<dir>/.lock` (exclusive create; the file holds the PID, host and time),
 * run `fn`, release. A stale lock (its process is gone, or older than 10 minutes)
 * is broken under a second lock so that two waiters never both break it.
 */
function withLock<T>(dir: string, fn: () => T): T {
  const file = path.join(dir, ".lock");
  const deadline = Date.now() + LOCK_WAIT_MS;
  let wait = 2;
  for (;;) {
    try {
      const fd = fs.openSync(file, "wx");
      try { fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now() })); } finally { fs.closeSync(fd); }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" && !fs.existsSync(dir)) return fn(); // no such model: nothing to protect (fn reports it)
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new CustlabError("E_WRITE", `registry: cannot create the lock file: ${(e as Error).message}`, { file });
    }
    const held = readLock(file);
    if (held && lockIsStale(file, held)) breakStaleLock(file, held);
    else if (Date.now() > deadline) {
      throw new CustlabError("E_LOCKED", `registry: locked by process ${held?.pid ?? "?"} since ${held ? new Date(held.time).toISOString() : "?"}; try again when it has finished (or remove ${file} if that process is gone)`, { file });
    } else { sleepSync(wait); wait = Math.min(50, wait * 2); }
  }
  try { return fn(); } finally { try { fs.unlinkSync(file); } catch { /* already gone */ } }
}

function breakStaleLock(lock: string, seen: LockInfo): void {
  const guard = lock + ".break";
  try { fs.closeSync(fs.openSync(guard, "wx")); } catch {
    // Someone else is breaking it; a guard left by a killed breaker is removed after 10 s.
    try { if (Date.now() - fs.statSync(guard).mtimeMs > 10_000) fs.unlinkSync(guard); } catch { /* gone */ }
    return;
  }
  try {
    const now = readLock(lock);
    if (now && now.pid === seen.pid && now.time === seen.time && lockIsStale(lock, now)) fs.unlinkSync(lock);
  } catch { /* gone already */ } finally { try { fs.unlinkSync(guard); } catch { /* gone */ } }
}

/** Remove temporary folders and files of saves killed part-way (their process is gone). */
function sweepTemporaries(dir: string): void {
  let entries: string[];
  try { entries = fs.readdirSync(dir); } catch { return; }
  for (const e of entries) {
    const m = /^\.tmp-v\d+-(\d+)-[0-9a-f]+$/.exec(e) ?? /^\.index\.json\.tmp-(\d+)-[0-9a-f]+$/.exec(e) ?? /^index\.json\.tmp-(\d+)-[0-9a-f]+$/.exec(e);
    if (!m || (Number(m[1]) !== process.pid && pidAlive(Number(m[1])))) continue;
    try { fs.rmSync(path.join(dir, e), { recursive: true, force: true }); } catch { /* next time */ }
  }
}

function defaultRevive(json: any, modelType: string): unknown {
  if (json && typeof json === "object" && typeof json.type === "string" && estimatorClass(json.type)) return estimatorFromJSON(json);
  // artifacts whose model JSON carries no registered tag: revive by the recorded type
  const cls = estimatorClass(modelType);
  if (!cls) throw new CustlabError("E_MODEL_TYPE", `registry: cannot revive model type "${modelType}" (no estimator registered under that tag); pass option revive`);
  return cls.fromJSON(json);
}

/**
 * A file-system model registry: versioned artifacts under
 * `<root>/<name>/v<version>/artifact.json` plus `<root>/<name>/index.json`
 * (versions, champion, promotion history).
 *
 * Saves are atomic: the artifact is written to a temporary folder and renamed
 * into place, then the index is replaced by write-temp-and-rename. Writers
 * (save, promote, rollback) hold `<root>/<name>/.lock` (PID, host, time), so
 * concurrent processes never lose a version; a lock whose process is gone is
 * recovered, and temporary folders of killed saves are removed at the next open. A crash at
 * any point leaves the previous index (and every earlier version) intact; an
 * orphaned version folder is never listed and its number is not reused.
 *
 * @example
 * const reg = new ModelRegistry("models");
 * const v = reg.save("churn-90d", { model, featureNames: X.columns, preprocessing: pre, metrics: { auc: 0.81 }, data: X, seed: 42, backend: "js" });
 * reg.promote("churn-90d", v.version);
 * const { model: loaded } = reg.load("churn-90d", { expectFeatures: X.columns });
 */
export class ModelRegistry {
  /** Root folder. */
  readonly root: string;
  /** Opens (does not create) the registry at `root`; temporary files left by saves killed part-way are removed. */
  constructor(root: string) {
    this.root = root;
    let names: string[] = [];
    try { names = fs.readdirSync(root); } catch { /* not created yet */ }
    for (const n of names) sweepTemporaries(path.join(root, n));
  }

  private dir(name: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new CustlabError("E_OPTION", `registry: model name "${name}" may only use letters, digits, ".", "_" and "-"`);
    return path.join(this.root, name);
  }

  private readIndex(name: string): IndexFile {
    const f = path.join(this.dir(name), "index.json");
    if (!fs.existsSync(f)) return { name, versions: [], champion: null, history: [] };
    try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch (e) {
      throw new CustlabError("E_REGISTRY", `registry index is unreadable: ${(e as Error).message}`, { file: f });
    }
  }

  private writeIndex(name: string, idx: IndexFile): void {
    registryFaults.beforeIndexWrite?.();
    writeFileAtomic(path.join(this.dir(name), "index.json"), JSON.stringify(idx, null, 2), "the registry index");
  }

  /** Save a new version; returns its info. */
  save(name: string, o: SaveOptions): VersionInfo & { path: string } {
    const dir = this.dir(name);
    try { fs.mkdirSync(dir, { recursive: true }); } catch (e) { throw new CustlabError("E_WRITE", `registry: cannot create the model folder: ${(e as Error).message}`, { file: dir }); }
    return withLock(dir, () => this.saveLocked(name, dir, o));
  }

  private saveLocked(name: string, dir: string, o: SaveOptions): VersionInfo & { path: string } {
    const idx = this.readIndex(name);
    let next = idx.versions.reduce((m, v) => Math.max(m, v.version), 0) + 1;
    for (const e of fs.readdirSync(dir)) { const m = /^v(\d+)$/.exec(e); if (m) next = Math.max(next, Number(m[1]) + 1); }
    const modelJSON = o.model.toJSON();
    const pre = o.preprocessing && typeof (o.preprocessing as any).toJSON === "function" ? (o.preprocessing as any).toJSON() : o.preprocessing;
    const art: ModelArtifact = {
      name, version: next, createdAt: new Date().toISOString(),
      modelType: typeof (modelJSON as { type?: unknown }).type === "string" ? (modelJSON as { type: string }).type : "Object",
      model: modelJSON,
      featureSchema: { names: o.featureNames ? [...o.featureNames] : [] },
      preprocessing: pre,
      metrics: { ...(o.metrics ?? {}) },
      dataFingerprint: o.dataFingerprint ?? (o.data ? dataFingerprint(o.data) : undefined),
      backend: o.backend, seed: o.seed, tags: o.tags,
      ...(o.extra ? { extra: o.extra } : {}),
    };
    const text = JSON.stringify(art, (_k, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v));
    const tmp = path.join(dir, `.tmp-v${next}-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
    fs.mkdirSync(tmp);
    try {
      writeFileAtomic(path.join(tmp, "artifact.json"), text, "the model artifact");
      registryFaults.beforeVersionRename?.();
      fs.renameSync(tmp, path.join(dir, `v${next}`));
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    const info: VersionInfo = { version: next, createdAt: art.createdAt, modelType: art.modelType, metrics: art.metrics, dataFingerprint: art.dataFingerprint };
    const newIdx: IndexFile = { ...idx, versions: [...idx.versions, info] };
    if (o.promote) { newIdx.champion = next; newIdx.history = [...idx.history, next]; }
    this.writeIndex(name, newIdx);
    return { ...info, path: path.join(dir, `v${next}`) };
  }

  /** Registered model names. */
  names(): string[] {
    if (!fs.existsSync(this.root)) return [];
    return fs.readdirSync(this.root).filter((d) => fs.existsSync(path.join(this.root, d, "index.json"))).sort();
  }

  /** Versions of one model (or all) as a Table: name, version, created, model_type, champion (0/1), one column per metric. */
  list(name?: string): Table {
    const names = name ? [name] : this.names();
    const rows: Record<string, unknown>[] = [];
    const metricNames = new Set<string>();
    for (const n of names) {
      const idx = this.readIndex(n);
      for (const v of idx.versions) {
        Object.keys(v.metrics).forEach((m) => metricNames.add(m));
        rows.push({ name: n, version: v.version, created: v.createdAt, model_type: v.modelType, champion: idx.champion === v.version ? 1 : 0, ...v.metrics });
      }
    }
    const cols = ["name", "version", "created", "model_type", "champion", ...[...metricNames].sort()];
    if (!rows.length) return new Table({ name: [], version: new Float64Array(0), created: [], model_type: [], champion: new Float64Array(0) });
    return Table.fromRows(rows, cols);
  }

  /** The current champion version (null when none was promoted). */
  champion(name: string): number | null {
    return this.readIndex(name).champion;
  }

  /** Read an artifact without reviving the model. */
  artifact(name: string, version: number | "champion" | "latest" = "champion"): ModelArtifact {
    const idx = this.readIndex(name);
    if (!idx.versions.length) throw new CustlabError("E_NOT_FOUND", `registry: no model named "${name}" in ${this.root}`);
    let v: number;
    if (version === "latest" || (version === "champion" && idx.champion === null)) v = idx.versions[idx.versions.length - 1].version;
    else if (version === "champion") v = idx.champion!;
    else v = version;
    if (!idx.versions.some((x) => x.version === v)) throw new CustlabError("E_NOT_FOUND", `registry: "${name}" has no version ${v} (versions: ${idx.versions.map((x) => x.version).join(", ")})`);
    const f = path.join(this.dir(name), `v${v}`, "artifact.json");
    return JSON.parse(fs.readFileSync(f, "utf8"));
  }

  /**
   * Load a version (default: the champion, else the latest), checking the
   * feature schema when `expectFeatures` is given.
   */
  load<M = any>(name: string, options: LoadOptions = {}): LoadedModel<M> {
    const art = this.artifact(name, options.version ?? "champion");
    if (options.expectFeatures) checkFeatureSchema(art, options.expectFeatures);
    const model = (options.revive ?? defaultRevive)(art.model, art.modelType) as M;
    let pre: unknown = art.preprocessing;
    if (pre && typeof (pre as any).type === "string" && estimatorClass((pre as any).type)) pre = estimatorFromJSON(pre);
    return { artifact: art, model, preprocessing: pre as object | undefined };
  }

  /** Metrics of several versions side by side (default: all), one row per version. */
  compare(name: string, versions?: number[]): Table {
    const t = this.list(name);
    if (!versions) return t;
    const set = new Set(versions);
    return t.filter((i) => set.has(t.num("version")[i]));
  }

  /** Make a version the champion (recorded in the promotion history). */
  promote(name: string, version: number): void {
    withLock(this.dir(name), () => this.promoteLocked(name, version));
  }

  private promoteLocked(name: string, version: number): void {
    const idx = this.readIndex(name);
    if (!idx.versions.some((v) => v.version === version)) throw new CustlabError("E_NOT_FOUND", `registry: "${name}" has no version ${version}`);
    this.writeIndex(name, { ...idx, champion: version, history: [...idx.history, version] });
  }

  /**
   * Delete a version (its folder and index entry). The champion cannot be
   * deleted (promote or roll back first); its number is never reused.
   */
  delete(name: string, version: number): void {
    withLock(this.dir(name), () => {
      const idx = this.readIndex(name);
      if (!idx.versions.some((v) => v.version === version)) throw new CustlabError("E_NOT_FOUND", `registry: "${name}" has no version ${version} (versions: ${idx.versions.map((v) => v.version).join(", ") || "none"})`);
      if (idx.champion === version) throw new CustlabError("E_REGISTRY", `registry: version ${version} of "${name}" is the champion; promote another version (or roll back) before deleting it`);
      this.writeIndex(name, { ...idx, versions: idx.versions.filter((v) => v.version !== version), history: idx.history.filter((h) => h !== version) });
      fs.rmSync(path.join(this.dir(name), `v${version}`), { recursive: true, force: true });
    });
  }

  /** Append a decision (promotion, refusal, retraining, monitoring verdict) to the model's log `decisions.jsonl`, with a timestamp. */
  logDecision(name: string, entry: Record<string, unknown>): void {
    const dir = this.dir(name);
    fs.mkdirSync(dir, { recursive: true });
    withLock(dir, () => fs.appendFileSync(path.join(dir, "decisions.jsonl"), JSON.stringify({ at: new Date().toISOString(), ...entry }) + "\n"));
  }

  /** The decision log of a model, oldest first. */
  decisions(name: string): Record<string, unknown>[] {
    const f = path.join(this.dir(name), "decisions.jsonl");
    if (!fs.existsSync(f)) return [];
    return fs.readFileSync(f, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  }

  /** Restore the previous champion; returns it (null when there was none). */
  rollback(name: string): number | null {
    return withLock(this.dir(name), () => this.rollbackLocked(name));
  }

  private rollbackLocked(name: string): number | null {
    const idx = this.readIndex(name);
    if (idx.history.length < 2) throw new CustlabError("E_REGISTRY", `registry: "${name}" has no earlier champion to roll back to (history: ${idx.history.join(", ") || "empty"})`);
    const history = idx.history.slice(0, -1);
    const champion = history[history.length - 1];
    this.writeIndex(name, { ...idx, champion, history });
    return champion;
  }
}

/**
 * Throw a clear CustlabError (E_SCHEMA) when `names` differ from the
 * artifact's feature schema: which features are missing, unexpected or out of order.
 * @example checkFeatureSchema(reg.artifact("churn-90d"), X.columns!); // throws E_SCHEMA on a mismatch
 */
export function checkFeatureSchema(art: ModelArtifact, names: string[]): void {
  const want = art.featureSchema.names;
  if (!want.length) return;
  const have = new Set(names), need = new Set(want);
  const missing = want.filter((n) => !have.has(n)), extra = names.filter((n) => !need.has(n));
  if (missing.length || extra.length) {
    throw new CustlabError("E_SCHEMA", `model "${art.name}" v${art.version} was trained on ${want.length} features; the data ${missing.length ? `lacks ${missing.slice(0, 8).join(", ")}${missing.length > 8 ? ` (+${missing.length - 8} more)` : ""}` : ""}${missing.length && extra.length ? " and " : ""}${extra.length ? `has unexpected ${extra.slice(0, 8).join(", ")}${extra.length > 8 ? ` (+${extra.length - 8} more)` : ""}` : ""}`);
  }
  for (let i = 0; i < want.length; i++) {
    if (want[i] !== names[i]) throw new CustlabError("E_SCHEMA", `model "${art.name}" v${art.version}: feature ${i + 1} should be "${want[i]}" but is "${names[i]}" (same features, different order)`);
  }
}
