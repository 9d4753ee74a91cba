/**
 * Training backends for the tfjs models: which one really starts here (GPU, WebGPU, wasm, cpu) and why better ones were skipped.
 * @module
 */
import * as fs from "fs";
import { execFileSync } from "child_process";
import { CustlabError } from "../util/errors";
import { getTf as loadTf, silenceTfjsBanner, type Tf } from "./tfjs";

/**
 * Training backends, best first. `tensorflow-gpu` is @tensorflow/tfjs-node-gpu
 * (libtensorflow + CUDA); `webgpu` is @tensorflow/tfjs-backend-webgpu driven by
 * the `webgpu` package (Dawn over Vulkan: a GPU without CUDA libraries);
 * `tensorflow` is @tensorflow/tfjs-node (libtensorflow on the CPU); `wasm` is
 * @tensorflow/tfjs-backend-wasm (SIMD); `cpu` is plain JavaScript.
 */
export type BackendName = "tensorflow-gpu" | "webgpu" | "tensorflow" | "wasm" | "cpu";

/** The order custlab tries backends in. */
export const BACKEND_ORDER: readonly BackendName[] = ["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"];

/** One backend that was tried: whether it started and, if not, why. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was skipped, or what it runs on when chosen. */
  reason: string;
  /** Milliseconds the attempt took. */
  ms: number;
}

/** The backend in use and the story of how it was chosen. */
export interface BackendInfo {
  /** The backend in use. */
  name: BackendName;
  /** tfjs' own name for it (`tf.getBackend()`). */
  tfBackend: string;
  /** Whether it runs on a GPU. */
  gpu: boolean;
  /** True when forced with CUSTLAB_BACKEND or an option. */
  forced: boolean;
  /** Every backend tried, in order, with the reason it was or was not used. */
  attempts: BackendAttempt[];
  /** tfjs version. */
  tfjsVersion: string;
}

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

const ALIASES: Record<string, BackendName> = {
  "tensorflow-gpu": "tensorflow-gpu", "tfjs-node-gpu": "tensorflow-gpu", gpu: "tensorflow-gpu", cuda: "tensorflow-gpu",
  webgpu: "webgpu", dawn: "webgpu",
  tensorflow: "tensorflow", "tfjs-node": "tensorflow", node: "tensorflow",
  wasm: "wasm", cpu: "cpu",
};

/**
 * Parse a backend name or alias (e.g. "cuda", "tfjs-node", "wasm").
 *
 * @example
 * ```ts
 * import { parseBackendName } from "custlab";
 * parseBackendName("cuda");      // "tensorflow-gpu"
 * parseBackendName("tfjs-node"); // "tensorflow"
 * parseBackendName("tpu");       // throws CustlabError E_BACKEND
 * ```
 */
export function parseBackendName(s: string): BackendName {
  const b = ALIASES[s.trim().toLowerCase()];
  if (!b) throw new CustlabError("E_BACKEND", `unknown backend "${s}" (choose one of: ${BACKEND_ORDER.join(", ")})`);
  return b;
}

/**
 * The @tensorflow/tfjs module as custlab's public types describe it: the few
 * members custlab documents, plus every other tfjs export untyped. custlab's
 * declarations never expose tfjs' own types, so a project that depends on
 * custlab type-checks with `skipLibCheck: false`; for full tfjs typings,
 * `import * as tf from "@tensorflow/tfjs"` (the same module instance).
 */
export interface TfModule {
  /** tfjs package versions (`version["tfjs-core"]`, …). */
  readonly version: Record<string, string>;
  /** Name of the active tfjs backend. */
  getBackend(): string;
  /** Run `fn`, disposing every tensor it allocated except the result. */
  tidy<T>(fn: () => T): T;
  /** Every other tfjs export (tensors, layers, optimisers, …), untyped here. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [name: string]: any;
}

/**
 * The @tensorflow/tfjs module (loaded once). Call {@link initBackend} before training.
 *
 * @example
 * ```ts
 * import { initBackend, getTf } from "custlab";
 * await initBackend();
 * const tf = getTf();
 * const y = tf.tidy(() => tf.tensor1d([1, 2, 3]).square().sum().arraySync()); // 14
 * ```
 */
export function getTf(): TfModule {
  return loadTf() as unknown as TfModule;
}

function hasNvidiaGpu(): string | null {
  try {
    if (fs.existsSync("/proc/driver/nvidia/version")) {
      const out = execFileSync("nvidia-smi", ["-L"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
      const first = out.split("\n").find((l) => l.startsWith("GPU"));
      return first ?? null;
    }
  } catch { /* no nvidia-smi */ }
  return null;
}

function hasVulkanLoader(): boolean {
  if (process.platform !== "linux") return true;
  try {
    const out = execFileSync("/sbin/ldconfig", ["-p"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
    if (out.includes("libvulkan.so.1")) return true;
  } catch { /* fall through */ }
  return ["/usr/lib/x86_64-linux-gnu/libvulkan.so.1", "/usr/lib64/libvulkan.so.1", "/usr/lib/libvulkan.so.1"].some((f) => fs.existsSync(f));
}

function shortError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split("\n")[0].slice(0, 200);
}

async function trySet(tf: Tf, name: string): Promise<boolean> {
  try {
    const ok = await silenceTfjsBanner(() => tf.setBackend(name));
    // setBackend() returns false on failure while getBackend() may still name it: trust the boolean.
    if (!ok) return false;
    await tf.ready();
    // Prove it computes.
    const r = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
    return r[0] === 4 && r[1] === 6;
  } catch {
    return false;
  }
}

async function attempt(tf: Tf, name: BackendName): Promise<{ ok: boolean; reason: string }> {
  switch (name) {
    case "tensorflow-gpu": {
      let mod: unknown;
      try { mod = require("@tensorflow/tfjs-node-gpu"); } catch (e) {
        const msg = shortError(e);
        return { ok: false, reason: msg.includes("Cannot find module '@tensorflow/tfjs-node-gpu'") ? "@tensorflow/tfjs-node-gpu is not installed (its install downloads libtensorflow 2.9.1 for CUDA 11.2, which failed or was skipped)" : `@tensorflow/tfjs-node-gpu failed to load: ${msg}` };
      }
      void mod;
      const gpu = hasNvidiaGpu();
      if (!gpu) return { ok: false, reason: "tfjs-node-gpu loaded but no NVIDIA GPU/driver was found" };
      return (await trySet(tf, "tensorflow")) ? { ok: true, reason: `libtensorflow (CUDA) on ${gpu}` } : { ok: false, reason: "tfjs-node-gpu backend did not initialise" };
    }
    case "webgpu": {
      if (!hasVulkanLoader()) return { ok: false, reason: "no Vulkan loader (libvulkan.so.1) on this machine, so Dawn cannot reach a GPU" };
      let gpuApi: any;
      try {
        const webgpu = require("webgpu");
        gpuApi = webgpu.create([]);
        Object.assign(globalThis, webgpu.globals ?? {});
      } catch (e) { return { ok: false, reason: `the webgpu (Dawn) package did not load: ${shortError(e)}` }; }
      let adapter: unknown = null;
      try { adapter = await gpuApi.requestAdapter({ powerPreference: "high-performance" }); } catch (e) { return { ok: false, reason: `no WebGPU adapter: ${shortError(e)}` }; }
      if (!adapter) return { ok: false, reason: "no WebGPU adapter: no GPU with a Vulkan driver was found" };
      const nav = ((globalThis as any).navigator ??= {});
      if (!nav.gpu) Object.defineProperty(nav, "gpu", { value: gpuApi, configurable: true });
      try { require("@tensorflow/tfjs-backend-webgpu"); } catch (e) { return { ok: false, reason: `@tensorflow/tfjs-backend-webgpu did not load: ${shortError(e)}` }; }
      const info = (adapter as any).info ?? {};
      return (await trySet(tf, "webgpu")) ? { ok: true, reason: `WebGPU (Dawn/Vulkan) on ${info.vendor ?? "?"} ${info.device ?? info.description ?? ""}`.trim() } : { ok: false, reason: "the WebGPU backend did not initialise" };
    }
    case "tensorflow": {
      let pkgName = "";
      try { pkgName = require("@tensorflow/tfjs-node/package.json").name; } catch { return { ok: false, reason: "@tensorflow/tfjs-node is not installed" }; }
      if (pkgName !== "@tensorflow/tfjs-node") return { ok: false, reason: "@tensorflow/tfjs-node is not installed (that name is an alias of @tensorflow/tfjs, installed for danfojs-node)" };
      try { require("@tensorflow/tfjs-node"); } catch (e) { return { ok: false, reason: `@tensorflow/tfjs-node failed to load: ${shortError(e)}` }; }
      return (await trySet(tf, "tensorflow")) ? { ok: true, reason: "libtensorflow on the CPU" } : { ok: false, reason: "the tfjs-node backend did not initialise" };
    }
    case "wasm": {
      try { require("@tensorflow/tfjs-backend-wasm"); } catch (e) { return { ok: false, reason: `@tensorflow/tfjs-backend-wasm did not load: ${shortError(e)}` }; }
      return (await trySet(tf, "wasm")) ? { ok: true, reason: "WebAssembly with SIMD, single-threaded" } : { ok: false, reason: "the wasm backend did not initialise" };
    }
    case "cpu":
      return (await trySet(tf, "cpu")) ? { ok: true, reason: "plain JavaScript" } : { ok: false, reason: "the cpu backend did not initialise" };
  }
}

/** Options for {@link initBackend}. */
export interface InitBackendOptions {
  /** Force one backend (overrides CUSTLAB_BACKEND). Fails with a clear error if it cannot start. */
  backend?: BackendName | string;
  /** Skip these backends in the automatic choice (e.g. ["tensorflow-gpu", "webgpu"] for tiny models). */
  exclude?: BackendName[];
}

/**
 * Choose and start the best training backend that really initialises, in
 * {@link BACKEND_ORDER}. `CUSTLAB_BACKEND=<name>` (or `options.backend`) forces
 * one and throws a CustlabError naming why it could not start. The result —
 * the backend and why better ones were skipped — is cached; later calls return
 * it unless a different backend is forced.
 * @example
 * ```ts
 * import { initBackend, describeBackend } from "custlab";
 * const info = await initBackend();                          // best backend that starts
 * console.log(describeBackend(info));
 * await initBackend({ exclude: ["tensorflow-gpu", "webgpu"] }); // tiny models: skip GPUs
 * // CUSTLAB_BACKEND=wasm (or { backend: "wasm" }) forces one, with a clear error if it cannot start
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const forcedName = options.backend ?? process.env.CUSTLAB_BACKEND;
  const forced = forcedName ? parseBackendName(forcedName) : null;
  if (current && (!forced || current.name === forced)) return current;
  if (pending && !forced) return pending;
  const run = async (): Promise<BackendInfo> => {
    const tf = loadTf();
    const attempts: BackendAttempt[] = [];
    const order = forced ? [forced] : BACKEND_ORDER.filter((b) => !(options.exclude ?? []).includes(b));
    for (const name of order) {
      const t0 = Date.now();
      const r = await attempt(tf, name);
      attempts.push({ name, ok: r.ok, reason: r.reason, ms: Date.now() - t0 });
      if (r.ok) {
        current = { name, tfBackend: tf.getBackend(), gpu: name === "tensorflow-gpu" || name === "webgpu", forced: !!forced, attempts, tfjsVersion: tf.version.tfjs };
        return current;
      }
      if (forced) throw new CustlabError("E_BACKEND", `CUSTLAB_BACKEND=${forcedName}: the ${name} backend cannot start: ${r.reason}`);
    }
    throw new CustlabError("E_BACKEND", `no training backend could start: ${attempts.map((a) => `${a.name}: ${a.reason}`).join("; ")}`);
  };
  pending = run();
  try { return await pending; } finally { pending = null; }
}

/**
 * The backend chosen so far, or null before {@link initBackend} ran.
 *
 * @example
 * ```ts
 * import { backendInfo, initBackend } from "custlab";
 * backendInfo();       // null before initBackend()
 * await initBackend();
 * backendInfo()?.name; // e.g. "wasm"
 * ```
 */
export function backendInfo(): BackendInfo | null {
  return current;
}

/**
 * One line for people: "wasm (WebAssembly with SIMD…); skipped tensorflow-gpu: …".
 *
 * @example
 * ```ts
 * import { initBackend, describeBackend } from "custlab";
 * describeBackend(await initBackend());
 * // e.g. "backend wasm — WebAssembly with SIMD…; skipped tensorflow-gpu: …"
 * ```
 */
export function describeBackend(info: BackendInfo): string {
  const used = info.attempts.find((a) => a.ok);
  const skipped = info.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
  return `backend ${info.name}${info.forced ? " (forced)" : ""}${used ? ` — ${used.reason}` : ""}${skipped.length ? `; skipped ${skipped.join("; ")}` : ""}`;
}

/**
 * Small HTML block naming the backend and the skipped ones (for notebooks and reports).
 *
 * @example
 * ```ts
 * import { initBackend, backendHTML } from "custlab";
 * const html = backendHTML(await initBackend()); // <div class="custlab-backend">…</div> for a page or tslab.display.html
 * ```
 */
export function backendHTML(info: BackendInfo): string {
  const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
  const rows = info.attempts.map((a) => `<li><b>${a.name}</b>: ${a.ok ? "✔ in use — " : "skipped — "}${esc(a.reason)}</li>`).join("");
  return `<div class="custlab-backend"><b>Training backend:</b> ${info.name}${info.forced ? " (forced by CUSTLAB_BACKEND)" : ""}, tfjs ${info.tfjsVersion}<ul>${rows}</ul></div>`;
}
