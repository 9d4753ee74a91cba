// Blank lines on the duckdb engine's load (issue 19): scanLines (one pass over line feeds and quotes,
// run while DuckDB reads) against custlab's tokenizer reading the whole file again (what the load
// did when a line looked blank). Alternating rounds, CPU s of this process; both must find the same
// blank lines. Make a test file with one blank line, e.g.
//   awk 'NR==2700000{print ""} {print}' /tmp/custlab-scale/online_retail_x10.csv > /tmp/blank-x10.csv
// Usage: nice -n 5 npx tsx bench/blank-lines.ts /tmp/blank-x10.csv [--rounds 5]
import { blankLines, scanLines } from "../src/engine/duckdb";

const args = process.argv.slice(2);
const ri = args.indexOf("--rounds");
const rounds = ri >= 0 ? Number(args[ri + 1]) : 5;
const file = args.find((a, i) => !a.startsWith("--") && (ri < 0 || i !== ri + 1));
if (!file) { console.error("usage: npx tsx bench/blank-lines.ts <file.csv> [--rounds 5]"); process.exit(1); }

const cpu = <T>(f: () => T): [number, T] => { const c0 = process.cpuUsage(); const r = f(); const c = process.cpuUsage(c0); return [(c.user + c.system) / 1e6, r]; };
const scan: number[] = [], tok: number[] = [];
for (let r = 0; r < rounds; r++) {
  const [a, s] = cpu(() => scanLines(file, ","));
  const [b, t] = cpu(() => blankLines(file, ","));
  if (JSON.stringify(s.blanks) !== JSON.stringify(t)) throw new Error(`different blank lines: ${JSON.stringify(s.blanks)} vs ${JSON.stringify(t)}`);
  scan.push(a); tok.push(b);
  console.log(`round ${r}: scanLines ${a.toFixed(3)} CPU s (${s.lines} lines, ${s.blanks?.length} blank), tokenizer ${b.toFixed(3)} CPU s`);
}
console.log(`best of ${rounds}: scanLines ${Math.min(...scan).toFixed(3)} CPU s, tokenizer's whole-file read ${Math.min(...tok).toFixed(3)} CPU s (${(Math.min(...tok) / Math.min(...scan)).toFixed(1)}×)`);
