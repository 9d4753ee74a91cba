/**
 * Text cleaning that keeps what carries sentiment: emojis, emoticons,
 * negations ("don't", "isn't", 不/没) and emphasis (!, CAPS) survive; BOMs,
 * HTML entities, URLs and control characters do not.
 */

/** Options for {@link cleanText}. */
export interface CleanTextOptions {
  /** Unicode NFKC normalisation (full-width ASCII and punctuation → half-width). Default true. */
  nfkc?: boolean;
  /** Replace URLs with a space. Default true. */
  stripUrls?: boolean;
  /** Decode the common HTML entities (&amp; &quot; &#39; &lt; &gt; &nbsp;). Default true. */
  decodeEntities?: boolean;
  /** Lower-case the text (CAPS emphasis is lost). Default false. */
  lowercase?: boolean;
  /** Map ASCII emoticons to emoji (":)" → "🙂", ":(" → "🙁") so tokenisers keep them. Default true. */
  emoticons?: boolean;
}

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">", nbsp: " ", "#39": "'" };
const EMOTICONS: [RegExp, string][] = [
  [/(^|\s)[:;=]-?[)\]D]+(?=\s|$)/g, "$1🙂"],
  [/(^|\s)[:;=]-?[(\[]+(?=\s|$)/g, "$1🙁"],
  [/(^|\s)<3+(?=\s|$)/g, "$1❤"],
];

/**
 * Remove byte-order marks (U+FEFF) anywhere in a string — the Chinese
 * shopping reviews start with a stray one on some rows — plus zero-width
 * spaces and joiners outside emoji sequences.
 * @example stripBom("\uFEFF很好") // "很好"
 */
export function stripBom(s: string): string {
  return s.indexOf("\uFEFF") >= 0 || s.indexOf("\u200B") >= 0 ? s.replace(/[\uFEFF\u200B]/g, "") : s;
}

/**
 * Clean one review text. Emojis, negations and punctuation are kept (the
 * tokenisers and the lexicon scorer use them); BOMs, URLs, HTML entities and
 * control characters go; whitespace is collapsed.
 *
 * @param text the raw text ("" for missing)
 * @param options see {@link CleanTextOptions}; defaults: nfkc, stripUrls,
 *   decodeEntities, emoticons all true, lowercase false
 * @example
 * cleanText("\uFEFFI don&#39;t love it :(  http://x.y") // "I don't love it 🙁"
 */
export function cleanText(text: string, options: CleanTextOptions = {}): string {
  if (!text) return "";
  let s = stripBom(text);
  if (options.decodeEntities ?? true) s = s.replace(/&(amp|quot|apos|lt|gt|nbsp|#39);/g, (_m, e: string) => ENTITIES[e]);
  if (options.stripUrls ?? true) s = s.replace(/\b(?:https?:\/\/|www\.)\S+/gi, " ");
  if (options.nfkc ?? true) s = s.normalize("NFKC");
  // control characters (keep \n \t as spaces)
  s = s.replace(/[\u0000-\u001F\u007F-\u009F]/g, " ");
  if (options.emoticons ?? true) for (const [re, rep] of EMOTICONS) s = s.replace(re, rep);
  s = s.replace(/\s+/g, " ").trim();
  if (options.lowercase) s = s.toLowerCase();
  return s;
}

/**
 * True when the string contains a Han character (a quick language hint).
 * @example
 * hasHan("质量很好"); // true
 * hasHan("great fit"); // false
 */
export function hasHan(s: string): boolean {
  return /\p{Script=Han}/u.test(s);
}

/**
 * Guess "zh" or "en" for a text: "zh" when at least 30% of its letters are Han.
 * @example detectLanguage("质量很好") // "zh"
 */
export function detectLanguage(s: string): "en" | "zh" {
  let han = 0, letters = 0;
  for (const ch of s) {
    if (/\p{Script=Han}/u.test(ch)) { han++; letters++; }
    else if (/\p{L}/u.test(ch)) letters++;
  }
  return letters > 0 && han / letters >= 0.3 ? "zh" : "en";
}
