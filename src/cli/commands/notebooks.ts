import { runNotebooks } from "../../notebook/runner";
import { parseArgs, numOpt, strOpt } from "../args";
import { consoleProgress } from "../../util/progress";

export const usage = `custlab notebooks [--out reports] [--only 01,04] [--concurrency 2] [--dataset demo]

Execute every notebook in notebooks/ with the tslab kernel (nbconvert) and write the
rendered HTML to --out (with code, and a reader version with code hidden), plus an
index.html. Exits non-zero when any notebook fails (type error or exception).`;

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv, { out: "string", only: "string", concurrency: "string", dataset: "string", dir: "string" });
  const only = strOpt(options, "only")?.split(",").filter(Boolean);
  const dataset = strOpt(options, "dataset");
  const results = await runNotebooks({
    out: strOpt(options, "out"), dir: strOpt(options, "dir"), only, concurrency: numOpt(options, "concurrency", 2),
    env: dataset ? { CUSTLAB_DATASET: dataset } : undefined, onProgress: consoleProgress(),
  });
  let failed = 0;
  for (const r of results) {
    if (!r.ok) { failed++; process.stderr.write(`\n--- ${r.notebook} failed ---\n${r.error ?? ""}\n`); }
  }
  process.stdout.write(`${results.length - failed} of ${results.length} notebooks rendered to ${strOpt(options, "out") ?? "reports"}/\n`);
  return failed ? 1 : 0;
}
