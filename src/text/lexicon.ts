/**
 * Lexicon sentiment scoring: a VADER-style scorer for English (Hutto &
 * Gilbert 2014 rules: valence lexicon, negation within 3 words, boosters and
 * dampeners, CAPS emphasis, "but" clauses, "!" and "?" emphasis, normalised
 * compound) and a rule scorer for Chinese (segmented words, negators
 * 不/没/别…, degree adverbs 很/非常/太…, 但是 clauses). Both return a
 * compound score in −1 … 1 and a label with a neutral band.
 */
import { estimatorJSON, readEstimatorJSON, registerEstimator, resolveOptions, specDefaults, type Estimator, type OptionSpec, type Resolved } from "../util/estimator";
import { CustlabError } from "../util/errors";
import { cleanText, detectLanguage } from "./clean";
import { segmentChinese } from "./tokenize";
import { EN_BOOSTERS, EN_LEXICON, EN_NEGATE } from "./lexicon-en";
import { ZH_BUT, ZH_DEGREE, ZH_LEXICON, ZH_NEGATORS } from "./lexicon-zh";

/** A lexicon score for one text. */
export interface LexiconScore {
  /** Normalised sum of valences, −1 … 1 (s / √(s² + 15)). */
  compound: number;
  /** Share of positive, negative and neutral mass (VADER's pos/neg/neu), each 0 … 1. */
  pos: number;
  neg: number;
  neu: number;
  /** "positive" when compound ≥ band, "negative" when ≤ −band, else "neutral". */
  label: "positive" | "neutral" | "negative";
  /** Sentiment words that contributed (for explanations). */
  hits: string[];
}

/** Options for the lexicon scorers. */
export interface LexiconOptions {
  /** Half-width of the neutral band on the compound score. Default 0.05 (VADER's). */
  neutralBand?: number;
  /** Extra or overriding entries (word → valence, −4 … 4). */
  extra?: Record<string, number>;
}

const B_INCR = 0.293, C_INCR = 0.733, N_SCALAR = -0.74, ALPHA = 15;

function normalize(s: number): number {
  const v = s / Math.sqrt(s * s + ALPHA);
  return v < -1 ? -1 : v > 1 ? 1 : v;
}

function finish(sentiments: number[], text: string, hits: string[], band: number, emphasis: boolean): LexiconScore {
  let sum = 0;
  for (const v of sentiments) sum += v;
  if (emphasis && sentiments.length) {
    const ep = Math.min((text.match(/!|！/g) ?? []).length, 4) * 0.292;
    const qc = (text.match(/\?|？/g) ?? []).length;
    const qm = qc > 1 ? (qc <= 3 ? qc * 0.18 : 0.96) : 0;
    const add = ep + qm;
    if (sum > 0) sum += add; else if (sum < 0) sum -= add;
  }
  const compound = sentiments.length ? normalize(sum) : 0;
  let p = 0, n = 0, neu = 0;
  for (const v of sentiments) { if (v > 0) p += v + 1; else if (v < 0) n += v - 1; else neu += 1; }
  const tot = p + Math.abs(n) + neu;
  const label = compound >= band ? "positive" : compound <= -band ? "negative" : "neutral";
  return { compound, pos: tot ? p / tot : 0, neg: tot ? Math.abs(n) / tot : 0, neu: tot ? neu / tot : 1, label, hits };
}

const PUNCT_EDGE = /^[^\p{L}\p{N}\p{Extended_Pictographic}']+|[^\p{L}\p{N}\p{Extended_Pictographic}']+$/gu;

/**
 * Score English text the VADER way. Returns the compound score (−1 … 1),
 * pos/neg/neu shares and a label ("neutral" inside ±`neutralBand`).
 * @example scoreSentimentEn("The fabric is NOT good, but the fit is great!!").compound // > 0
 * @example scoreSentimentEn("Not flattering at all. Returned it.").label // "negative"
 */
export function scoreSentimentEn(text: string, options: LexiconOptions = {}): LexiconScore {
  const band = options.neutralBand ?? 0.05;
  const t = cleanText(text ?? "", { nfkc: true });
  // tokens: whitespace split, emojis split out, edge punctuation stripped
  const raw: string[] = [];
  for (const piece of t.split(/\s+/)) {
    if (!piece) continue;
    for (const part of piece.split(/(\p{Extended_Pictographic}\uFE0F?)/u)) {
      if (!part) continue;
      const s = part.replace(PUNCT_EDGE, "");
      if (s.length > 1 || /\p{Extended_Pictographic}/u.test(s) || /^[ia]$/i.test(s)) raw.push(s);
    }
  }
  const lex = options.extra ? new Map([...EN_LEXICON, ...Object.entries(options.extra)]) : EN_LEXICON;
  // merge hyphenated lexicon phrases written as two words ("fell apart", "see through")
  const words: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (i + 1 < raw.length && lex.has((raw[i] + "-" + raw[i + 1]).toLowerCase())) { words.push(raw[i] + "-" + raw[i + 1]); i++; }
    else words.push(raw[i]);
  }
  const lower = words.map((w) => w.toLowerCase().replace(/’/g, "'"));
  const isUpper = (w: string) => /\p{L}/u.test(w) && w === w.toUpperCase() && w !== w.toLowerCase();
  const upperCount = words.filter(isUpper).length;
  const capDiff = upperCount > 0 && upperCount < words.length;
  const negated = (w: string) => EN_NEGATE.has(w) || w.endsWith("n't");
  const sentiments: number[] = [];
  const hits: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const lw = lower[i];
    let valence = 0;
    if (EN_BOOSTERS.has(lw) || (lw === "kind" && lower[i + 1] === "of")) { sentiments.push(0); continue; }
    const base = lex.get(lw);
    if (base === undefined) { sentiments.push(0); continue; }
    valence = base;
    hits.push(lw);
    if (capDiff && isUpper(words[i])) valence += valence > 0 ? C_INCR : -C_INCR;
    for (let s = 0; s < 3; s++) {
      const j = i - (s + 1);
      if (j < 0) break;
      if (!lex.has(lower[j])) {
        const b = EN_BOOSTERS.get(lower[j]);
        if (b !== undefined) {
          let inc = valence < 0 ? -b : b;
          if (capDiff && isUpper(words[j])) inc += valence > 0 ? C_INCR : -C_INCR;
          if (s === 1) inc *= 0.95; else if (s === 2) inc *= 0.9;
          valence += inc;
        }
        // negation check for this distance
        if (s === 0 && negated(lower[j])) valence *= N_SCALAR;
        else if (s === 1) {
          if (lower[j] === "never" && (lower[j + 1] === "so" || lower[j + 1] === "this")) valence *= 1.25;
          else if (!(lower[j] === "without" && lower[j + 1] === "doubt") && negated(lower[j])) valence *= N_SCALAR;
        } else if (s === 2) {
          if (lower[j] === "never" && (["so", "this"].includes(lower[j + 1]) || ["so", "this"].includes(lower[j + 2]))) valence *= 1.25;
          else if (!(lower[j] === "without" && (lower[j + 1] === "doubt" || lower[j + 2] === "doubt")) && negated(lower[j])) valence *= N_SCALAR;
        }
      }
    }
    if (i > 0 && lower[i - 1] === "least" && !(i > 1 && (lower[i - 2] === "at" || lower[i - 2] === "very"))) valence *= N_SCALAR;
    sentiments.push(valence);
  }
  // "but": words before count half, words after 1.5×
  const bi = lower.indexOf("but");
  if (bi >= 0) for (let k = 0; k < sentiments.length; k++) sentiments[k] *= k < bi ? 0.5 : k > bi ? 1.5 : 1;
  return finish(sentiments.filter((_v, k) => lex.has(lower[k]) || sentiments[k] !== 0), t, hits, band, true);
}

/**
 * Score Chinese text: words from `Intl.Segmenter`, lexicon weights, degree
 * adverbs (很/非常/太 multiply), negators (不/没/别 flip, ×−0.74) up to three
 * words back within the clause, 但是/可是/不过 clauses (before ×0.5, after
 * ×1.5), "！" emphasis. Words glued to a negator or degree adverb by the
 * segmenter ("不好", "很满意") are split back.
 * @example scoreSentimentZh("质量很好，物流也快").label // "positive"
 * @example scoreSentimentZh("不太满意，质量一般").compound // < 0.3
 */
export function scoreSentimentZh(text: string, options: LexiconOptions = {}): LexiconScore {
  const band = options.neutralBand ?? 0.05;
  const lex = options.extra ? new Map([...ZH_LEXICON, ...Object.entries(options.extra)]) : ZH_LEXICON;
  const t = cleanText(text ?? "");
  const seg = segmentChinese(t);
  // expand glued prefixes: 不好 → 不 好, 很满意 → 很 满意
  const words: string[] = [];
  for (const w of seg) {
    if (w === "\u0000" || lex.has(w) || ZH_NEGATORS.has(w) || ZH_DEGREE.has(w)) { words.push(w); continue; }
    const chars = Array.from(w);
    let done = false;
    for (const cut of [1, 2]) {
      if (chars.length <= cut) break;
      const head = chars.slice(0, cut).join(""), tail = chars.slice(cut).join("");
      if ((ZH_NEGATORS.has(head) || ZH_DEGREE.has(head)) && lex.has(tail)) { words.push(head, tail); done = true; break; }
    }
    if (!done) words.push(w);
  }
  const sentiments: number[] = [];
  const hits: string[] = [];
  let butAt = -1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (ZH_BUT.has(w) && butAt < 0 && i > 0) butAt = sentiments.length;
    const base = lex.get(w);
    if (base === undefined) continue;
    hits.push(w);
    let v = base;
    let negs = 0;
    for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
      const p = words[j];
      if (p === "\u0000" || lex.has(p)) break;
      if (ZH_NEGATORS.has(p)) negs++;
      const d = ZH_DEGREE.get(p);
      if (d !== undefined) v *= negs > 0 && d > 1 ? 1 / d : d; // 太不好 vs 不太好
    }
    if (negs % 2 === 1) v *= N_SCALAR;
    sentiments.push(v);
  }
  if (butAt > 0) for (let k = 0; k < sentiments.length; k++) sentiments[k] *= k < butAt ? 0.5 : 1.5;
  return finish(sentiments, t, hits, band, true);
}

/**
 * Score one text with the lexicon for `lang` ("auto" detects by Han share).
 * @example scoreSentiment("质量很好", "auto").label // "positive"
 */
export function scoreSentiment(text: string, lang: "en" | "zh" | "auto" = "auto", options: LexiconOptions = {}): LexiconScore {
  const l = lang === "auto" ? detectLanguage(text ?? "") : lang;
  if (l === "en") return scoreSentimentEn(text, options);
  if (l === "zh") return scoreSentimentZh(text, options);
  throw new CustlabError("E_OPTION", `option lang: "${lang}" is not en, zh or auto`);
}

/** Options for {@link LexiconSentiment}. */
export interface LexiconSentimentOptions extends LexiconOptions {
  /** Language of the texts. Default "auto" (per text). */
  lang?: "en" | "zh" | "auto";
}

/**
 * The lexicon scorer as an estimator with nothing to learn (stateless, like
 * scikit-learn's `FunctionTransformer`: usable without `fit`): `predictProba`
 * gives the n × 2 matrix [1 − P, P] with P = (compound + 1) / 2, so it can be
 * ranked (AUC) beside trained models. `fit` is a no-op kept for the estimator contract.
 * @example positiveProba(new LexiconSentiment({ lang: "en" }), ["love it", "hate it"]) // [~0.8, ~0.2]
 */
export class LexiconSentiment implements Estimator<ArrayLike<string>, ArrayLike<number>> {
  /** Option defaults and constraints. */
  static readonly spec: OptionSpec<LexiconSentimentOptions> = {
    lang: { default: "auto", oneOf: ["en", "zh", "auto"] },
    neutralBand: { default: 0.05, min: 0, max: 1 },
    extra: { default: undefined, type: "object", check: (v) => (Object.values(v ?? {}).every((x) => typeof x === "number" && x >= -4 && x <= 4) ? undefined : "valences must be numbers in [−4, 4]") },
  };
  /** The defaults (resolved at construction). */
  static readonly defaults = specDefaults(LexiconSentiment.spec);
  readonly options: Resolved<LexiconSentimentOptions>;
  constructor(options: LexiconSentimentOptions = {}) { this.options = resolveOptions("LexiconSentiment", LexiconSentiment.spec, options); }
  /** No-op (a lexicon learns nothing); returns this. */
  fit(_texts?: ArrayLike<string>, _y?: ArrayLike<number>): this { return this; }
  /** Per-text scores. */
  score(texts: ArrayLike<string>): LexiconScore[] {
    const out: LexiconScore[] = [];
    for (let i = 0; i < texts.length; i++) out.push(scoreSentiment(texts[i], this.options.lang ?? "auto", this.options));
    return out;
  }
  /** n × 2 probabilities [1 − P, P], P(positive) proxy P = (compound + 1) / 2. */
  predictProba(texts: ArrayLike<string>): Float64Array {
    const out = new Float64Array(2 * texts.length);
    for (let i = 0; i < texts.length; i++) {
      const p = (scoreSentiment(texts[i], this.options.lang, this.options).compound + 1) / 2;
      out[2 * i] = 1 - p; out[2 * i + 1] = p;
    }
    return out;
  }
  /** 1 when compound ≥ 0 (positive or neutral-leaning), else 0. */
  predict(texts: ArrayLike<string>): Int32Array {
    const p = this.predictProba(texts);
    return Int32Array.from({ length: texts.length }, (_, i) => (p[2 * i + 1] >= 0.5 ? 1 : 0));
  }
  /** `{ type, version, options, state }` (the state is empty: nothing is learned). */
  toJSON() { return estimatorJSON("LexiconSentiment", 1, this.options, {}); }
  /** Restore from {@link LexiconSentiment.toJSON}. */
  static fromJSON(json: unknown): LexiconSentiment { return new LexiconSentiment(readEstimatorJSON(json, "LexiconSentiment", 1).options); }
}

registerEstimator("LexiconSentiment", LexiconSentiment);
