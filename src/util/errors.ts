/**
 * The one error type custlab throws for problems a user can fix (bad file,
 * missing column, bad option). The CLI prints `message` on one line and exits
 * non-zero; it never shows a stack trace for a CustlabError.
 * @example
 * ```ts
 * import { CustlabError } from "custlab";
 * const e = new CustlabError("E_MISSING_COLUMN", "no column 'price'", { file: "orders.csv", line: 1 });
 * e.message; // "orders.csv, line 1: no column 'price'"
 * e.code;    // "E_MISSING_COLUMN"
 * ```
 */
export class CustlabError extends Error {
  /** Machine-readable code, e.g. `E_MISSING_COLUMN`, `E_EMPTY_FILE`, `E_OPTION`. */
  readonly code: string;
  /** File the problem is in, when there is one. */
  readonly file?: string;
  /** 1-based physical line number, when known. */
  readonly line?: number;
  /** Column name (or 1-based index) the problem is in, when known. */
  readonly column?: string;

  constructor(code: string, message: string, where: { file?: string; line?: number; column?: string } = {}) {
    const loc = [where.file, where.line !== undefined ? `line ${where.line}` : undefined, where.column !== undefined ? `column ${where.column}` : undefined]
      .filter(Boolean)
      .join(", ");
    super(loc ? `${loc}: ${message}` : message);
    this.name = "CustlabError";
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/**
 * Throw a CustlabError for an invalid option value.
 *
 * @example
 * ```ts
 * import { optionError } from "custlab";
 * function checkK(k: number) {
 *   if (!(k >= 2)) optionError("k", `must be at least 2, got ${k}`);
 * }
 * checkK(1); // throws CustlabError E_OPTION "option k: must be at least 2, got 1"
 * ```
 */
export function optionError(name: string, message: string): never {
  throw new CustlabError("E_OPTION", `option ${name}: ${message}`);
}
