import { Baskets } from "../rules/baskets";

/** A customer's purchase history: item ids with implicit weights (number of baskets the item was in). */
export interface ItemHistory {
  /** Item ids (unique). */
  items: Int32Array;
  /** Weight per item (default 1 each): the number of baskets that contained it. */
  weights?: Float64Array;
}

/** Ranked recommendations as parallel typed arrays (best first). */
export interface RankedItems {
  /** Item ids, best first. */
  items: Int32Array;
  /** Scores, same order (meaning depends on the recommender). */
  scores: Float64Array;
}

/**
 * The contract every recommender follows (scikit-learn style): options in the
 * constructor, `fit(baskets)` learns and returns `this`, `rank(history, k)`
 * returns the top-k item ids for a history, never recommending items in
 * `exclude`.
 */
export interface ItemRecommender {
  /** Short method name for tables ("popularity", "rules", "item-cf"...). */
  readonly name: string;
  /** Learn from training baskets. */
  fit(baskets: Baskets): this;
  /** Top-k items for a history; `exclude[id]` non-zero means never recommend item id. */
  rank(history: ItemHistory, k: number, exclude?: Uint8Array): RankedItems;
}

/** Take the top-k ids of a dense score array (NaN / -∞ / excluded skipped), best first; ties by lower id.
 *
 * @example
 * topKItems(Float64Array.of(0.1, 0.9, 0.5), 2).items; // Int32Array [1, 2]
 */
export function topKItems(scores: Float64Array, k: number, exclude?: Uint8Array, candidates?: ArrayLike<number>): RankedItems {
  const ids: number[] = [];
  const consider = (i: number) => {
    const s = scores[i];
    if (!(s > -Infinity) || (exclude && exclude[i])) return;
    // insertion into a small sorted list
    if (ids.length === k) {
      const last = ids[k - 1];
      if (s < scores[last] || (s === scores[last] && i > last)) return;
      ids.pop();
    }
    let p = ids.length;
    while (p > 0 && (scores[ids[p - 1]] < s || (scores[ids[p - 1]] === s && ids[p - 1] > i))) p--;
    ids.splice(p, 0, i);
  };
  if (k <= 0) return { items: new Int32Array(0), scores: new Float64Array(0) };
  if (candidates) for (let j = 0; j < candidates.length; j++) consider(candidates[j]);
  else for (let i = 0; i < scores.length; i++) consider(i);
  return { items: Int32Array.from(ids), scores: Float64Array.from(ids, (i) => scores[i]) };
}
