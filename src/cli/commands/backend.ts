import { initBackend, describeBackend } from "../../backend";
import { parseArgs, printJSON, strOpt } from "../args";

export const usage = `custlab backend [--backend <name>] [--json]

Start the best training backend that initialises here (tensorflow-gpu, webgpu,
tensorflow, wasm, cpu) and say why better ones were skipped. CUSTLAB_BACKEND or
--backend forces one.`;

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv, { backend: "string", json: "boolean" });
  const info = await initBackend({ backend: strOpt(options, "backend") });
  if (options.json) printJSON(info);
  else process.stdout.write(describeBackend(info) + "\n");
  return 0;
}
