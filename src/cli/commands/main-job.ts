import * as path from "path";
import { run as setupJupyter } from "./setup-jupyter";
import { run as runNotebooksCmd } from "./notebooks";

export const usage = `custlab main [--out reports]

The main job: make sure Jupyter and the tslab kernel are set up, then execute every
notebook on the bundled demo data and write the rendered HTML reports to reports/.`;

export async function run(argv: string[]): Promise<number> {
  const t0 = Date.now();
  const code = await setupJupyter(["--quiet"]);
  if (code !== 0) return code;
  const out = argv.includes("--out") ? argv[argv.indexOf("--out") + 1] : path.resolve(__dirname, "../../../reports");
  const r = await runNotebooksCmd(["--out", out]);
  process.stdout.write(`main job finished in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${out}/index.html\n`);
  return r;
}
