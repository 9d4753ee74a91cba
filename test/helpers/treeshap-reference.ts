/**
 * Reference implementations for the TreeSHAP tests: brute-force Shapley values of the path-dependent
 * value function (exponential in the features; the oracle) and Lundberg et al.'s Algorithm 2 as
 * written in the paper (one recursive walk per row with extend / unwind; the reference for paths with
 * more unique features than brute force can enumerate).
 */
import { expect } from "vitest";
import type { TreeArrays } from "../../src/models";

/** Largest |a[i] − b[i]|, after asserting equal lengths (the tree and TreeSHAP tests' comparison). */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Brute-force Shapley values with TreeSHAP's path-dependent value function (cover-weighted expectations). */
export function bruteShap(trees: TreeArrays[], x: Float64Array, p: number, out: number, scale: number): Float64Array {
  const value = (S: number): number => {
    let tot = 0;
    for (const t of trees) {
      const rec = (node: number): number => {
        if (t.left[node] < 0) return t.value[node * t.outDim + out];
        const f = t.feature[node];
        if (S & (1 << f)) {
          const v = x[f];
          const left = Number.isNaN(v) ? t.missingLeft[node] === 1 : v <= t.threshold[node];
          return rec(left ? t.left[node] : t.right[node]);
        }
        const L = t.left[node], R = t.right[node];
        return (t.cover[L] * rec(L) + t.cover[R] * rec(R)) / t.cover[node];
      };
      tot += scale * rec(0);
    }
    return tot;
  };
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Float64Array(p);
  for (let j = 0; j < p; j++) for (let S = 0; S < 1 << p; S++) {
    if (S & (1 << j)) continue;
    let size = 0;
    for (let b = 0; b < p; b++) if (S & (1 << b)) size++;
    phi[j] += (fact(size) * fact(p - size - 1) / fact(p)) * (value(S | (1 << j)) - value(S));
  }
  return phi;
}

/** Algorithm 2 of Lundberg, Erion & Lee (2018) for one tree and one row, adding scale × φ of output `out` into `phi`. */
export function algorithm2Row(t: TreeArrays, x: Float64Array, out: number, phi: Float64Array, scale = 1): void {
  interface El { f: number; z: number; o: number; w: number }
  const extend = (m: El[], z: number, o: number, f: number): El[] => {
    const l = m.length;
    const r = m.map((e) => ({ ...e }));
    r.push({ f, z, o, w: l === 0 ? 1 : 0 });
    for (let i = l - 1; i >= 0; i--) {
      r[i + 1].w += (o * r[i].w * (i + 1)) / (l + 1);
      r[i].w = (z * r[i].w * (l - i)) / (l + 1);
    }
    return r;
  };
  const unwind = (m: El[], i: number): El[] => {
    const l = m.length - 1;
    let n = m[l].w;
    const r = m.map((e) => ({ ...e }));
    for (let j = l - 1; j >= 0; j--) {
      if (m[i].o !== 0) { const tmp = r[j].w; r[j].w = (n * (l + 1)) / ((j + 1) * m[i].o); n = tmp - (r[j].w * m[i].z * (l - j)) / (l + 1); }
      else r[j].w = (r[j].w * (l + 1)) / (m[i].z * (l - j));
    }
    for (let j = i; j < l; j++) { r[j].f = r[j + 1].f; r[j].z = r[j + 1].z; r[j].o = r[j + 1].o; }
    r.pop();
    return r;
  };
  const recurse = (j: number, m0: El[], pz: number, po: number, pi: number): void => {
    let m = extend(m0, pz, po, pi);
    if (t.left[j] < 0) {
      for (let i = 1; i < m.length; i++) {
        const w = unwind(m, i).reduce((s, e) => s + e.w, 0);
        phi[m[i].f] += scale * w * (m[i].o - m[i].z) * t.value[j * t.outDim + out];
      }
      return;
    }
    const f = t.feature[j], v = x[f];
    const goLeft = Number.isNaN(v) ? t.missingLeft[j] === 1 : v <= t.threshold[j];
    const h = goLeft ? t.left[j] : t.right[j], c = goLeft ? t.right[j] : t.left[j];
    let iz = 1, io = 1;
    const k = m.findIndex((e, q) => q > 0 && e.f === f);
    if (k > 0) { iz = m[k].z; io = m[k].o; m = unwind(m, k); }
    const r = t.cover[j];
    recurse(h, m, (iz * t.cover[h]) / r, io, f);
    recurse(c, m, (iz * t.cover[c]) / r, 0, f);
  };
  recurse(0, [], 1, 1, -1);
}
