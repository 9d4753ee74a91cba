/**
 * "Did you mean …?" for unknown names (options, flags, commands, columns).
 * Candidates are compared case-insensitively and without `_`/`-`, so
 * `learning_rate` finds `learningRate` and `--max-iter` finds `maxIter`; then
 * by Damerau–Levenshtein distance (adjacent swaps count 1), accepting at most
 * a third of the name's length (at least 1).
 */

const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, "");

/** Optimal-string-alignment distance (Levenshtein + adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const n = a.length, m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Int32Array(m + 1), prev = new Int32Array(m + 1), cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/**
 * The candidate closest to `name`, or undefined when none is close enough.
 *
 * @example
 * ```ts
 * import { suggest } from "custlab";
 * suggest("learning_rate", ["learningRate", "maxIter"]); // "learningRate"
 * suggest("zzz", ["learningRate", "maxIter"]);           // undefined
 * ```
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const n = norm(name);
  let best: string | undefined, bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(n, norm(c));
    if (d < bestD) { bestD = d; best = c; }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(n.length / 3)) ? best : undefined;
}

/**
 * `" (did you mean X?)"` for the closest candidate, or `""` when there is none:
 * ready to append to an error message. `prefix` goes before the name (`"--"` for CLI flags).
 *
 * @example
 * ```ts
 * import { didYouMean } from "custlab";
 * `unknown option "seeds"${didYouMean("seeds", ["seed", "k"])}`; // 'unknown option "seeds" (did you mean seed?)'
 * didYouMean("horizn", ["horizon", "cutoff"], "--");                 // " (did you mean --horizon?)" (prefix for flags)
 * ```
 */
export function didYouMean(name: string, candidates: Iterable<string>, prefix = ""): string {
  const s = suggest(name, candidates);
  return s === undefined ? "" : ` (did you mean ${prefix}${s}?)`;
}
