import * as path from "path";
import { CustlabError } from "../../util/errors";
import { run as setupJupyter } from "./setup-jupyter";
import { run as runNotebooksCmd } from "./notebooks";
import { parseArgs, strOpt } from "../args";

export const usage = `custlab main [--out reports]

The main job: make sure Jupyter and the tslab kernel are set up, then execute every
notebook on the bundled demo data and write the rendered HTML reports to reports/.`;

export async function run(argv: string[]): Promise<number> {
  // Checked before any work: an unknown flag or a stray argument is one line, exit 1.
  const { positionals, options } = parseArgs(argv, { out: "string" });
  if (positionals.length) throw new CustlabError("E_USAGE", `custlab main takes no arguments, got "${positionals[0]}" (see --help)`);
  const t0 = Date.now();
  const out = strOpt(options, "out") ?? path.resolve(__dirname, "../../../reports");
  const code = await setupJupyter(["--quiet"]);
  if (code !== 0) return code;
  const r = await runNotebooksCmd(["--out", out]);
  process.stdout.write(`main job finished in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${out}/index.html\n`);
  return r;
}
