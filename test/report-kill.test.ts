// Issue #16 acceptance: kill -9 during `custlab report`, at 20 random moments.
// After each kill the output folder must hold one complete report, the old one
// or the new one: every file listed in custlab-manifest.json is there with its
// size and SHA-256, and nothing else. A small demo shop keeps each run short.
// CUSTLAB_FAST=1 skips it (about 2 minutes on 2 busy cores).
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import { readOutputFolder } from "../src/util/output";
import { createRng } from "../src/util/random";

const root = path.resolve(__dirname, "..");
const main = path.join(root, "dist/cli/main.js");

describe.skipIf(!!process.env.CUSTLAB_FAST)("report folder under kill -9 (CUSTLAB_FAST=1 skips it)", () => {
  it("20 kills at random moments: each time the folder holds one whole report, old or new", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-kill-"));
    const demo = spawnSync("node", [main, "demo", "--out", path.join(work, "shop"), "--customers", "300", "--json"], { encoding: "utf8" });
    expect(demo.status, demo.stderr).toBe(0);
    const out = path.join(work, "report");
    const args = (seed: number) => [main, "report", path.join(work, "shop/transactions.csv"), "--out", out, "--seed", String(seed)];
    const env = { ...process.env, CUSTLAB_SALT: "kill-test" };

    // the old report, and how long a run takes here
    const t0 = Date.now();
    const first = spawnSync("node", args(1), { encoding: "utf8", env });
    const T = Date.now() - t0;
    expect(first.status, first.stderr).toBe(0);
    let current = readOutputFolder(out)!;
    expect(current.complete, current.problems.join("; ")).toBe(true);

    const rng = createRng(16);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      // half the moments anywhere in a run, half in its last 30% (where the files are written)
      const at = Math.round(i % 2 === 0 ? rng.next() * 1.05 * T : (0.7 + rng.next() * 0.35) * T);
      const child = spawn("node", args(100 + i), { env, stdio: "ignore" });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
      const timer = setTimeout(() => child.kill("SIGKILL"), at);
      const e = await exited;
      clearTimeout(timer);
      const now = readOutputFolder(out);
      expect(now, `kill ${i} at ${at} ms: no manifest`).not.toBeNull();
      expect(now!.complete, `kill ${i} at ${at} ms: ${now!.problems.join("; ")}`).toBe(true);
      const which = now!.manifest.run === current.manifest.run ? "old" : "new";
      if (which === "new") expect(e.signal === "SIGKILL" || e.code === 0).toBe(true);
      outcomes.push(`${at}ms:${e.signal ? "killed" : "finished"}:${which}`);
      current = now!;
      // the files the report always writes are all there
      for (const f of ["index.html", "customers.csv", "summary.json", "topics.json"]) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    }
    console.log(`report run ${T} ms; 20 kills: ${outcomes.filter((o) => o.endsWith("old")).length} old report, ${outcomes.filter((o) => o.endsWith("new")).length} new report, ${outcomes.filter((o) => o.includes("killed")).length} killed before finishing\n  ${outcomes.join(" ")}`);
    expect(outcomes.filter((o) => o.includes("killed")).length).toBeGreaterThanOrEqual(10); // most moments fall inside a run
    // leftovers of killed runs are swept by the next write: one live run folder remains
    const last = spawnSync("node", args(999), { encoding: "utf8", env });
    expect(last.status, last.stderr).toBe(0);
    expect(fs.readdirSync(path.join(work, ".report.custlab"))).toHaveLength(1);
    expect(readOutputFolder(out)!.complete).toBe(true);
  }, 600_000);
});

describe("output folder writer under kill -9, at random moments of the write itself", () => {
  it("a process rewriting a 3-file folder (2 MB each) in a loop, killed 20 times: always one whole version", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-killw-"));
    const out = path.join(work, "folder");
    const script = path.join(work, "writer.js");
    fs.writeFileSync(script, `
const { writeOutputFolder } = require(${JSON.stringify(path.join(root, "dist/util/output.js"))});
const out = process.argv[2];
for (let v = 0; ; v++) {
  const big = String(v % 10).repeat(2 << 20);
  // version v: a.txt and b.txt always; c.txt only in even versions (stale files must go)
  writeOutputFolder(out, v % 2 ? { "a.txt": big, "b.txt": big } : { "a.txt": big, "b.txt": big, "c.txt": big });
}
`);
    const rng = createRng(7);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const child = spawn("node", [script, out], { stdio: "ignore" });
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      setTimeout(() => child.kill("SIGKILL"), 200 + Math.round(rng.next() * 1300));
      await exited;
      const r = readOutputFolder(out);
      if (r === null) { expect(fs.existsSync(out), "no folder yet is the only other state").toBe(false); seen.add("none yet"); continue; }
      expect(r.complete, `kill ${i}: ${r.problems.join("; ")}`).toBe(true);
      const names = r.manifest.files.map((f) => f.name).sort().join(",");
      expect(["a.txt,b.txt", "a.txt,b.txt,c.txt"]).toContain(names);
      seen.add(r.manifest.run);
    }
    console.log(`20 kills of the folder writer: ${seen.size} distinct complete versions seen, never a partial one`);
    expect(seen.size).toBeGreaterThan(2); // the kills landed in different versions, i.e. mid-way through the loop
    expect(fs.readdirSync(path.join(work, ".folder.custlab")).length).toBeLessThanOrEqual(3); // live run + at most the killed ones, swept next time
  }, 120_000);
});
