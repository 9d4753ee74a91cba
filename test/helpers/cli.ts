/**
 * Run the CLI in tests: a command module in-process with its output captured, or the built
 * `custlab` in a child process.
 * @module
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { expect } from "vitest";

/** A CLI command: `run(argv)` resolves to the exit code. */
export type CommandRun = (argv: string[]) => Promise<number>;

/** Runs `run(argv)` with stdout captured; returns the exit code and the text written. */
export async function runCaptured(run: CommandRun, argv: string[]): Promise<{ code: number; out: string }> {
  const stdout = process.stdout as unknown as { write: (s: string) => boolean };
  const write = stdout.write;
  let out = "";
  stdout.write = (s: string) => { out += String(s); return true; };
  try { return { code: await run(argv), out }; } finally { stdout.write = write; }
}

/** Runs `run(argv)`, requires exit code 0 and parses stdout as JSON (for `--json` commands). */
export async function runJSON(run: CommandRun, argv: string[]): Promise<any> {
  const { code, out } = await runCaptured(run, argv);
  if (code !== 0) throw new Error(`command exited with ${code}: ${argv.join(" ")}\n${out}`);
  return JSON.parse(out);
}

/**
 * Runs `run(argv)` in-process with stdout and stderr captured; a thrown error
 * (a CustlabError the CLI would print as one line) gives exit code 1 and its
 * message on stderr, as `custlab` prints it.
 */
export async function runCLI(run: CommandRun, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stderr = process.stderr as unknown as { write: (s: string) => boolean };
  const w = stderr.write;
  let err = "";
  stderr.write = (s: string) => { err += String(s); return true; };
  try {
    const r = await runCaptured(run, argv);
    return { code: r.code, out: r.out, err };
  } catch (e) {
    return { code: 1, out: "", err: err + (e as Error).message + "\n" };
  } finally { stderr.write = w; }
}


/** The built CLI entry point (`npm run build` first). */
export const CLI_MAIN = path.resolve(__dirname, "..", "..", "dist", "cli", "main.js");

/** Runs the built `custlab` in a child process in `cwd`; returns the exit code and both streams. */
export function spawnCLI(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync("node", [CLI_MAIN, ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status, out: String(r.stdout ?? ""), err: String(r.stderr ?? "") };
}

/** Asserts a refused command: exit 1, exactly one line on stderr matching `re`, no stack trace or "internal error". */
export function expectOneLine(r: { code: number | null; err: string }, re: RegExp): void {
  const lines = r.err.split("\n").filter((l) => l.trim() !== "");
  expect(r.code, r.err).toBe(1);
  expect(lines.length, r.err).toBe(1);
  expect(lines[0]).toMatch(re);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
}
