#!/usr/bin/env node
// Checks a project's production dependency tree (`npm ls --omit=dev --all --json`)
// against known critical/high npm advisories for packages that custlab's tree
// has carried or could carry. `npm audit` cannot be used where the registry
// mirror answers its bulk-advisory endpoint with 405, so the table below is
// kept by hand: add a row when an advisory appears for a package in the tree
// (`npm ls --omit=dev --all` lists them).
//
// Usage: node scripts/check-advisories.mjs [projectDir]   (default: this project)
// Prints one line per finding and exits 1 when there is any; exits 0 with a
// summary line otherwise.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** [package, vulnerable versions ("<x.y.z", ">=a <b", or "*"), severity, advisory] */
export const ADVISORIES = [
  ["form-data", "<2.5.4", "critical", "CVE-2025-7783 unsafe random boundary (via request, via danfojs-node)"],
  ["form-data", ">=3.0.0 <3.0.4", "critical", "CVE-2025-7783 unsafe random boundary"],
  ["form-data", ">=4.0.0 <4.0.4", "critical", "CVE-2025-7783 unsafe random boundary"],
  ["xlsx", "*", "high", "CVE-2023-30533 prototype pollution (<0.19.3) and CVE-2024-22363 ReDoS (<0.20.2); the npm registry has no fixed version"],
  ["request", "*", "moderate", "CVE-2023-28155 SSRF; unmaintained, pins form-data ~2.3.2 (critical)"],
  ["tough-cookie", "<4.1.3", "moderate", "CVE-2023-26136 prototype pollution (via request)"],
  ["node-fetch", "<2.6.7", "high", "CVE-2022-0235 cookie leak on redirect (tfjs-core uses node-fetch ~2.6.1)"],
  ["minimist", "<1.2.6", "critical", "CVE-2021-44906 prototype pollution"],
  ["ws", ">=8.0.0 <8.17.1", "high", "CVE-2024-37890 DoS with many headers"],
  ["semver", "<5.7.2", "high", "CVE-2022-25883 ReDoS"],
  ["semver", ">=6.0.0 <6.3.1", "high", "CVE-2022-25883 ReDoS"],
  ["semver", ">=7.0.0 <7.5.2", "high", "CVE-2022-25883 ReDoS"],
  ["d3-color", "<3.1.0", "high", "GHSA-36jr-mh4h-2g58 ReDoS (plotly.js)"],
  ["plotly.js", "<2.25.2", "high", "CVE-2023-46308 prototype pollution"],
  ["rollup", "<2.79.2", "high", "CVE-2024-47068 DOM clobbering XSS (plotly.js → glslify)"],
  ["protobufjs", "<6.11.4", "critical", "CVE-2023-36665 prototype pollution"],
  ["json5", "<1.0.2", "high", "CVE-2022-46175 prototype pollution"],
  ["minimatch", "<3.0.5", "high", "CVE-2022-3517 ReDoS"],
  ["ansi-regex", ">=3.0.0 <3.0.1", "high", "CVE-2021-3807 ReDoS"],
  ["ansi-regex", ">=4.0.0 <4.1.1", "high", "CVE-2021-3807 ReDoS"],
  ["ansi-regex", ">=5.0.0 <5.0.1", "high", "CVE-2021-3807 ReDoS"],
  ["cross-spawn", ">=7.0.0 <7.0.5", "high", "CVE-2024-21538 ReDoS"],
  ["braces", "<3.0.3", "high", "CVE-2024-4068 memory exhaustion"],
  ["tar", "<6.2.1", "high", "CVE-2024-28863 DoS; CVE-2021-37701 arbitrary file write"],
];

const parse = (v) => v.replace(/^[^\d]*/, "").split(/[.+-]/).slice(0, 3).map((x) => Number.parseInt(x, 10) || 0);
const cmp = (a, b) => { const x = parse(a), y = parse(b); for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; };
/** Whether version `v` is in `range` ("*", "<x", ">=a <b"). */
export function inRange(v, range) {
  if (range === "*") return true;
  return range.split(/\s+/).every((c) => {
    const m = /^(<=|>=|<|>)(.+)$/.exec(c);
    if (!m) throw new Error(`bad range ${range}`);
    const d = cmp(v, m[2]);
    return m[1] === "<" ? d < 0 : m[1] === "<=" ? d <= 0 : m[1] === ">" ? d > 0 : d >= 0;
  });
}

/** Every installed (name, version, path) of the production tree of `dir`. */
export function productionTree(dir) {
  let out;
  try { out = execFileSync("npm", ["ls", "--omit=dev", "--all", "--json"], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "ignore"] }); }
  catch (e) { out = e.stdout; } // npm ls exits 1 on peer/optional problems but still prints the tree
  const tree = JSON.parse(out);
  const found = [];
  const walk = (deps, trail) => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      if (!d || !d.version) continue;
      const here = [...trail, `${name}@${d.version}`];
      found.push({ name, version: d.version, path: here.join(" > ") });
      walk(d.dependencies, here);
    }
  };
  walk(tree.dependencies, []);
  return found;
}

/** Findings: installed packages matching a row of {@link ADVISORIES}. */
export function findAdvisories(dir) {
  const pkgs = productionTree(dir);
  const hits = [];
  for (const p of pkgs) for (const [name, range, severity, what] of ADVISORIES) {
    if (p.name === name && inRange(p.version, range)) hits.push({ ...p, severity, advisory: what });
  }
  return { packages: pkgs, hits };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));
  const { packages, hits } = findAdvisories(dir);
  for (const h of hits) console.log(`${h.severity}: ${h.name}@${h.version} (${h.advisory}) via ${h.path}`);
  const distinct = new Set(packages.map((p) => `${p.name}@${p.version}`)).size;
  console.log(`${hits.length} known advisories in the production tree of ${dir} (${distinct} distinct packages checked against ${ADVISORIES.length} advisory rows)`);
  process.exit(hits.length ? 1 : 0);
}
