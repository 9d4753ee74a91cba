import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { parseArgs } from "../args";
import { CustlabError } from "../../util/errors";

export const usage = `custlab setup-jupyter [--quiet] [--python <path>] [--no-browser]

Make sure Jupyter (nbconvert, jupyter-client, ipykernel) and the tslab kernel are
installed, the kernel pointing at this project's own node_modules. Installs what is
missing: Debian's jupyter-nbconvert jupyter-client python3-ipykernel (and chromium for
the browser tests) with apt-get where it exists and we are root; pip --user otherwise.
Idempotent; prints nothing with --quiet when everything is already there.`;

function ok(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return r.status === 0;
}

function out(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout : "";
}

/** Project root (the folder holding package.json), from dist/cli/commands or src/cli/commands. */
export function projectRoot(): string {
  return path.resolve(__dirname, "../../..");
}

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv, { quiet: "boolean", python: "string", "no-browser": "boolean" });
  const quiet = !!options.quiet;
  const say = (s: string) => { if (!quiet) process.stdout.write(s + "\n"); };
  const python = (options.python as string) ?? (fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  const root = projectRoot();
  const tslabBin = path.join(root, "node_modules", ".bin", "tslab");
  if (!fs.existsSync(tslabBin)) throw new CustlabError("E_SETUP", `tslab is not installed in ${root}/node_modules (run npm ci first)`);

  const haveJupyter = () => ok("jupyter", ["nbconvert", "--version"]) && ok(python, ["-c", "import ipykernel, jupyter_client"]);
  const wantBrowser = !options["no-browser"];
  const haveBrowser = () => !wantBrowser || ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].some((f) => fs.existsSync(f));
  if (!haveJupyter() || !haveBrowser()) {
    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    const apt = fs.existsSync("/usr/bin/apt-get");
    if (apt && isRoot) {
      const pkgs = ["jupyter-nbconvert", "jupyter-client", "python3-ipykernel", ...(wantBrowser ? ["chromium"] : [])];
      process.stderr.write(`custlab: installing ${pkgs.join(" ")} with apt-get…\n`);
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      spawnSync("apt-get", ["update", "-qq"], { stdio: quiet ? "ignore" : "inherit", env });
      const r = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { stdio: quiet ? "ignore" : "inherit", env });
      if (r.status !== 0) throw new CustlabError("E_SETUP", `apt-get install ${pkgs.join(" ")} failed (exit ${r.status})`);
    } else if (!haveJupyter()) {
      process.stderr.write("custlab: installing jupyter (nbconvert, jupyter-client, ipykernel) with pip --user…\n");
      const r = spawnSync(python, ["-m", "pip", "install", "--user", "-q", "nbconvert", "jupyter-client", "ipykernel"], { stdio: "inherit" });
      if (r.status !== 0) throw new CustlabError("E_SETUP", "could not install Jupyter: no apt-get as root and pip failed; install nbconvert, jupyter-client and ipykernel yourself");
    }
    if (!haveJupyter()) throw new CustlabError("E_SETUP", "Jupyter is still not usable after installing (jupyter nbconvert --version failed)");
    if (!haveBrowser()) process.stderr.write("custlab: warning: no chromium found; the browser tests of rendered reports will fail\n");
  } else say("jupyter: present");

  // Register the tslab kernel pointing at this project's binary (idempotent).
  const specs = out("jupyter", ["kernelspec", "list", "--json"]);
  let registered = false;
  try {
    const j = JSON.parse(specs);
    const argv0: string[] | undefined = j.kernelspecs?.tslab?.spec?.argv;
    registered = !!argv0 && argv0[0] === tslabBin;
  } catch { /* not registered */ }
  if (!registered) {
    const r = spawnSync(tslabBin, ["install", `--python=${python}`, `--binary=${tslabBin}`], { stdio: quiet ? "ignore" : "inherit" });
    if (r.status !== 0) throw new CustlabError("E_SETUP", `tslab install failed (exit ${r.status})`);
    say(`tslab kernel registered → ${tslabBin}`);
  } else say("tslab kernel: registered");
  return 0;
}
