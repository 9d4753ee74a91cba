#!/usr/bin/env node
// The whole test suite: builds the library, makes sure Jupyter + the tslab
// kernel are there (idempotent, quiet when present), runs vitest (unit tests,
// CLI tests and every notebook executed with nbconvert), then prints the plain
// summary line CI reads: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { readFileSync, existsSync, rmSync } from "node:fs";

const env = { ...process.env, DOTENV_CONFIG_QUIET: "true" };
const sh = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", env });

let r = sh("npx", ["tsc", "-p", "tsconfig.json"]);
if (r.status === 0) r = sh("node", ["scripts/build-esm.mjs"]); // dist/esm: the ESM entry points of the exports map
if (r.status !== 0) { console.log("build failed"); console.log("0 passed, 1 failed"); process.exit(1); }
if (existsSync("dist/cli/commands/setup-jupyter.js")) {
  r = sh("node", ["dist/cli/main.js", "setup-jupyter", "--quiet"]);
  if (r.status !== 0) console.log("warning: Jupyter setup failed; notebook tests will fail");
}
const results = ".vitest-results.json";
rmSync(results, { force: true });
r = sh("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${results}`, ...process.argv.slice(2)]);
let passed = 0, failed = 0, skipped = 0;
if (existsSync(results)) {
  const j = JSON.parse(readFileSync(results, "utf8"));
  passed = j.numPassedTests ?? 0;
  // Failed tests, plus test files that failed without a failing test (import or syntax errors).
  const brokenFiles = (j.testResults ?? []).filter((t) => t.status === "failed" && !(t.assertionResults ?? []).some((a) => a.status === "failed")).length;
  failed = (j.numFailedTests ?? 0) + brokenFiles;
  skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
} else if (r.status !== 0) failed = 1;
if (r.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
