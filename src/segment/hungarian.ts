import { CustlabError } from "../util/errors";

/**
 * Minimum-cost assignment (Hungarian / Kuhn–Munkres with potentials, O(n²m)).
 * `cost` is rows × cols, row-major, rows ≤ cols. Returns for each row the
 * assigned column and the total cost. Same optimum as scipy's
 * `linear_sum_assignment`.
 *
 * @example
 * hungarian(Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]), 3, 3).assignment; // Int32Array [1, 0, 2]
 */
export function hungarian(cost: ArrayLike<number>, rows: number, cols: number): { assignment: Int32Array; cost: number } {
  if (rows > cols) throw new CustlabError("E_SHAPE", `hungarian: needs rows ≤ cols, got ${rows}×${cols} (transpose the matrix)`);
  if (cost.length !== rows * cols) throw new CustlabError("E_SHAPE", `hungarian: cost has ${cost.length} entries, expected ${rows * cols}`);
  for (let i = 0; i < cost.length; i++) if (!Number.isFinite(cost[i])) throw new CustlabError("E_VALUE", `hungarian: non-finite cost at (${Math.floor(i / cols)}, ${i % cols})`);
  const INF = Infinity;
  const u = new Float64Array(rows + 1), v = new Float64Array(cols + 1);
  const p = new Int32Array(cols + 1), way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(INF); used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = INF, j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * cols + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) { u[p[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0]; p[j0] = p[j1]; j0 = j1; } while (j0);
  }
  const assignment = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (p[j] > 0) assignment[p[j] - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < rows; i++) total += cost[i * cols + assignment[i]];
  return { assignment, cost: total };
}
