/**
 * The one error type custlab throws for problems a user can fix (bad file,
 * missing column, bad option). The CLI prints `message` on one line and exits
 * non-zero; it never shows a stack trace for a CustlabError.
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

/** Throw a CustlabError for an invalid option value. */
export function optionError(name: string, message: string): never {
  throw new CustlabError("E_OPTION", `option ${name}: ${message}`);
}
