#!/usr/bin/env node
import { commands } from "./commands/index";
import { CustlabError } from "../util/errors";

function help(): string {
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(14)} ${c.summary}`);
  return `custlab — e-commerce customer intelligence\n\nUsage: custlab <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 'custlab <command> --help' for a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") { process.stdout.write(help()); return 0; }
  const entry = commands[name];
  if (!entry) { process.stderr.write(`custlab: unknown command "${name}"\n\n${help()}`); return 2; }
  const mod = entry.load();
  if (rest.includes("--help") || rest.includes("-h")) { process.stdout.write(mod.usage.trim() + "\n"); return 0; }
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof CustlabError) process.stderr.write(`custlab: ${err.message}\n`);
    else if (err instanceof Error && (err as NodeJS.ErrnoException).code === "ENOENT") process.stderr.write(`custlab: ${err.message}\n`);
    else if (process.env.CUSTLAB_DEBUG) process.stderr.write(`custlab: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    else process.stderr.write(`custlab: internal error: ${(err as Error)?.message ?? String(err)} (set CUSTLAB_DEBUG=1 for a stack trace)\n`);
    process.exitCode = 1;
  },
);
