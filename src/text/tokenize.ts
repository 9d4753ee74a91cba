/**
 * Tokenisers for English and Chinese review text, n-grams and negation scope.
 */
import { porterStem } from "./porter";
import { stripBom } from "./clean";
import { EN_STOPWORDS } from "./stopwords/en";
import { ZH_STOPWORDS } from "./stopwords/zh";

/** English negation cues that open a negation scope. */
export const EN_NEGATIONS: ReadonlySet<string> = new Set([
  "not", "no", "never", "nor", "none", "nobody", "nothing", "neither", "nowhere", "cannot", "without", "hardly", "barely", "scarcely",
  "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "can't", "couldn't", "won't", "wouldn't", "shouldn't",
  "hasn't", "haven't", "hadn't", "mustn't", "needn't", "ain't", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent",
  "cant", "couldnt", "wont", "wouldnt", "shouldnt", "hasnt", "havent", "hadnt",
]);

/** Chinese negators that open a negation scope. */
export const ZH_NEGATIONS: ReadonlySet<string> = new Set(["不", "没", "没有", "别", "未", "无", "非", "不是", "不太", "不够", "不怎么", "毫无", "并不", "绝不", "从不", "不会", "不能", "不要", "甭", "勿"]);

/** Options for {@link tokenizeEnglish}. */
export interface EnglishTokenizeOptions {
  /** Lower-case tokens. Default true. */
  lowercase?: boolean;
  /** Mark the `negationScope` tokens after a negation cue as `not_<token>`. Default false. */
  negation?: boolean;
  /** Tokens a negation cue covers (a clause boundary . , ; : ! ? ends it earlier). Default 3. */
  negationScope?: number;
  /** Porter-stem tokens. Default false. */
  stem?: boolean;
  /** Stopwords to drop (checked before stemming); `true` = {@link EN_STOPWORDS}. Default none. */
  stopwords?: ReadonlySet<string> | boolean;
  /** Drop tokens shorter than this many characters (emojis always kept). Default 1. */
  minLength?: number;
  /** Keep "!" and "?" as tokens. Default false. */
  keepPunctuation?: boolean;
}

const EN_TOKEN = /\p{Extended_Pictographic}|[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[.,;:!?]/gu;
const CLAUSE_END = /^[.,;:!?]$/;
const EMOJI = /^\p{Extended_Pictographic}$/u;

/**
 * Split English text into word tokens: letters/digits with inner apostrophes
 * ("don't" stays one token), emojis as their own tokens. Negation scope
 * marking turns "not good at all" into `not`, `not_good`, `not_at`, `not_all`.
 *
 * @param text input (BOMs are removed)
 * @param options see {@link EnglishTokenizeOptions}
 * @example
 * tokenizeEnglish("Not good, love it!", { negation: true }) // ["not", "not_good", "love", "it"]
 */
export function tokenizeEnglish(text: string, options: EnglishTokenizeOptions = {}): string[] {
  const lower = options.lowercase ?? true;
  const neg = options.negation ?? false;
  const scope = options.negationScope ?? 3;
  const stem = options.stem ?? false;
  const sw = options.stopwords === true ? EN_STOPWORDS : options.stopwords || null;
  const minLen = options.minLength ?? 1;
  const out: string[] = [];
  let left = 0;
  const raw = stripBom(text).match(EN_TOKEN) ?? [];
  for (let t of raw) {
    if (CLAUSE_END.test(t)) {
      left = 0;
      if (options.keepPunctuation && (t === "!" || t === "?")) out.push(t);
      continue;
    }
    t = t.replace(/’/g, "'");
    if (lower) t = t.toLowerCase();
    const lt = lower ? t : t.toLowerCase();
    if (EN_NEGATIONS.has(lt) || lt.endsWith("n't")) {
      if (!(sw && sw.has(lt))) out.push(t);
      left = neg ? scope : 0;
      continue;
    }
    const isEmoji = EMOJI.test(t);
    if (!isEmoji) {
      if (t.length < minLen) { if (left > 0) left--; continue; }
      if (sw && sw.has(lt)) { if (left > 0) left--; continue; }
      if (stem) t = porterStem(t);
    }
    if (left > 0) { out.push("not_" + t); left--; }
    else out.push(t);
  }
  return out;
}

let zhSegmenter: Intl.Segmenter | null = null;

/**
 * Segment Chinese text into words with `Intl.Segmenter('zh', {granularity: 'word'})`
 * (ICU's dictionary segmenter, no native add-on needed). Only word-like
 * segments (and emojis) are returned; Latin words inside are lower-cased.
 * @example segmentChinese("这件衣服质量很好") // ["这件", "衣服", "质量", "很", "好"]
 */
export function segmentChinese(text: string): string[] {
  zhSegmenter ??= new Intl.Segmenter("zh", { granularity: "word" });
  const out: string[] = [];
  for (const s of zhSegmenter.segment(stripBom(text))) {
    if (s.isWordLike) out.push(s.segment.toLowerCase());
    else if (EMOJI.test(s.segment)) out.push(s.segment);
    else if (/^[，。！？；：,.!?;:]+$/.test(s.segment)) out.push("\u0000"); // clause boundary marker (removed below)
  }
  return out;
}

/** Options for {@link tokenizeChinese}. */
export interface ChineseTokenizeOptions {
  /** Stopwords to drop; `true` = {@link ZH_STOPWORDS}. Default none. */
  stopwords?: ReadonlySet<string> | boolean;
  /** Mark the words after a negator (不/没/别…) as `不_<word>` up to the clause end. Default false. */
  negation?: boolean;
  /** Words a negator covers. Default 2. */
  negationScope?: number;
  /** Also emit character n-grams of each word with these lengths, e.g. [1, 2]. Default none. */
  charNgrams?: [number, number];
}

/**
 * Tokenise Chinese text: word segmentation ({@link segmentChinese}),
 * optional stopwords, negation marking and character n-grams of each word.
 * @example tokenizeChinese("质量不好", { negation: true }) // ["质量", "不", "不_好"]
 */
export function tokenizeChinese(text: string, options: ChineseTokenizeOptions = {}): string[] {
  const sw = options.stopwords === true ? ZH_STOPWORDS : options.stopwords || null;
  const neg = options.negation ?? false;
  const scope = options.negationScope ?? 2;
  const out: string[] = [];
  let left = 0;
  for (const w of segmentChinese(text)) {
    if (w === "\u0000") { left = 0; continue; }
    if (ZH_NEGATIONS.has(w)) { out.push(w); left = neg ? scope : 0; continue; }
    if (neg) {
      // the segmenter glues negators to what they negate ("不好", "没有用"): split them back
      const head = ZH_NEGATIONS.has(w.slice(0, 2)) && w.length > 2 ? w.slice(0, 2) : ZH_NEGATIONS.has(w[0]) && w.length > 1 ? w[0] : "";
      if (head) { out.push(head, "不_" + w.slice(head.length)); left = scope - 1; continue; }
    }
    if (sw && sw.has(w)) continue;
    out.push(left > 0 ? "不_" + w : w);
    if (left > 0) left--;
    if (options.charNgrams) {
      const chars = Array.from(w);
      if (chars.length > 1) for (const g of ngramsOf(chars, options.charNgrams[0], options.charNgrams[1], "")) if (g !== w) out.push(g);
    }
  }
  return out;
}

function ngramsOf(items: string[], min: number, max: number, sep: string): string[] {
  const out: string[] = [];
  for (let n = min; n <= max; n++) for (let i = 0; i + n <= items.length; i++) out.push(items.slice(i, i + n).join(sep));
  return out;
}

/**
 * Word n-grams of a token list, joined by a space — the order scikit-learn's
 * `_word_ngrams` uses (all unigrams first, then bigrams, ...).
 * @example wordNgrams(["not", "so", "good"], 1, 2) // ["not","so","good","not so","so good"]
 */
export function wordNgrams(tokens: string[], min = 1, max = 1): string[] {
  if (min === 1 && max === 1) return tokens;
  return ngramsOf(tokens, min, max, " ");
}

/**
 * Character n-grams. With `wordBoundary` (scikit-learn's `char_wb`) each
 * whitespace-separated word is padded with one space on each side and n-grams
 * never cross words; otherwise n-grams run over the whole text with runs of
 * whitespace collapsed (scikit-learn's `char`). Code points, not UTF-16 units.
 * @example charNgrams("ab", 1, 2, { wordBoundary: true }) // [" ","a","b"," "," a","ab","b "]
 */
export function charNgrams(text: string, min = 1, max = 3, options: { wordBoundary?: boolean } = {}): string[] {
  const out: string[] = [];
  if (options.wordBoundary) {
    const bmp = !/[\uD800-\uDFFF]/.test(text);
    for (const word of text.split(/\s+/)) {
      if (!word) continue;
      if (bmp) {
        // fast path: every code point is one UTF-16 unit
        const w = " " + word + " ";
        const L = w.length;
        for (let n = min; n <= max; n++) {
          let offset = 0;
          out.push(w.substring(0, n));
          while (offset + n < L) { offset++; out.push(w.substring(offset, offset + n)); }
          if (offset === 0) break;
        }
        continue;
      }
      const w = [" ", ...Array.from(word), " "];
      const L = w.length;
      for (let n = min; n <= max; n++) {
        let offset = 0;
        out.push(w.slice(0, n).join(""));
        while (offset + n < L) { offset++; out.push(w.slice(offset, offset + n).join("")); }
        if (offset === 0) break;
      }
    }
    return out;
  }
  const chars = Array.from(text.replace(/\s\s+/g, " "));
  return ngramsOf(chars, min, max, "");
}
