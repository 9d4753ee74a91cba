import { describe, it, expect } from "vitest";
import { generateDemoShop, DemoShop } from "../src/demo";
import { rocAucScore } from "../src/demo/stats";
// ml-kmeans 6 is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { kmeans } = require("ml-kmeans") as { kmeans: (d: number[][], k: number, o: Record<string, unknown>) => { clusters: number[]; computeInformation(d: number[][]): Array<{ error: number; size: number }> } };

/**
 * Independent checks that the planted truth is recoverable by plain methods,
 * so the capability engineers' acceptance targets are attainable:
 * segments by k-means on log RFM, churn by a history-only logistic regression
 * close to the Bayes-optimal AUC, co-purchase pairs as the top lifts,
 * sentiment by a bag-of-words classifier, topics by distinct vocabularies.
 */

const DAY = 86_400_000;

function adjustedRand(a: ArrayLike<string | number>, b: ArrayLike<string | number>): number {
  const n = a.length;
  const la = [...new Set(Array.from(a))], lb = [...new Set(Array.from(b))];
  const m = la.map(() => lb.map(() => 0));
  for (let i = 0; i < n; i++) m[la.indexOf(a[i])][lb.indexOf(b[i])]++;
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let sij = 0;
  for (const r of m) for (const v of r) sij += c2(v);
  const sa = m.reduce((s, r) => s + c2(r.reduce((t, v) => t + v, 0)), 0);
  const sb = lb.reduce((s, _, j) => s + c2(m.reduce((t, r) => t + r[j], 0)), 0);
  const e = (sa * sb) / c2(n);
  return (sij - e) / ((sa + sb) / 2 - e);
}

interface Hist { R: number[]; F: number[]; M: number[]; T: number[]; w90: number[]; w180: number[]; w365: number[] }

/** Recency (days), distinct orders, spend, tenure and trailing order counts per customer from purchases before `asOf`. */
function history(shop: DemoShop, asOf: number): Hist {
  const tx = shop.transactions;
  const ids = shop.truthCustomers.str("customer_id");
  const idx = new Map(ids.map((s, i) => [s, i]));
  const n = ids.length;
  const cu = tx.str("customer_id"), od = tx.str("order_id"), ts = tx.num("timestamp"), q = tx.num("quantity"), p = tx.num("unit_price");
  const last = new Float64Array(n).fill(-Infinity), first = new Float64Array(n).fill(Infinity), M = new Float64Array(n), F = new Float64Array(n);
  const w90 = new Float64Array(n), w180 = new Float64Array(n), w365 = new Float64Array(n);
  const pid = tx.str("product_id");
  const seen = new Set<string>();
  for (let i = 0; i < tx.numRows; i++) {
    if (!cu[i] || od[i].startsWith("C") || !(q[i] > 0) || !(p[i] > 0) || ts[i] >= asOf) continue;
    // Planted exact duplicates repeat the previous line: count the line once.
    if (i > 0 && od[i - 1] === od[i] && pid[i - 1] === pid[i] && q[i - 1] === q[i] && p[i - 1] === p[i] && ts[i - 1] === ts[i] && cu[i - 1] === cu[i]) continue;
    const c = idx.get(cu[i])!;
    M[c] += q[i] * p[i];
    if (ts[i] > last[c]) last[c] = ts[i];
    if (ts[i] < first[c]) first[c] = ts[i];
    if (!seen.has(od[i])) {
      seen.add(od[i]);
      F[c]++;
      if (ts[i] >= asOf - 90 * DAY) w90[c]++;
      if (ts[i] >= asOf - 180 * DAY) w180[c]++;
      if (ts[i] >= asOf - 365 * DAY) w365[c]++;
    }
  }
  return {
    R: Array.from(last, (l) => (asOf - l) / DAY), F: Array.from(F), M: Array.from(M), T: Array.from(first, (f) => (asOf - f) / DAY),
    w90: Array.from(w90), w180: Array.from(w180), w365: Array.from(w365),
  };
}

function standardise(cols: number[][]): number[][] {
  const z = cols.map((c) => {
    const m = c.reduce((s, v) => s + v, 0) / c.length;
    const sd = Math.sqrt(c.reduce((s, v) => s + (v - m) ** 2, 0) / c.length);
    return c.map((v) => (v - m) / sd);
  });
  return cols[0].map((_, i) => z.map((c) => c[i]));
}

function bestKMeans(X: number[][], k: number, nInit = 10): number[] {
  let best: { inertia: number; clusters: number[] } | null = null;
  for (let s = 1; s <= nInit; s++) {
    const r = kmeans(X, k, { seed: s, initialization: "kmeans++" });
    const inertia = r.computeInformation(X).reduce((t, c) => t + c.error * c.size, 0);
    if (!best || inertia < best.inertia) best = { inertia, clusters: r.clusters };
  }
  return best!.clusters;
}

/** L2-regularised logistic regression by Newton's method (small dense problems). */
function fitLogistic(X: number[][], y: ArrayLike<number>, l2 = 1e-3): (x: number[]) => number {
  const d = X[0].length + 1;
  let w = new Array(d).fill(0);
  for (let it = 0; it < 30; it++) {
    const g = new Array(d).fill(0);
    const H = Array.from({ length: d }, () => new Array(d).fill(0));
    for (let i = 0; i < X.length; i++) {
      const xi = [1, ...X[i]];
      const p = 1 / (1 + Math.exp(-xi.reduce((s, v, j) => s + v * w[j], 0)));
      for (let a = 0; a < d; a++) {
        g[a] += (p - y[i]) * xi[a];
        for (let b = 0; b < d; b++) H[a][b] += p * (1 - p) * xi[a] * xi[b];
      }
    }
    for (let a = 1; a < d; a++) { H[a][a] += l2; g[a] += l2 * w[a]; }
    const A = H.map((r, i) => [...r, g[i]]);
    for (let i = 0; i < d; i++) {
      let mx = i;
      for (let k = i + 1; k < d; k++) if (Math.abs(A[k][i]) > Math.abs(A[mx][i])) mx = k;
      [A[i], A[mx]] = [A[mx], A[i]];
      for (let k = 0; k < d; k++) if (k !== i) { const f = A[k][i] / A[i][i]; for (let j = i; j <= d; j++) A[k][j] -= f * A[i][j]; }
    }
    const step = A.map((r, i) => r[d] / r[i]);
    w = w.map((v, i) => v - step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return (x: number[]) => 1 / (1 + Math.exp(-[1, ...x].reduce((s, v, j) => s + v * w[j], 0)));
}

describe("demo truth is recoverable", () => {
  const shop = generateDemoShop({ seed: 42 });
  const tc = shop.truthCustomers;
  const l1 = (a: number[]) => a.map((v) => Math.log1p(v));

  it("k-means (k=5) on standardised log1p RFM over the window recovers the planted segments (ARI ≥ 0.9)", () => {
    const h = history(shop, Date.parse("2025-01-01T00:00:00Z"));
    const rfm = bestKMeans(standardise([l1(h.R), l1(h.F), l1(h.M)]), 5);
    const ariRFM = adjustedRand(tc.str("segment_final"), rfm);
    const aov = h.M.map((m, i) => m / h.F[i]);
    const withAOV = bestKMeans(standardise([l1(h.R), l1(h.F), l1(h.M), l1(aov)]), 5);
    const ariAOV = adjustedRand(tc.str("segment_final"), withAOV);
    console.log(`demo k-means ARI vs segment_final: log1p RFM ${ariRFM.toFixed(3)}, + log1p AOV ${ariAOV.toFixed(3)}`);
    expect(ariRFM).toBeGreaterThanOrEqual(0.9);
    expect(ariAOV).toBeGreaterThanOrEqual(0.9);
  });

  it("a history-only logistic regression at the cutoff comes within 0.02 of the Bayes-optimal churn AUC", () => {
    const h = history(shop, Date.parse("2024-10-01T00:00:00Z"));
    const y = tc.num("churned"), prob = tc.num("churn_prob");
    const X = h.R.map((r, i) => {
      const R = Math.log1p(r), F = Math.log1p(h.F[i]);
      return [R, F, Math.log1p(h.T[i]), Math.log1p(h.M[i] / h.F[i]), Math.log1p(h.w90[i]), Math.log1p(h.w180[i]), Math.log1p(h.w365[i]), R * F, R * R];
    });
    // 2-fold cross-fitting: every customer scored by a model that did not see it.
    const score = new Float64Array(X.length);
    for (const fold of [0, 1]) {
      const tr = X.map((_, i) => i).filter((i) => i % 2 !== fold);
      const model = fitLogistic(tr.map((i) => X[i]), tr.map((i) => y[i]));
      for (let i = fold; i < X.length; i += 2) score[i] = model(X[i]);
    }
    const lrAuc = rocAucScore(y, score);
    const bayes = rocAucScore(y, prob);
    console.log(`demo churn: Bayes-optimal AUC ${bayes.toFixed(4)} (truth.json ${shop.truth.churn_bayes_auc}), history-only LR ${lrAuc.toFixed(4)}`);
    expect(bayes).toBeCloseTo(shop.truth.churn_bayes_auc, 5);
    expect(bayes - lrAuc).toBeLessThan(0.02);
    expect(lrAuc).toBeLessThan(bayes + 0.005);
  });

  it("the planted co-purchase pairs are the top pairs by lift", () => {
    const tx = shop.transactions;
    const od = tx.str("order_id"), pid = tx.str("product_id"), q = tx.num("quantity");
    const baskets = new Map<string, Set<string>>();
    for (let i = 0; i < tx.numRows; i++) {
      if (od[i].startsWith("C") || !(q[i] > 0)) continue;
      let b = baskets.get(od[i]);
      if (!b) baskets.set(od[i], (b = new Set()));
      b.add(pid[i]);
    }
    const N = baskets.size, item = new Map<string, number>(), pair = new Map<string, number>();
    for (const b of baskets.values()) {
      const a = [...b].sort();
      for (const x of a) item.set(x, (item.get(x) ?? 0) + 1);
      for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) { const k = `${a[i]}|${a[j]}`; pair.set(k, (pair.get(k) ?? 0) + 1); }
    }
    const minSupport = 0.001;
    const ranked = [...pair.entries()]
      .filter(([, c]) => c / N >= minSupport)
      .map(([k, c]) => { const [a, b] = k.split("|"); return { k, lift: (c * N) / (item.get(a)! * item.get(b)!) }; })
      .sort((x, y) => y.lift - x.lift);
    const planted = shop.truth.co_purchase_pairs.map((p) => [p.a.product_id, p.b.product_id].sort().join("|"));
    expect(new Set(ranked.slice(0, planted.length).map((r) => r.k))).toEqual(new Set(planted));
    expect(ranked[planted.length].lift * 3).toBeLessThan(ranked[planted.length - 1].lift);
  });

  it("review sentiment is recoverable from text (bag-of-words naive Bayes, 2-fold AUC ≥ 0.95 per language)", () => {
    const rv = shop.reviews;
    const text = rv.str("text"), title = rv.str("title"), lang = rv.str("language"), label = rv.num("label");
    const seg = new Intl.Segmenter("zh", { granularity: "word" });
    const tokens = (i: number): string[] => {
      const s = `${title[i]} ${text[i]}`;
      const t = lang[i] === "zh" ? [...seg.segment(s)].filter((x) => x.isWordLike).map((x) => x.segment) : s.toLowerCase().split(/[^a-z']+/).filter(Boolean);
      return [...t, ...t.slice(1).map((w, j) => `${t[j]}_${w}`)];
    };
    for (const L of ["en", "zh"]) {
      const rows = Array.from({ length: rv.numRows }, (_, i) => i).filter((i) => lang[i] === L && !Number.isNaN(label[i]));
      const score = new Float64Array(rows.length);
      for (const fold of [0, 1]) {
        const counts = [new Map<string, number>(), new Map<string, number>()], tot = [0, 0];
        rows.forEach((i, j) => { if (j % 2 === fold) return; for (const w of tokens(i)) { counts[label[i]].set(w, (counts[label[i]].get(w) ?? 0) + 1); tot[label[i]]++; } });
        const V = new Set([...counts[0].keys(), ...counts[1].keys()]).size;
        rows.forEach((i, j) => {
          if (j % 2 !== fold) return;
          let s = 0;
          for (const w of tokens(i)) s += Math.log(((counts[1].get(w) ?? 0) + 1) / (tot[1] + V)) - Math.log(((counts[0].get(w) ?? 0) + 1) / (tot[0] + V));
          score[j] = s;
        });
      }
      const auc = rocAucScore(rows.map((i) => label[i]), score);
      console.log(`demo sentiment ${L}: ${rows.length} labelled reviews, naive Bayes AUC ${auc.toFixed(4)}`);
      expect(auc).toBeGreaterThanOrEqual(0.95);
    }
    // Ratings agree with the planted sentiment (noisy): positive ≥ 3, negative ≤ 3, means well apart.
    const truth = shop.truthReviews.str("sentiment"), rating = rv.num("rating");
    let pos = 0, np = 0, neg = 0, nn = 0;
    for (let i = 0; i < rv.numRows; i++) {
      if (truth[i] === "positive") { expect(rating[i]).toBeGreaterThanOrEqual(3); pos += rating[i]; np++; }
      if (truth[i] === "negative") { expect(rating[i]).toBeLessThanOrEqual(3); neg += rating[i]; nn++; }
    }
    expect(pos / np - neg / nn).toBeGreaterThan(2.5);
  });

  it("each planted topic has its own vocabulary: its top words occur almost only in its reviews", () => {
    const rv = shop.reviews, tr = shop.truthReviews;
    const text = rv.str("text"), title = rv.str("title"), lang = rv.str("language"), topic = tr.str("topic");
    const seg = new Intl.Segmenter("zh", { granularity: "word" });
    const zhWords = Array.from(text, (t, i) => (lang[i] === "zh" ? new Set([...seg.segment(`${title[i]} ${t}`)].map((x) => x.segment)) : new Set<string>()));
    for (const L of ["en", "zh"] as const) {
      for (const t of shop.truth.topics[L]) {
        expect(t.words.length).toBeGreaterThanOrEqual(5);
        for (const w of t.words.slice(0, 5)) {
          let inTopic = 0, total = 0;
          for (let i = 0; i < rv.numRows; i++) {
            if (lang[i] !== L) continue;
            const has = L === "en" ? new RegExp(`\\b${w}\\b`, "i").test(`${title[i]} ${text[i]}`) : zhWords[i].has(w);
            if (has) { total++; if (topic[i] === t.name) inTopic++; }
          }
          expect(inTopic / total, `${L} ${t.name} "${w}"`).toBeGreaterThan(0.7);
        }
      }
    }
  });
});
