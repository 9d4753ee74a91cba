/**
 * Run a CLI command module in-process and capture what it writes to stdout.
 * @module
 */

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
