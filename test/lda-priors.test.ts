import { describe, it, expect } from "vitest";
import { LdaGibbs } from "../src/text";
import { createRng } from "../src/util/random";

/**
 * Hyper-parameter optimisation (MALLET's --optimize-interval) against planted truth: documents drawn from LDA's
 * own generative process with a known asymmetric α and a known symmetric β; the learned α_ (sorted, topics are
 * exchangeable) and β_ must recover them.
 */
function plantedCorpus(alphaTrue: number[], betaTrue: number, V: number, D: number, len: number, seed: number) {
  const rng = createRng(seed), K = alphaTrue.length;
  const dirichlet = (a: ArrayLike<number>) => { const g = Array.from(a, (x) => rng.gamma(x)); const s = g.reduce((p, q) => p + q, 0); return g.map((x) => x / s); };
  const phi = Array.from({ length: K }, () => dirichlet(new Array(V).fill(betaTrue)));
  const draw = (p: number[]) => { let u = rng.next(), j = 0; while (j < p.length - 1 && (u -= p[j]) > 0) j++; return j; };
  const docs: Int32Array[] = [];
  for (let d = 0; d < D; d++) {
    const theta = dirichlet(alphaTrue);
    docs.push(Int32Array.from({ length: len }, () => draw(phi[draw(theta)])));
  }
  return { docs, vocab: Array.from({ length: V }, (_, i) => `w${i}`) };
}

describe("LdaGibbs optimizeInterval: learned priors recover planted ones", () => {
  for (const [alphaTrue, betaTrue, seed] of [[[1.2, 0.6, 0.3, 0.15], 0.05, 1], [[2, 1, 0.25, 0.25], 0.02, 3]] as [number[], number, number][]) {
    it(`α = ${alphaTrue.join("/")}, β = ${betaTrue}`, () => {
      const corpus = plantedCorpus(alphaTrue, betaTrue, 300, 1500, 60, seed);
      const m = new LdaGibbs({ k: alphaTrue.length, iterations: 300, optimizeInterval: 10, seed }).fit(corpus);
      const learned = Array.from(m.alpha_).sort((a, b) => b - a);
      const truth = [...alphaTrue].sort((a, b) => b - a);
      for (let t = 0; t < truth.length; t++) expect(Math.abs(learned[t] / truth[t] - 1), `α ${learned.map((x) => x.toFixed(3))} vs ${truth}`).toBeLessThan(0.25);
      expect(Math.abs(m.beta_ / betaTrue - 1), `β ${m.beta_}`).toBeLessThan(0.25);
      // the learned priors travel with the model (fold-in of new documents uses them)
      const back = LdaGibbs.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
      expect(Array.from(back.alpha_)).toEqual(Array.from(m.alpha_));
      expect(back.beta_).toBe(m.beta_);
      expect(Array.from(back.transform(corpus.docs.slice(0, 3), { seed: 1 }).data)).toEqual(Array.from(m.transform(corpus.docs.slice(0, 3), { seed: 1 }).data));
      // without optimisation the priors stay as given
      const f = new LdaGibbs({ k: alphaTrue.length, iterations: 20, seed }).fit(corpus);
      expect(Array.from(f.alpha_)).toEqual(new Array(alphaTrue.length).fill(10 / alphaTrue.length));
      expect(f.beta_).toBe(0.1);
    }, 60_000);
  }
});
