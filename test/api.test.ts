// The public API works from plain Node scripts, CommonJS and ESM, through the
// package name (node_modules/custlab links to the project; `npm test` builds dist/ first).
import { it, expect } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const built = fs.existsSync(path.join(root, "dist/index.js"));

it.runIf(built)("imports from CommonJS and ESM scripts by package name", () => {
  const cjs = spawnSync("node", ["-e", 'const c = require("custlab"); console.log(typeof c.Table, typeof c.initBackend, typeof c.maskPII)'], { cwd: root, encoding: "utf8" });
  expect(cjs.stdout.trim()).toBe("function function function");
  const esm = spawnSync("node", ["--input-type=module", "-e", 'import { Table, createRng } from "custlab"; console.log(new Table({ a: ["x"] }).numRows, createRng(1).int(10) >= 0)'], { cwd: root, encoding: "utf8" });
  expect(esm.stderr).toBe("");
  expect(esm.stdout.trim()).toBe("1 true");
});

it.runIf(built)("the CLI prints one-line errors, never a stack trace", () => {
  const r = spawnSync("node", ["dist/cli/main.js", "nope"], { cwd: root, encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('unknown command "nope"');
  const b = spawnSync("node", ["dist/cli/main.js", "backend", "--backend", "cuda"], { cwd: root, encoding: "utf8" });
  expect(b.status).toBe(1);
  expect(b.stderr.trim().split("\n")).toHaveLength(1);
  expect(b.stderr).toMatch(/^custlab: CUSTLAB_BACKEND=cuda: the tensorflow-gpu backend cannot start/);
});

it.runIf(built)("the backend layer reports why GPU routes were skipped", () => {
  const r = spawnSync("node", ["dist/cli/main.js", "backend", "--json"], { cwd: root, encoding: "utf8", env: { ...process.env, CUSTLAB_BACKEND: "" } });
  const info = JSON.parse(r.stdout);
  expect(["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"]).toContain(info.name);
  const skipped = info.attempts.filter((a: { ok: boolean }) => !a.ok);
  for (const s of skipped) expect(s.reason.length).toBeGreaterThan(10);
  if (info.name === "wasm") expect(skipped.map((s: { name: string }) => s.name)).toEqual(["tensorflow-gpu", "webgpu", "tensorflow"]);
});
