// The default production dependency tree carries no package with a known
// critical/high advisory (issue #17). `npm audit` answers 405 from this
// registry, so scripts/check-advisories.mjs walks `npm ls --omit=dev --all`
// against a hand-kept advisory table; here it runs on this project and on
// planted trees (a checker that flags nothing proves nothing).
import { describe, it, expect } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const script = path.join(root, "scripts", "check-advisories.mjs");
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const check = (dir: string) => spawnSync("node", [script, dir], { env, encoding: "utf8", timeout: 120_000 });

/** A project whose node_modules holds the given packages (no install, no network: npm ls reads what is there). */
function plantedProject(deps: Record<string, string>, devDeps: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-advisories-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "planted", version: "1.0.0", dependencies: deps, devDependencies: devDeps }));
  for (const [name, version] of Object.entries({ ...deps, ...devDeps })) {
    fs.mkdirSync(path.join(dir, "node_modules", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
  }
  return dir;
}

describe("known advisories in the production dependency tree", () => {
  it("this project's production tree (npm ls --omit=dev) has none: no danfojs-node, request, form-data < 2.5.4 or xlsx", () => {
    const r = check(root);
    expect(r.stdout).toMatch(/^0 known advisories in the production tree/m);
    expect(r.status).toBe(0);
    const ls = spawnSync("npm", ["ls", "--omit=dev", "--all", "--parseable", "--long"], { cwd: root, env, encoding: "utf8", maxBuffer: 64 << 20 });
    const pkgs = new Set(ls.stdout.split("\n").map((l) => l.split(":")[1]).filter(Boolean).map((p) => p.replace(/@[^@]+$/, "")));
    expect(pkgs.size).toBeGreaterThan(50);
    for (const p of ["danfojs-node", "request", "xlsx", "tough-cookie"]) expect(pkgs.has(p), p).toBe(false);
  }, 120_000);

  it("flags planted vulnerable versions with their severity and path, and passes the fixed ones", () => {
    const bad = plantedProject({ "form-data": "2.3.3", xlsx: "0.18.5", "node-fetch": "2.6.1", minimist: "1.2.5", ws: "8.17.0", semver: "7.5.1" });
    const good = plantedProject({ "form-data": "4.0.4", "node-fetch": "2.6.7", minimist: "1.2.6", ws: "8.17.1", semver: "7.5.2" }, { xlsx: "0.18.5" });
    try {
      const r = check(bad);
      expect(r.status).toBe(1);
      const lines = r.stdout.trim().split("\n");
      expect(lines.pop()).toMatch(/^6 known advisories/);
      expect(lines.sort()).toEqual([
        expect.stringMatching(/^critical: form-data@2\.3\.3 \(CVE-2025-7783/),
        expect.stringMatching(/^critical: minimist@1\.2\.5 \(CVE-2021-44906/),
        expect.stringMatching(/^high: node-fetch@2\.6\.1 \(CVE-2022-0235/),
        expect.stringMatching(/^high: semver@7\.5\.1 \(CVE-2022-25883/),
        expect.stringMatching(/^high: ws@8\.17\.0 \(CVE-2024-37890/),
        expect.stringMatching(/^high: xlsx@0\.18\.5 \(CVE-2023-30533/),
      ]);
      // Fixed versions pass, and a devDependency is not part of the production tree.
      const g = check(good);
      expect(g.stdout).toMatch(/^0 known advisories/m);
      expect(g.status).toBe(0);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
      fs.rmSync(good, { recursive: true, force: true });
    }
  }, 120_000);
});
