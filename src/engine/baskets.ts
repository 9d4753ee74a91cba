import type { Baskets } from "../rules/baskets";

/**
 * Baskets from distinct (basket, item) pairs (sorted by basket, then item) and
 * the total number of baskets: baskets without a listed item are kept empty,
 * so supports keep the full denominator. @internal
 */
export function basketsFromPairs(basketIds: string[], itemIds: string[], nBaskets: number, source: string): Baskets {
  const names: string[] = [];
  const code = new Map<string, number>();
  const offsets: number[] = [0];
  const ids: string[] = [];
  const items = new Int32Array(itemIds.length);
  for (let i = 0; i < itemIds.length; i++) {
    if (i > 0 && basketIds[i] !== basketIds[i - 1]) { offsets.push(i); }
    if (i === 0 || basketIds[i] !== basketIds[i - 1]) ids.push(basketIds[i]);
    let c = code.get(itemIds[i]);
    if (c === undefined) { c = names.length; code.set(itemIds[i], c); names.push(itemIds[i]); }
    items[i] = c;
  }
  if (itemIds.length > 0) offsets.push(itemIds.length);
  while (offsets.length - 1 < nBaskets) { offsets.push(itemIds.length); ids.push(""); }
  return { offsets: Int32Array.from(offsets), items, itemNames: names, basketIds: ids, source };
}

/**
 * Baskets from per-basket sorted lists of 1-based item codes into `codeNames` (baskets sorted by
 * id; codes sorted as their names are): the same Baskets as {@link basketsFromPairs} over the
 * pairs these lists hold (item codes numbered in order of first appearance), without a string
 * per line. @internal
 */
export function basketsFromLists(basketIds: string[], lists: ArrayLike<number>[], codeNames: string[], nBaskets: number, source: string): Baskets {
  let total = 0;
  for (const l of lists) total += l.length;
  const items = new Int32Array(total);
  const offsets = new Int32Array(Math.max(nBaskets, lists.length) + 1);
  const remap = new Int32Array(codeNames.length).fill(-1);
  const names: string[] = [];
  const ids: string[] = [];
  let p = 0, b = 0;
  for (let i = 0; i < lists.length; i++) {
    const l = lists[i];
    if (!l.length) continue;
    ids.push(basketIds[i]);
    for (let j = 0; j < l.length; j++) {
      const k = Number(l[j]) - 1;
      if (remap[k] < 0) { remap[k] = names.length; names.push(codeNames[k]); }
      items[p++] = remap[k];
    }
    offsets[++b] = p;
  }
  while (b < nBaskets) { offsets[++b] = p; ids.push(""); }
  return { offsets: offsets.subarray(0, b + 1), items, itemNames: names, basketIds: ids, source };
}
