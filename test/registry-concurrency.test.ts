// Issue #16: concurrent registry writers never lose a version. Real child
// processes (node on dist/), a lock file with PID and time, a stale lock left
// by a process killed with SIGKILL recovered, and the temporary folder of that
// killed save removed at the next open.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import { ModelRegistry } from "../src/registry/registry";

const root = path.resolve(__dirname, "..");
const regModule = path.join(root, "dist/registry/registry.js");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "custlab-regc-"));

/** A child that saves `n` versions of model "m", each tagged with its writer. */
function writerScript(dir: string): string {
  const f = path.join(dir, "writer.js");
  fs.writeFileSync(f, `
const { ModelRegistry, registryFaults } = require(${JSON.stringify(regModule)});
const [regRoot, who, n, mode] = process.argv.slice(2);
const reg = new ModelRegistry(regRoot);
if (mode === "die-mid-save") registryFaults.beforeVersionRename = () => process.kill(process.pid, "SIGKILL");
for (let i = 0; i < Number(n); i++) {
  reg.save("m", { model: { toJSON: () => ({ who, i }) }, metrics: { i }, tags: { writer: who, i: String(i) } });
}
`);
  return f;
}

function run(script: string, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve) => {
    const p = spawn("node", [script, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code, signal) => resolve({ code, signal, err }));
  });
}

describe("model registry under concurrent writers", () => {
  it("two processes saving 20 versions each: all 40 listed, numbered 1..40, every artifact readable", async () => {
    const dir = tmp();
    const script = writerScript(dir);
    const regRoot = path.join(dir, "models");
    const [a, b] = await Promise.all([run(script, [regRoot, "A", "20"]), run(script, [regRoot, "B", "20"])]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const reg = new ModelRegistry(regRoot);
    const list = reg.list("m");
    expect(list.numRows).toBe(40);
    expect([...list.num("version")].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const seen = new Map<string, number[]>();
    for (let v = 1; v <= 40; v++) {
      const art = reg.artifact("m", v);
      expect(art.version).toBe(v);
      const w = art.tags!.writer;
      seen.set(w, [...(seen.get(w) ?? []), Number(art.tags!.i)]);
    }
    // each writer's 20 saves are all there, in its own order
    expect(seen.get("A")).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(seen.get("B")).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(fs.readdirSync(path.join(regRoot, "m")).filter((e) => e.startsWith("."))).toEqual([]); // no lock, no temporaries
  }, 120_000);

  it("a save killed with SIGKILL mid-way: its stale lock is recovered and its temporary folder is removed at the next open", async () => {
    const dir = tmp();
    const script = writerScript(dir);
    const regRoot = path.join(dir, "models");
    expect((await run(script, [regRoot, "A", "3"])).code).toBe(0);
    const killed = await run(script, [regRoot, "K", "1", "die-mid-save"]);
    expect(killed.signal).toBe("SIGKILL");
    const m = path.join(regRoot, "m");
    const lock = JSON.parse(fs.readFileSync(path.join(m, ".lock"), "utf8"));
    expect(lock.pid).toBeGreaterThan(0);
    expect(Math.abs(Date.now() - lock.time)).toBeLessThan(60_000);
    expect(fs.readdirSync(m).filter((e) => e.startsWith(".tmp-v"))).toHaveLength(1); // the killed save's folder
    const reg = new ModelRegistry(regRoot); // next open
    expect(fs.readdirSync(m).filter((e) => e.startsWith(".tmp-v"))).toEqual([]);
    const t0 = Date.now();
    const v = reg.save("m", { model: { toJSON: () => ({}) } });
    expect(Date.now() - t0).toBeLessThan(5_000); // no wait for a dead owner
    expect(v.version).toBe(4);
    expect(reg.list("m").numRows).toBe(4);
    expect(fs.existsSync(path.join(m, ".lock"))).toBe(false);
  }, 60_000);

  it("a lock held by a live process makes the other writer wait, not overwrite", async () => {
    const dir = tmp();
    const regRoot = path.join(dir, "models");
    const reg = new ModelRegistry(regRoot);
    reg.save("m", { model: { toJSON: () => ({}) } });
    // a live holder: a sleeping child process whose PID is in the lock
    const holder = spawn("node", ["-e", "setTimeout(() => {}, 1500)"]);
    const lockFile = path.join(regRoot, "m", ".lock");
    fs.writeFileSync(lockFile, JSON.stringify({ pid: holder.pid, host: os.hostname(), time: Date.now() }));
    holder.on("exit", () => { try { fs.unlinkSync(lockFile); } catch { /* taken */ } });
    const script = writerScript(dir);
    const t0 = Date.now();
    const r = await run(script, [regRoot, "W", "1"]);
    expect(r.code, r.err).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // it waited for the holder
    expect(new ModelRegistry(regRoot).list("m").numRows).toBe(2);
  }, 60_000);

  it("a lock left by a process that is gone is broken at once", () => {
    const dir = tmp();
    const regRoot = path.join(dir, "models");
    const reg = new ModelRegistry(regRoot);
    reg.save("m", { model: { toJSON: () => ({}) } });
    const dead = spawnSync("node", ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    fs.writeFileSync(path.join(regRoot, "m", ".lock"), JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), time: Date.now() }));
    reg.promote("m", 1);
    expect(reg.champion("m")).toBe(1);
  });
});
