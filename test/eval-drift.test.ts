// Drift statistics against scipy (test/fixtures/drift_scipy.py → drift_scipy.json):
// two-sample KS statistic and its limiting p-value, first Wasserstein distance,
// on 60 random sample pairs (normal, Poisson with ties, exponential, rounded uniform).
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { ksTwoSample, wassersteinDistance, driftStats } from "../src/eval";
import { populationStabilityIndex } from "../src/segment";

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/drift_scipy.json"), "utf8"));

describe("drift statistics vs scipy", () => {
  it("KS statistic and p-value, Wasserstein distance on 60 sample pairs", () => {
    expect(fx.cases.length).toBe(60);
    for (const c of fx.cases) {
      const ks = ksTwoSample(c.a, c.b);
      expect(ks.statistic).toBeCloseTo(c.ks, 12);
      expect(Math.abs(ks.pValue - c.ks_p_limit)).toBeLessThan(1e-9);
      expect(wassersteinDistance(c.a, c.b)).toBeCloseTo(c.wasserstein, 9);
    }
  });
  it("driftStats bundles them with the PSI; NaN dropped; identical samples give zeros", () => {
    const c = fx.cases[3];
    const d = driftStats([...c.a, NaN], c.b);
    expect(d.ks).toBeCloseTo(c.ks, 12);
    expect(d.wasserstein).toBeCloseTo(c.wasserstein, 9);
    expect(d.psi).toBe(populationStabilityIndex(c.a, c.b));
    const same = driftStats(c.a, c.a);
    expect([same.psi, same.ks, same.wasserstein]).toEqual([0, 0, 0]);
    expect(same.ks_p).toBe(1);
    expect(() => driftStats([NaN], [1])).toThrow(/no finite values/);
  });
});
