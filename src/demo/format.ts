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

/** Format a transaction row as one canonical CSV line (no newline). */
export function formatTxRow(r: DemoTxRow): string {
  return [
    csvField(r.customer_id), csvField(r.order_id), isoMinute(r.ms), r.product_id, csvField(r.product_name), r.category,
    String(r.quantity), r.unit_price.toFixed(2), csvField(r.country), r.channel,
  ].join(",");
}

