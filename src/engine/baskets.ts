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
