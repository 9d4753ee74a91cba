/**
 * The typed @tensorflow/tfjs module for custlab's own tfjs code (models,
 * autoencoder, text networks). Internal: custlab's public type declarations
 * never mention tfjs types (a consumer's `skipLibCheck: false` build would
 * otherwise type-check tfjs' own declarations, which have errors); the public
 * accessor is `getTf()` in `./index`, typed as {@link TfModule}.
 * @internal
 * @module
 */

/** The full tfjs module type. @internal */
export type Tf = typeof import("@tensorflow/tfjs");
/** A tfjs tensor. @internal */
export type Tensor = import("@tensorflow/tfjs").Tensor;

let tfModule: Tf | null = null;

/** Run `fn` with tfjs' "Hi there 👋 … install the node backend" console banner silenced. @internal */
export function silenceTfjsBanner<T>(fn: () => T): T {
  const warn = console.warn, log = console.log;
  const quiet = (orig: (...a: unknown[]) => void) => (...args: unknown[]) => {
    if (typeof args[0] === "string" && /Hi there|Hi, looks like you are running TensorFlow\.js|={10,}/.test(args[0])) return;
    orig(...args);
  };
  console.warn = quiet(warn);
  console.log = quiet(log);
  try { return fn(); } finally { console.warn = warn; console.log = log; }
}

/** The @tensorflow/tfjs module, loaded once, fully typed (internal use). @internal */
export function getTf(): Tf {
  if (!tfModule) {
    tfModule = silenceTfjsBanner(() => require("@tensorflow/tfjs") as Tf);
    // PROD silences the cpu backend banner ("install our node backend") and skips debug checks.
    try { tfModule.env().set("PROD", true); } catch { /* ignore */ }
  }
  return tfModule;
}
