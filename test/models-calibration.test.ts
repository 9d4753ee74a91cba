// Platt scaling and isotonic calibration against scikit-learn 1.2
// (_SigmoidCalibration, IsotonicRegression(out_of_bounds="clip")) on seeded
// cases, ECE against calibration_curve, and the CV choice between them.
// Fixtures: test/fixtures/calibration.py → calibration.json.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { PlattCalibrator, IsotonicCalibrator, chooseCalibrator, calibratorFromJSON } from "../src/models";
import { expectedCalibrationError } from "../src/eval";
import { createRng } from "../src/util";

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "calibration.json"), "utf8"));

describe("calibration vs scikit-learn", () => {
  for (const c of fx.cases) {
    it(`${c.name}: Platt a, b and predictions`, () => {
      const m = new PlattCalibrator().fit(c.scores, c.y);
      expect(m.a_!).toBeCloseTo(c.platt.a, 4);
      expect(m.b_!).toBeCloseTo(c.platt.b, 4);
      const p = m.predict(c.query);
      c.platt.predict.forEach((v: number, i: number) => expect(p[i]).toBeCloseTo(v, 5));
      const back = calibratorFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
      expect(Array.from(back.predict(c.query))).toEqual(Array.from(p));
    });
    it(`${c.name}: isotonic knots and predictions`, () => {
      const m = new IsotonicCalibrator().fit(c.scores, c.y);
      expect(m.x_!.length).toBe(c.isotonic.x.length);
      c.isotonic.x.forEach((v: number, i: number) => expect(m.x_![i]).toBeCloseTo(v, 12));
      c.isotonic.y.forEach((v: number, i: number) => expect(m.y_![i]).toBeCloseTo(v, 12));
      const p = m.predict(c.query);
      c.isotonic.predict.forEach((v: number, i: number) => expect(p[i]).toBeCloseTo(v, 12));
    });
    it(`${c.name}: ECE from calibration_curve bins`, () => {
      const pr = c.scores.map((s: number) => Math.min(1, Math.max(0, s)));
      for (const nb of [5, 10, 15]) expect(expectedCalibrationError(c.y, pr, { nBins: nb })).toBeCloseTo(c.ece_clipped[String(nb)], 12);
    });
  }

  it("chooseCalibrator picks Platt for logistic miscalibration and isotonic for a step-shaped truth; both cut ECE", () => {
    const rng = createRng(7);
    const n = 4000;
    const s1 = new Float64Array(n), y1 = new Int32Array(n), s2 = new Float64Array(n), y2 = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // sigmoidal distortion: true p = σ(6s − 4)
      const s = 0.02 + 0.96 * rng.next(); s1[i] = s;
      y1[i] = rng.next() < 1 / (1 + Math.exp(-(6 * s - 4))) ? 1 : 0;
      // step truth: p = 0.1 below 0.5, 0.8 above
      const t = rng.next(); s2[i] = t;
      y2[i] = rng.next() < (t < 0.5 ? 0.1 : 0.8) ? 1 : 0;
    }
    const a = chooseCalibrator(s1, y1), b = chooseCalibrator(s2, y2);
    expect(a.method).toBe("platt");
    expect(b.method).toBe("isotonic");
    expect(a.cvLogLoss.platt).toBeLessThan(a.cvLogLoss.raw);
    expect(expectedCalibrationError(y1, a.calibrator.predict(s1))).toBeLessThan(expectedCalibrationError(y1, s1) / 3);
    expect(expectedCalibrationError(y2, b.calibrator.predict(s2))).toBeLessThan(expectedCalibrationError(y2, s2) / 3);
  });
});
