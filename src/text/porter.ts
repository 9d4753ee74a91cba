/**
 * The Porter (1980) stemming algorithm, as in Martin Porter's reference
 * implementation ("connection", "connected", "connecting" → "connect").
 */

const step2list: Record<string, string> = {
  ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al", entli: "ent", eli: "e", ousli: "ous",
  ization: "ize", ation: "ate", ator: "ate", alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log",
};
const step3list: Record<string, string> = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };

const c = "[^aeiou]";
const v = "[aeiouy]";
const C = c + "[^aeiouy]*";
const V = v + "[aeiou]*";
const mgr0 = new RegExp("^(" + C + ")?" + V + C);
const meq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
const mgr1 = new RegExp("^(" + C + ")?" + V + C + V + C);
const sV = new RegExp("^(" + C + ")?" + v);

const cache = new Map<string, string>();

/**
 * Stem one lower-case English word with the Porter algorithm. Words shorter
 * than 3 letters are returned unchanged. Results are memoised.
 * @example porterStem("running") // "run"
 * @example porterStem("happiness") // "happi"
 */
export function porterStem(w: string): string {
  if (w.length < 3) return w;
  const hit = cache.get(w);
  if (hit !== undefined) return hit;
  const original = w;
  let stem: string, suffix: string, re: RegExp, re2: RegExp, re3: RegExp, re4: RegExp;
  const firstch = w.substring(0, 1);
  if (firstch === "y") w = firstch.toUpperCase() + w.substring(1);

  // Step 1a
  re = /^(.+?)(ss|i)es$/;
  re2 = /^(.+?)([^s])s$/;
  if (re.test(w)) w = w.replace(re, "$1$2");
  else if (re2.test(w)) w = w.replace(re2, "$1$2");

  // Step 1b
  re = /^(.+?)eed$/;
  re2 = /^(.+?)(ed|ing)$/;
  if (re.test(w)) {
    const fp = re.exec(w)!;
    re = mgr0;
    if (re.test(fp[1])) w = w.replace(/.$/, "");
  } else if (re2.test(w)) {
    const fp = re2.exec(w)!;
    stem = fp[1];
    re2 = sV;
    if (re2.test(stem)) {
      w = stem;
      re2 = /(at|bl|iz)$/;
      re3 = new RegExp("([^aeiouylsz])\\1$");
      re4 = new RegExp("^" + C + v + "[^aeiouwxy]$");
      if (re2.test(w)) w = w + "e";
      else if (re3.test(w)) w = w.replace(/.$/, "");
      else if (re4.test(w)) w = w + "e";
    }
  }

  // Step 1c
  re = /^(.+?)y$/;
  if (re.test(w)) {
    const fp = re.exec(w)!;
    stem = fp[1];
    if (sV.test(stem)) w = stem + "i";
  }

  // Step 2
  re = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
  if (re.test(w)) {
    const fp = re.exec(w)!;
    stem = fp[1];
    suffix = fp[2];
    if (mgr0.test(stem)) w = stem + step2list[suffix];
  }

  // Step 3
  re = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
  if (re.test(w)) {
    const fp = re.exec(w)!;
    stem = fp[1];
    suffix = fp[2];
    if (mgr0.test(stem)) w = stem + step3list[suffix];
  }

  // Step 4
  re = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
  re2 = /^(.+?)(s|t)(ion)$/;
  if (re.test(w)) {
    const fp = re.exec(w)!;
    stem = fp[1];
    if (mgr1.test(stem)) w = stem;
  } else if (re2.test(w)) {
    const fp = re2.exec(w)!;
    stem = fp[1] + fp[2];
    if (mgr1.test(stem)) w = stem;
  }

  // Step 5
  re = /^(.+?)e$/;
  if (re.test(w)) {
    const fp = re.exec(w)!;
    stem = fp[1];
    re3 = new RegExp("^" + C + v + "[^aeiouwxy]$");
    if (mgr1.test(stem) || (meq1.test(stem) && !re3.test(stem))) w = stem;
  }
  if (/ll$/.test(w) && mgr1.test(w)) w = w.replace(/.$/, "");

  if (firstch === "y") w = firstch.toLowerCase() + w.substring(1);
  if (cache.size < 200000) cache.set(original, w);
  return w;
}
