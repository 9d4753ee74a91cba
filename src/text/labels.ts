/**
 * Sentiment labels from star ratings or a label column.
 */
import { CustlabError } from "../util/errors";

/** Sentiment class names by code, for 2 and 3 classes. */
export const SENTIMENT_CLASSES: { 2: readonly string[]; 3: readonly string[] } = {
  2: ["negative", "positive"],
  3: ["negative", "neutral", "positive"],
};

/** Options for {@link sentimentLabelsFromRatings}. */
export interface RatingLabelOptions {
  /** 2 (negative / positive) or 3 (negative ≤ 2, neutral 3, positive ≥ 4). Default 2. */
  classes?: 2 | 3;
  /** For 2 classes: positive when rating ≥ threshold. Default 4. */
  threshold?: number;
  /** For 3 classes: ratings ≤ this are negative. Default 2. */
  negativeMax?: number;
  /** For 3 classes: ratings ≥ this are positive. Default 4. */
  positiveMin?: number;
}

/**
 * Class codes from ratings: 2 classes → 1 when rating ≥ threshold else 0;
 * 3 classes → 0 negative (≤ 2), 1 neutral (3), 2 positive (≥ 4). NaN ratings
 * give −1 (drop those rows).
 * @example sentimentLabelsFromRatings([5, 3, 1]) // Int32Array [1, 0, 0]
 * @example sentimentLabelsFromRatings([5, 3, 1], { classes: 3 }) // Int32Array [2, 1, 0]
 */
export function sentimentLabelsFromRatings(ratings: ArrayLike<number>, options: RatingLabelOptions = {}): Int32Array {
  const k = options.classes ?? 2;
  const thr = options.threshold ?? 4, nmax = options.negativeMax ?? 2, pmin = options.positiveMin ?? 4;
  const out = new Int32Array(ratings.length);
  for (let i = 0; i < ratings.length; i++) {
    const r = ratings[i];
    if (!Number.isFinite(r)) { out[i] = -1; continue; }
    if (k === 2) out[i] = r >= thr ? 1 : 0;
    else out[i] = r <= nmax ? 0 : r >= pmin ? 2 : 1;
  }
  return out;
}

/** A parsed `--label` spec: a column, and for ratings a comparison. */
export interface LabelSpec {
  column: string;
  /** Present for "Rating>=4"-style specs. */
  op?: ">=" | ">" | "<=" | "<" | "==";
  threshold?: number;
}

/**
 * Parse "Rating>=4" (positive when the column compares true) or "label"
 * (a 0/1 column, or negative/positive text).
 * @example parseLabelSpec("Rating>=4") // { column: "Rating", op: ">=", threshold: 4 }
 */
export function parseLabelSpec(spec: string): LabelSpec {
  const m = /^(.+?)\s*(>=|<=|==|>|<|=)\s*(-?[\d.]+)$/.exec(spec.trim());
  if (m) {
    const thr = Number(m[3]);
    if (!Number.isFinite(thr)) throw new CustlabError("E_OPTION", `option --label: "${m[3]}" is not a number`);
    return { column: m[1].trim(), op: (m[2] === "=" ? ">=" : m[2]) as LabelSpec["op"], threshold: thr };
  }
  if (!spec.trim()) throw new CustlabError("E_OPTION", "option --label: empty");
  return { column: spec.trim() };
}

/**
 * Apply a {@link LabelSpec} to raw column values: 1/0, or −1 for a missing or
 * unreadable value. Label columns accept 0/1, true/false, pos/neg, positive/negative.
 * @example
 * applyLabelSpec(["5", "2", ""], parseLabelSpec("Rating>=4")); // Int32Array [1, 0, -1]
 */
export function applyLabelSpec(values: ArrayLike<string | number>, spec: LabelSpec, where: { file?: string } = {}): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    const s = typeof raw === "number" ? String(raw) : (raw ?? "").trim();
    if (s === "" || s.toLowerCase() === "nan") { out[i] = -1; continue; }
    if (spec.op) {
      const v = Number(s);
      if (!Number.isFinite(v)) throw new CustlabError("E_LABEL", `"${s}" is not a number`, { file: where.file, line: i + 2, column: spec.column });
      const t = spec.threshold!;
      out[i] = (spec.op === ">=" ? v >= t : spec.op === ">" ? v > t : spec.op === "<=" ? v <= t : spec.op === "<" ? v < t : v === t) ? 1 : 0;
      continue;
    }
    const l = s.toLowerCase();
    if (l === "1" || l === "true" || l === "pos" || l === "positive") out[i] = 1;
    else if (l === "0" || l === "false" || l === "neg" || l === "negative") out[i] = 0;
    else throw new CustlabError("E_LABEL", `label "${s}" is not 0/1 (use --label <rating column>>=4 for ratings)`, { file: where.file, line: i + 2, column: spec.column });
  }
  return out;
}
