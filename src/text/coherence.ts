/**
 * Topic coherence, computed the way gensim's `CoherenceModel` does so the
 * figures compare one to one:
 * - `c_v` (Röder et al. 2015): boolean sliding window of 110 tokens over the
 *   texts (documents shorter than the window count as one window), NPMI with
 *   ε = 1e-12, indirect cosine between each word's NPMI context vector and the
 *   topic's summed vector (one-set segmentation), averaged.
 * - `u_mass` (Mimno et al. 2011): document co-occurrence over the corpus,
 *   log((D(w', w*) / N + ε) / (D(w*) / N)) over ordered pairs (one-preceding).
 * - `c_npmi`: sliding window of 10, NPMI over all pairs (one-one).
 * Topics are lists of top words (gensim's default topn is 20).
 */
import { CustlabError } from "../util/errors";

const EPS = 1e-12;

/** Word co-occurrence statistics over windows or documents, restricted to the topic words. */
interface Stats {
  n: number;
  occ: Float64Array;
  co: Float64Array; // R × R symmetric, diag = occ
  R: number;
}

function relevantIndex(topics: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of topics) for (const w of t) if (!m.has(w)) m.set(w, m.size);
  return m;
}

/**
 * gensim's WordOccurrenceAccumulator with a boolean sliding window, including
 * its bookkeeping (every text counts as at least one window, even without a
 * topic word; when the window slides, the word leaving the window is unmarked
 * even if it occurs again inside the window).
 */
function slidingWindowStats(texts: ArrayLike<ArrayLike<string>>, rel: Map<string, number>, window: number): Stats {
  const R = rel.size, NONE = R;
  const occ = new Float64Array(R), co = new Float64Array(R * R);
  const uniq = new Uint8Array(R + 1);
  let n = 0;
  const ids: number[] = [];
  const present: number[] = [];
  const countWindow = () => {
    present.length = 0;
    for (let r = 0; r < R; r++) if (uniq[r]) present.push(r);
    for (let a = 0; a < present.length; a++) {
      occ[present[a]]++;
      for (let b = a + 1; b < present.length; b++) co[present[a] * R + present[b]]++;
    }
  };
  for (let di = 0; di < texts.length; di++) {
    const text = texts[di];
    ids.length = 0;
    let relevant = false;
    for (let i = 0; i < text.length; i++) { const r = rel.get(text[i]); if (r !== undefined) { ids.push(r); relevant = true; } else ids.push(NONE); }
    void relevant; // gensim 4.x counts every text as a window, relevant or not
    const L = ids.length;
    if (L < window) {
      uniq.fill(0);
      for (const r of ids) uniq[r] = 1;
      countWindow();
      n++;
      continue;
    }
    uniq.fill(0);
    for (let i = 0; i < window; i++) uniq[ids[i]] = 1;
    countWindow(); n++;
    let edge = ids[0];
    for (let s = 1; s + window <= L; s++) {
      uniq[edge] = 0;
      uniq[ids[s + window - 1]] = 1;
      edge = ids[s];
      countWindow(); n++;
    }
  }
  for (let a = 0; a < R; a++) {
    co[a * R + a] = occ[a];
    for (let b = a + 1; b < R; b++) { const v = co[a * R + b] + co[b * R + a]; co[a * R + b] = v; co[b * R + a] = v; }
  }
  return { n, occ, co, R };
}

function documentStats(docs: ArrayLike<ArrayLike<string>>, rel: Map<string, number>): Stats {
  const R = rel.size;
  const occ = new Float64Array(R), co = new Float64Array(R * R);
  const seen = new Uint8Array(R);
  const present: number[] = [];
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d];
    present.length = 0;
    for (let i = 0; i < doc.length; i++) { const r = rel.get(doc[i]); if (r !== undefined && !seen[r]) { seen[r] = 1; present.push(r); } }
    for (let a = 0; a < present.length; a++) {
      occ[present[a]]++;
      for (let b = 0; b < present.length; b++) if (a !== b) co[present[a] * R + present[b]]++;
      seen[present[a]] = 0;
    }
  }
  for (let a = 0; a < R; a++) co[a * R + a] = occ[a];
  return { n: docs.length, occ, co, R };
}

function npmi(s: Stats, a: number, b: number): number {
  const N = s.n;
  const co = s.co[a * s.R + b];
  const num = Math.log((co / N + EPS) / ((s.occ[a] / N) * (s.occ[b] / N)));
  return num / -Math.log(co / N + EPS);
}

/** Per-topic and mean coherence. */
export interface CoherenceResult {
  /** Mean over topics. */
  mean: number;
  /** One value per topic. */
  perTopic: number[];
}

function checkTopics(topics: string[][]): void {
  if (!topics.length) throw new CustlabError("E_OPTION", "coherence: no topics given");
  for (const t of topics) if (t.length < 2) throw new CustlabError("E_OPTION", "coherence: every topic needs at least two words");
}

/**
 * c_v coherence (gensim `coherence="c_v"`). `texts` are the tokenised
 * documents (tokens outside the model's vocabulary may stay: they take up
 * window positions as in gensim). Use each topic's top 20 words to match
 * gensim's default.
 * @example coherenceCV([["fabric", "soft", "wash"], ["size", "small", "large"]], tokenisedTexts).mean
 */
export function coherenceCV(topics: string[][], texts: ArrayLike<ArrayLike<string>>, options: { window?: number } = {}): CoherenceResult {
  checkTopics(topics);
  const rel = relevantIndex(topics);
  const s = slidingWindowStats(texts, rel, options.window ?? 110);
  const perTopic = topics.map((t) => {
    const ids = t.map((w) => rel.get(w)!);
    const m = ids.length;
    const vec = ids.map((a) => ids.map((b) => npmi(s, a, b)));
    const sumVec = new Float64Array(m);
    for (const v of vec) for (let j = 0; j < m; j++) sumVec[j] += v[j];
    let tot = 0;
    for (const v of vec) {
      let dot = 0, n1 = 0, n2 = 0;
      for (let j = 0; j < m; j++) { dot += v[j] * sumVec[j]; n1 += v[j] * v[j]; n2 += sumVec[j] * sumVec[j]; }
      tot += dot / (Math.sqrt(n1) * Math.sqrt(n2));
    }
    return tot / m;
  });
  return { mean: perTopic.reduce((a, b) => a + b, 0) / perTopic.length, perTopic };
}

/**
 * u_mass coherence (gensim `coherence="u_mass"` on a bag-of-words corpus):
 * document co-occurrence over `docs` (the documents as the model saw them,
 * empty ones included).
 * @example coherenceUMass(topics, corpusDocsAsWords).mean // ≈ −2 for decent topics
 */
export function coherenceUMass(topics: string[][], docs: ArrayLike<ArrayLike<string>>): CoherenceResult {
  checkTopics(topics);
  const rel = relevantIndex(topics);
  const s = documentStats(docs, rel);
  const N = s.n;
  const perTopic = topics.map((t) => {
    const ids = t.map((w) => rel.get(w)!);
    let tot = 0, cnt = 0;
    for (let i = 1; i < ids.length; i++) for (let j = 0; j < i; j++) {
      const wp = ids[i], ws = ids[j];
      tot += Math.log((s.co[wp * s.R + ws] / N + EPS) / (s.occ[ws] / N));
      cnt++;
    }
    return tot / cnt;
  });
  return { mean: perTopic.reduce((a, b) => a + b, 0) / perTopic.length, perTopic };
}

/**
 * NPMI coherence (gensim `coherence="c_npmi"`): boolean sliding window
 * (default 10), NPMI averaged over all ordered pairs of top words.
 * @example coherenceNPMI(topics, tokenisedTexts).mean // −1 … 1
 */
export function coherenceNPMI(topics: string[][], texts: ArrayLike<ArrayLike<string>>, options: { window?: number } = {}): CoherenceResult {
  checkTopics(topics);
  const rel = relevantIndex(topics);
  const s = slidingWindowStats(texts, rel, options.window ?? 10);
  const perTopic = topics.map((t) => {
    const ids = t.map((w) => rel.get(w)!);
    let tot = 0, cnt = 0;
    for (let i = 0; i < ids.length; i++) for (let j = 0; j < ids.length; j++) if (i !== j) { tot += npmi(s, ids[i], ids[j]); cnt++; }
    return tot / cnt;
  });
  return { mean: perTopic.reduce((a, b) => a + b, 0) / perTopic.length, perTopic };
}
