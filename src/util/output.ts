/**
 * Outputs that never destroy anything: every file custlab writes goes through
 * here. Files are written to a temporary file in the same folder, flushed to
 * disk and renamed over the target (a reader sees the whole old file or the
 * whole new one); planned outputs are checked before any input is read (an
 * output is never one of the command's inputs, and its folder must be
 * writable); report folders are built beside the target and swapped in.
 * @module
 */
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import { CustlabError } from "./errors";

const MANIFEST = "custlab-manifest.json";

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === "EACCES") return "permission denied";
  if (err && err.code === "EROFS") return "read-only file system";
  if (err && err.code === "ENOSPC") return "no space left on the device";
  if (err && err.code === "ENOTDIR") return "a part of the path is a file, not a folder";
  if (err && err.code === "EISDIR") return "it is a folder";
  return err?.message ?? String(e);
}

function writeError(file: string, what: string, e: unknown): CustlabError {
  return new CustlabError("E_WRITE", `cannot write ${what}: ${errText(e)}`, { file });
}

function tmpName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
}

function fsyncDir(dir: string): void {
  // Best effort: makes the rename durable; some file systems refuse fsync on folders.
  try { const fd = fs.openSync(dir, "r"); try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); } } catch { /* ignore */ }
}

/**
 * Write `data` to `file` atomically: a temporary file in the same folder,
 * fsync, rename over `file`. A crash at any moment leaves the old file or the
 * new one, never a part. The parent folder is created when missing. Failure is
 * a one-line CustlabError (E_WRITE) naming the file; the temporary file is removed.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "custlab";
 * writeFileAtomic("out/summary.json", JSON.stringify({ ok: true }) + "\n");
 * ```
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, what = "the file"): void {
  const w = new AtomicFileWriter(file, what);
  try { w.write(data); w.commit(); } catch (e) { w.abort(); throw e instanceof CustlabError ? e : writeError(file, what, e); }
}

/**
 * A file written piece by piece and put in place atomically by {@link AtomicFileWriter.commit}
 * (temporary file in the same folder, fsync, rename). {@link AtomicFileWriter.abort} removes the
 * temporary file and leaves any existing `file` untouched.
 *
 * @example
 * ```ts
 * import { AtomicFileWriter } from "custlab";
 * const w = new AtomicFileWriter("out/rows.csv");
 * w.write("a,b\n");
 * w.write("1,2\n");
 * w.commit(); // out/rows.csv now holds both lines
 * ```
 */
export class AtomicFileWriter {
  /** The temporary file being written. */
  readonly tmp: string;
  private fd: number | null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;

  /** Opens the temporary file beside `file` (creating the folder when missing). */
  constructor(readonly file: string, private readonly what = "the file") {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
      this.tmp = tmpName(path.resolve(file));
      this.fd = fs.openSync(this.tmp, "wx", 0o644);
    } catch (e) {
      throw writeError(file, what, e);
    }
  }

  /** Append text (UTF-8) or bytes. */
  write(chunk: string | Uint8Array): void {
    if (this.fd === null) throw new CustlabError("E_WRITE", `${this.what} is already closed`, { file: this.file });
    const b = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (!this.pendingBytes || this.fd === null) return;
    const b = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = []; this.pendingBytes = 0;
    try {
      let off = 0;
      while (off < b.length) off += fs.writeSync(this.fd, b, off, b.length - off);
    } catch (e) { throw writeError(this.file, this.what, e); }
  }

  /** Flush, fsync and rename the temporary file over `file`. */
  commit(): void {
    if (this.done) return;
    try {
      this.flush();
      fs.fsyncSync(this.fd!);
      fs.closeSync(this.fd!);
      this.fd = null;
      fs.renameSync(this.tmp, this.file);
      this.done = true;
    } catch (e) {
      this.abort();
      throw e instanceof CustlabError ? e : writeError(this.file, this.what, e);
    }
    fsyncDir(path.dirname(path.resolve(this.file)));
  }

  /** Drop the temporary file (the target is left as it was). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.fd !== null) { try { fs.closeSync(this.fd); } catch { /* ignore */ } this.fd = null; }
    try { fs.unlinkSync(this.tmp); } catch { /* already gone */ }
  }
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for files not yet written). */
function realish(p: string): string {
  const abs = path.resolve(p);
  let cur = abs;
  const rest: string[] = [];
  for (;;) {
    try { return path.join(fs.realpathSync(cur), ...rest); } catch { /* walk up */ }
    const up = path.dirname(cur);
    if (up === cur) return abs;
    rest.unshift(path.basename(cur));
    cur = up;
  }
}

function sameFile(a: string, b: string): boolean {
  if (realish(a) === realish(b)) return true;
  try { const sa = fs.statSync(a), sb = fs.statSync(b); return sa.dev === sb.dev && sa.ino === sb.ino; } catch { return false; }
}

function inside(child: string, dir: string): boolean {
  const rel = path.relative(realish(dir), realish(child));
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function nearestExisting(dir: string): string {
  let cur = path.resolve(dir);
  while (!fs.existsSync(cur)) { const up = path.dirname(cur); if (up === cur) break; cur = up; }
  return cur;
}

/** Creates and removes a probe file in `dir` (or its nearest existing ancestor): the only reliable writability test (root ignores mode bits, read-only mounts ignore them the other way). */
function probeWritable(dir: string, target: string, what: string): void {
  const d = nearestExisting(dir);
  try {
    if (!fs.statSync(d).isDirectory()) throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
    const probe = path.join(d, `.custlab-probe-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
    fs.closeSync(fs.openSync(probe, "wx"));
    fs.unlinkSync(probe);
  } catch (e) {
    throw new CustlabError("E_WRITE", `cannot write ${what}: ${errText(e)} in ${d} (checked before reading any input)`, { file: target });
  }
}

/** Planned inputs and outputs of one command, for {@link checkOutputs}. */
export interface OutputPlan {
  /** Every file the command reads (undefined entries are ignored). */
  inputs: Array<string | undefined>;
  /** Output files, by what they are: `{ "--alerts": "alerts.csv" }` (undefined entries are ignored). */
  files?: Record<string, string | undefined>;
  /** Output folders (e.g. a report folder or a model registry), by what they are. */
  dirs?: Record<string, string | undefined>;
}

/**
 * Check a command's planned outputs before it reads anything: no output is one
 * of its inputs (same path, link or hard link), no output folder holds an input,
 * no two outputs are the same file, and every output's folder is writable (a
 * probe file is created and removed). Throws a one-line CustlabError
 * (`E_OUTPUT_IS_INPUT`, `E_OUTPUT_CLASH` or `E_WRITE`).
 *
 * @example
 * ```ts
 * import { checkOutputs } from "custlab";
 * checkOutputs({ inputs: ["orders.csv"], files: { "--alerts": "alerts.csv" } }); // fine
 * // checkOutputs({ inputs: ["orders.csv"], files: { "--quarantine": "orders.csv" } });
 * // → CustlabError E_OUTPUT_IS_INPUT "orders.csv: refusing to overwrite an input of this command (orders.csv) with --quarantine; …"
 * ```
 */
export function checkOutputs(plan: OutputPlan): void {
  const inputs = plan.inputs.filter((x): x is string => typeof x === "string" && x !== "");
  const files = Object.entries(plan.files ?? {}).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "");
  const dirs = Object.entries(plan.dirs ?? {}).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "");
  for (const [what, f] of files) {
    for (const i of inputs) if (sameFile(f, i)) throw new CustlabError("E_OUTPUT_IS_INPUT", `refusing to overwrite an input of this command (${i}) with ${what}; choose another file`, { file: f });
  }
  for (const [what, d] of dirs) {
    for (const i of inputs) if (inside(i, d)) throw new CustlabError("E_OUTPUT_IS_INPUT", `refusing to write ${what} into a folder that holds an input of this command (${i}); choose another folder`, { file: d });
  }
  const all = [...files, ...dirs];
  for (let a = 0; a < all.length; a++) for (let b = a + 1; b < all.length; b++) {
    if (sameFile(all[a][1], all[b][1])) throw new CustlabError("E_OUTPUT_CLASH", `${all[a][0]} and ${all[b][0]} name the same output; give them different paths`, { file: all[a][1] });
  }
  for (const [what, f] of files) {
    if (fs.existsSync(f) && fs.statSync(f).isDirectory()) throw new CustlabError("E_WRITE", `cannot write ${what}: it is a folder`, { file: f });
    probeWritable(path.dirname(path.resolve(f)), f, what);
  }
  for (const [what, d] of dirs) {
    const abs = path.resolve(d);
    if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) throw new CustlabError("E_WRITE", `cannot write ${what}: it is a file, not a folder`, { file: d });
    // a folder swapped in by a link is replaced beside it: probe the parent, never the live folder
    let isLink = false;
    try { isLink = fs.lstatSync(abs).isSymbolicLink(); } catch { /* absent */ }
    probeWritable(fs.existsSync(abs) && !isLink ? abs : path.dirname(abs), d, what);
  }
}

// ---------------------------------------------------------------------------
// Report folders: built beside the target and swapped in.

/** One file in a {@link OutputManifest}. */
export interface ManifestEntry {
  /** File name inside the folder. */
  name: string;
  /** Size in bytes. */
  bytes: number;
  /** `sha256:<hex>` of the content. */
  sha256: string;
}

/** What custlab wrote into an output folder (`custlab-manifest.json`). */
export interface OutputManifest {
  /** Always "custlab". */
  tool: "custlab";
  /** Id of the run that wrote the folder. */
  run: string;
  /** ISO time of the write. */
  created: string;
  /** Every file written, except the manifest itself. */
  files: ManifestEntry[];
}

/** Options for {@link writeOutputFolder} and {@link checkOutputFolder}. */
export interface OutputFolderOptions {
  /** Write into a non-empty folder custlab did not create (default false: refused). Its own files are replaced one by one; other files are left alone. */
  force?: boolean;
  /** Files the run reads: the folder may not hold any of them. */
  inputs?: Array<string | undefined>;
  /**
   * A folder written by custlab before manifests existed: it counts as custlab's own (no --force
   * needed; its files of these names are replaced or removed) when it holds only these names and
   * `marker(folder)` is true (e.g. its summary.json names custlab).
   */
  legacy?: { names: string[]; marker: (dir: string) => boolean };
}

function storeOf(abs: string): string {
  return path.join(path.dirname(abs), `.${path.basename(abs)}.custlab`);
}

function readManifest(dir: string): OutputManifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8"));
    return m && m.tool === "custlab" && Array.isArray(m.files) ? (m as OutputManifest) : null;
  } catch { return null; }
}

type FolderState =
  | { kind: "absent" }
  | { kind: "managed"; target: string }   // a link into our store: swap atomically
  | { kind: "empty" }                     // an empty real folder: replaced by the link
  | { kind: "inplace"; real: string; manifest: OutputManifest | null; foreign: string[] };

function folderState(abs: string, legacy?: OutputFolderOptions["legacy"]): FolderState {
  let st: fs.Stats;
  try { st = fs.lstatSync(abs); } catch { return { kind: "absent" }; }
  const store = storeOf(abs);
  if (st.isSymbolicLink()) {
    const target = path.resolve(path.dirname(abs), fs.readlinkSync(abs));
    if (path.dirname(target) === store) return { kind: "managed", target };
  }
  const real = fs.realpathSync(abs);
  if (!fs.statSync(real).isDirectory()) throw new CustlabError("E_WRITE", "the output folder is a file", { file: abs });
  const entries = fs.readdirSync(real);
  if (!entries.length && !st.isSymbolicLink()) return { kind: "empty" };
  const manifest = readManifest(real);
  const ours = new Set([MANIFEST, ...(manifest?.files.map((f) => f.name) ?? [])]);
  if (!manifest && legacy && entries.every((e) => legacy.names.includes(e)) && legacy.marker(real)) {
    const files = entries.map((name) => ({ name, bytes: 0, sha256: "" }));
    return { kind: "inplace", real, manifest: { tool: "custlab", run: "legacy", created: "", files }, foreign: [] };
  }
  return { kind: "inplace", real, manifest, foreign: entries.filter((e) => !ours.has(e) && !e.startsWith(".custlab-") && !/\.tmp-\d+-[0-9a-f]+$/.test(e)) };
}

/**
 * Check an output folder before any computation: it holds no input, it (or its
 * parent) is writable, and it is empty, absent, or custlab's own, unless `force`.
 * Throws a one-line CustlabError.
 *
 * @example
 * ```ts
 * import { checkOutputFolder } from "custlab";
 * checkOutputFolder("out/report", { inputs: ["orders.csv"] });
 * ```
 */
export function checkOutputFolder(dir: string, options: OutputFolderOptions = {}, what = "the output folder"): void {
  checkOutputs({ inputs: options.inputs ?? [], dirs: { [what]: dir } });
  const abs = path.resolve(dir);
  const st = folderState(abs, options.legacy);
  if (st.kind === "inplace" && st.foreign.length && !options.force) {
    throw new CustlabError("E_FOLDER_NOT_OURS", `refusing to write ${what}: it holds files custlab did not write (${st.foreign.slice(0, 3).join(", ")}${st.foreign.length > 3 ? `, +${st.foreign.length - 3} more` : ""}); choose an empty or new folder, or pass --force`, { file: dir });
  }
  if (st.kind !== "inplace") probeWritable(path.dirname(abs), dir, what);
}

/** Remove run folders of earlier runs killed before their swap (their process is gone) and every run folder but `keep`. */
function sweepStore(store: string, keep: Set<string>): void {
  let entries: string[];
  try { entries = fs.readdirSync(store); } catch { return; }
  for (const e of entries) {
    const full = path.join(store, e);
    if (keep.has(full)) continue;
    const m = /^(?:run|link)-\d+-(\d+)-[0-9a-f]+$/.exec(e);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && pidAlive(pid)) continue; // another run still building
    try { fs.rmSync(full, { recursive: true, force: true }); } catch { /* next time */ }
  }
}

/**
 * Whether a process with this id exists (signal 0), e.g. the owner of a lock file.
 *
 * @example
 * ```ts
 * import { pidAlive } from "custlab";
 * pidAlive(process.pid); // true
 * ```
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }
}

function manifestFor(run: string, files: Record<string, string | Uint8Array>): { manifest: OutputManifest; bytes: Record<string, Buffer> } {
  const bytes: Record<string, Buffer> = {};
  const entries: ManifestEntry[] = [];
  for (const [name, data] of Object.entries(files)) {
    if (name === MANIFEST || name.includes("/") || name.includes("\\") || name.startsWith(".")) throw new CustlabError("E_WRITE", `bad output file name "${name}"`);
    const b = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    bytes[name] = b;
    entries.push({ name, bytes: b.length, sha256: "sha256:" + crypto.createHash("sha256").update(b).digest("hex") });
  }
  return { manifest: { tool: "custlab", run, created: new Date().toISOString(), files: entries }, bytes };
}

/** Test hook: called between building the new folder and swapping it in. @internal */
export const outputFaults: { beforeSwap?: () => void } = {};

/**
 * Write a whole output folder at once. The new folder is built beside the
 * target (in `.<name>.custlab/`), with a manifest listing every file and its
 * SHA-256, and swapped in by renaming a link over `dir`: after a crash at any
 * moment `dir` holds either the whole old folder or the whole new one, and the
 * files of the old run that the new one does not write are gone. Folders left
 * by killed runs are removed at the next write.
 *
 * A non-empty folder custlab did not write is refused unless `force`; then
 * custlab's files are written into it one by one (each atomically), its stale
 * files (from the previous manifest) removed, and other files left alone.
 *
 * @returns the manifest written
 * @example
 * ```ts
 * import { writeOutputFolder } from "custlab";
 * writeOutputFolder("out/report", { "index.html": "<!doctype html>…", "summary.json": "{}\n" });
 * ```
 */
export function writeOutputFolder(dir: string, files: Record<string, string | Uint8Array>, options: OutputFolderOptions = {}): OutputManifest {
  checkOutputFolder(dir, options);
  const abs = path.resolve(dir);
  const st = folderState(abs, options.legacy);
  const run = `run-${Date.now()}-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  const { manifest, bytes } = manifestFor(run, files);
  const manifestText = JSON.stringify(manifest, null, 2) + "\n";
  if (st.kind === "inplace") {
    for (const [name, b] of Object.entries(bytes)) writeFileAtomic(path.join(st.real, name), b, name);
    writeFileAtomic(path.join(st.real, MANIFEST), manifestText, MANIFEST);
    const keep = new Set(Object.keys(bytes));
    for (const f of st.manifest?.files ?? []) if (!keep.has(f.name)) { try { fs.unlinkSync(path.join(st.real, f.name)); } catch { /* gone */ } }
    return manifest;
  }
  const store = storeOf(abs);
  const runDir = path.join(store, run);
  try {
    fs.mkdirSync(store, { recursive: true });
    sweepStore(store, new Set(st.kind === "managed" ? [st.target] : []));
    fs.mkdirSync(runDir);
    for (const [name, b] of Object.entries(bytes)) {
      const fd = fs.openSync(path.join(runDir, name), "wx", 0o644);
      try { let off = 0; while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off); fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
    }
    const fd = fs.openSync(path.join(runDir, MANIFEST), "wx", 0o644);
    try { fs.writeSync(fd, manifestText); fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
    fsyncDir(runDir);
    outputFaults.beforeSwap?.();
    const link = path.join(store, `link-${Date.now()}-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
    fs.symlinkSync(path.join(path.basename(store), run), link, "dir");
    if (st.kind === "empty") fs.rmdirSync(abs);
    fs.renameSync(link, abs); // the commit point: atomic replacement of the link
    fsyncDir(path.dirname(abs));
  } catch (e) {
    try { fs.rmSync(runDir, { recursive: true, force: true }); } catch { /* swept next time */ }
    throw e instanceof CustlabError ? e : writeError(dir, "the output folder", e);
  }
  if (st.kind === "managed") { try { fs.rmSync(st.target, { recursive: true, force: true }); } catch { /* swept next time */ } }
  return manifest;
}

/**
 * Read the manifest of an output folder written by {@link writeOutputFolder}
 * (null when the folder has none) and check it: `complete` is true when every
 * listed file is there with its size and SHA-256 and nothing else is.
 *
 * @example
 * ```ts
 * import { readOutputFolder } from "custlab";
 * const r = readOutputFolder("out/report");
 * r?.complete; // true after any successful write, or after a crash at any moment
 * ```
 */
export function readOutputFolder(dir: string): { manifest: OutputManifest; complete: boolean; problems: string[] } | null {
  const manifest = readManifest(dir);
  if (!manifest) return null;
  const problems: string[] = [];
  const listed = new Set([MANIFEST]);
  for (const f of manifest.files) {
    listed.add(f.name);
    let b: Buffer;
    try { b = fs.readFileSync(path.join(dir, f.name)); } catch { problems.push(`${f.name} missing`); continue; }
    if (b.length !== f.bytes || "sha256:" + crypto.createHash("sha256").update(b).digest("hex") !== f.sha256) problems.push(`${f.name} differs from the manifest`);
  }
  for (const e of fs.readdirSync(dir)) if (!listed.has(e)) problems.push(`${e} not in the manifest`);
  return { manifest, complete: problems.length === 0, problems };
}
