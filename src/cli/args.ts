import { CustlabError } from "../util/errors";
import { didYouMean } from "../util/suggest";

/** Parsed command line: positionals plus `--name value` / `--flag` options (`string[]` for repeatable ones). */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[]>;
}

/** How an option is read: one value, a flag, or a repeatable value collected into a list. */
export type OptionKind = "string" | "boolean" | "strings";

/**
 * Parse argv against a declared option list. `spec` maps option names (without
 * dashes) to "string", "boolean" or "strings" (repeatable: every occurrence is
 * kept, in order, as a `string[]`). Unknown options and missing values are a
 * CustlabError (printed as one line by the CLI).
 */
export function parseArgs(argv: string[], spec: Record<string, OptionKind>): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | boolean | string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      let name = a.slice(2);
      let value: string | undefined;
      const eq = name.indexOf("=");
      if (eq >= 0) { value = name.slice(eq + 1); name = name.slice(0, eq); }
      const kind = spec[name];
      if (!kind) throw new CustlabError("E_USAGE", `unknown option --${name}${didYouMean(name, Object.keys(spec), "--")} (known: ${Object.keys(spec).map((k) => "--" + k).join(", ")})`);
      if (kind === "boolean") { options[name] = value === undefined ? true : value !== "false"; continue; }
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new CustlabError("E_USAGE", `option --${name} needs a value`);
      }
      if (kind === "strings") { const prev = options[name]; options[name] = Array.isArray(prev) ? [...prev, value] : [value]; }
      else options[name] = value;
    } else positionals.push(a);
  }
  return { positionals, options };
}

/** A numeric option value, or the default; a CustlabError when not a number. */
export function numOpt(o: ParsedArgs["options"], name: string, dflt: number): number {
  const v = o[name];
  if (v === undefined || typeof v === "boolean") return dflt;
  const n = Number(Array.isArray(v) ? v[v.length - 1] : v);
  if (!Number.isFinite(n)) throw new CustlabError("E_USAGE", `option --${name} must be a number, got "${v}"`);
  return n;
}

/**
 * A numeric option checked against bounds: `min`/`max` inclusive, `above` exclusive
 * (`{ above: 0 }` means > 0), `integer` for whole numbers. A CustlabError (E_OPTION) names the option and the rule.
 */
export function checkedNumOpt(o: ParsedArgs["options"], name: string, dflt: number, rule: { above?: number; min?: number; max?: number; integer?: boolean }): number {
  const n = numOpt(o, name, dflt);
  const want = [rule.integer ? "a whole number" : "a number", rule.above !== undefined ? `> ${rule.above}` : "", rule.min !== undefined ? `≥ ${rule.min}` : "", rule.max !== undefined ? `≤ ${rule.max}` : ""].filter(Boolean).join(" ");
  if ((rule.integer && !Number.isInteger(n)) || (rule.above !== undefined && !(n > rule.above)) || (rule.min !== undefined && !(n >= rule.min)) || (rule.max !== undefined && !(n <= rule.max))) {
    throw new CustlabError("E_OPTION", `option --${name} must be ${want}, got ${o[name]}`);
  }
  return n;
}

/** A string option value, or the default. */
export function strOpt(o: ParsedArgs["options"], name: string, dflt?: string): string | undefined {
  const v = o[name];
  return typeof v === "string" ? v : Array.isArray(v) && v.length ? v[v.length - 1] : dflt;
}

/** Print one JSON object to stdout (NaN/Infinity → null, except Infinity kept as the string "inf"). */
export function printJSON(obj: unknown): void {
  process.stdout.write(JSON.stringify(obj, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? null : v > 0 ? "inf" : "-inf") : v), 2) + "\n");
}

/** One line for stderr: how many input rows were quarantined and why, e.g. `"3 rows quarantined (ragged_row 2, invalid_utf8 1)\n"`. */
export function quarantineNote(n: number, reasons: Record<string, number>): string {
  return `${n} row${n === 1 ? "" : "s"} quarantined (${Object.entries(reasons).map(([r, c]) => `${r} ${c}`).join(", ")})\n`;
}

/**
 * Rows a command left out on purpose (e.g. an empty text), counted per reason
 * with the first few source lines, so that no row disappears unreported.
 */
export interface SkippedRows {
  /** Skipped rows per reason, e.g. `{ empty_text: 1 }`. */
  counts: Record<string, number>;
  /** Source line numbers of the first skipped rows (at most 20). */
  first_lines: number[];
}

/** Starts an empty {@link SkippedRows} record; `add(reason, line)` counts one row. */
export function skippedRows(): SkippedRows & { add(reason: string, line: number): void; total(): number } {
  const counts: Record<string, number> = {}, first_lines: number[] = [];
  return {
    counts, first_lines,
    add(reason: string, line: number) { counts[reason] = (counts[reason] ?? 0) + 1; if (first_lines.length < 20) first_lines.push(line); },
    total() { return Object.values(counts).reduce((a, b) => a + b, 0); },
  };
}

/** One line for stderr naming the skipped rows, e.g. `"1 row skipped (empty_text 1; line 4507)\n"`; empty when none. */
export function skippedNote(s: SkippedRows): string {
  const n = Object.values(s.counts).reduce((a, b) => a + b, 0);
  if (n === 0) return "";
  const more = n > s.first_lines.length ? ", …" : "";
  return `${n} row${n === 1 ? "" : "s"} skipped (${Object.entries(s.counts).map(([r, c]) => `${r} ${c}`).join(", ")}; line${s.first_lines.length === 1 ? "" : "s"} ${s.first_lines.join(", ")}${more})\n`;
}
