import { isoMinute } from "./calendar";

/** A canonical transaction row before formatting. */
export interface DemoTxRow {
  customer_id: string;
  order_id: string;
  ms: number;
  product_id: string;
  product_name: string;
  category: string;
  quantity: number;
  unit_price: number;
  country: string;
  channel: string;
}

/** Quote a CSV field when needed (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Format a transaction row as one canonical CSV line (no newline).
 * @example
 * formatTxRow({ customer_id: "cust00001", order_id: "500001", ms: Date.parse("2024-03-05T14:22:00Z"), product_id: "P0101",
 *   product_name: "Linen Shirt Navy", category: "Apparel", quantity: 1, unit_price: 44.99, country: "Germany", channel: "web" });
 * // "cust00001,500001,2024-03-05T14:22:00Z,P0101,Linen Shirt Navy,Apparel,1,44.99,Germany,web"
 */
export function formatTxRow(r: DemoTxRow): string {
  return [
    csvField(r.customer_id), csvField(r.order_id), isoMinute(r.ms), r.product_id, csvField(r.product_name), r.category,
    String(r.quantity), r.unit_price.toFixed(2), csvField(r.country), r.channel,
  ].join(",");
}

