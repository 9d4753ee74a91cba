import { Rng } from "../util/random";
import { DemoTxRow, formatTxRow } from "./format";

/**
 * Dirty rows planted in transactions.csv, by reason code (codes from
 * src/io/reasons.ts), with the number planted per ~45,000 clean lines.
 * Quarantine kinds (a loader must reject the row): ragged_row,
 * non_finite_number, invalid_number, invalid_date, future_date,
 * negative_price, empty_line, invalid_utf8, missing_required. Cleaning flags
 * (the row is accepted and flagged): duplicate_row, missing_customer_id,
 * zero_price, non_positive_quantity. Every planted row is an extra line: it
 * never removes a real purchase, so the churn and CLV truth are unaffected.
 */
export const DIRTY_KINDS = {
  ragged_row: 4,
  non_finite_number: 3,
  invalid_number: 4,
  invalid_date: 4,
  future_date: 3,
  negative_price: 3,
  empty_line: 3,
  invalid_utf8: 1,
  missing_required: 2,
  duplicate_row: 6,
  missing_customer_id: 8,
  zero_price: 4,
  non_positive_quantity: 2,
} as const;

/** A planted dirty-row reason code. */
export type DirtyKind = keyof typeof DIRTY_KINDS;

/** Reason codes a loader quarantines (the others are accepted and flagged by cleaning). */
export const DIRTY_QUARANTINE_KINDS: DirtyKind[] = [
  "ragged_row", "non_finite_number", "invalid_number", "invalid_date", "future_date", "negative_price", "empty_line", "invalid_utf8", "missing_required",
];

/** What a planted dirty row is: an accepted row (`row`) or raw text/bytes a loader must quarantine (`raw`). */
export interface DirtyOutcome {
  row?: DemoTxRow;
  raw?: string | Buffer;
  detail: string;
}

function fields(prev: DemoTxRow): string[] {
  return formatTxRow(prev).split(",");
}

/** Build one dirty row of the given kind from the previous clean row. */
export function makeDirtyRow(kind: DirtyKind, prev: DemoTxRow, rng: Rng, nextOrderId: () => string): DirtyOutcome {
  const f = fields(prev);
  // Field positions in TRANSACTION_COLUMNS order.
  const TS = 2, NAME = 4, QTY = 6, PRICE = 7, ORDER = 1;
  switch (kind) {
    case "ragged_row": {
      const words = prev.product_name.split(" ");
      f[NAME] = words.length > 1 ? `${words.slice(0, -1).join(" ")}, ${words[words.length - 1]}` : `${prev.product_name}, x`;
      return { raw: f.join(","), detail: "unquoted comma in product_name: 11 fields instead of 10" };
    }
    case "non_finite_number": {
      const q = rng.next() < 0.5;
      if (q) f[QTY] = "NaN"; else f[PRICE] = "Infinity";
      return { raw: f.join(","), detail: q ? "quantity is NaN" : "unit_price is Infinity" };
    }
    case "invalid_number": {
      const q = rng.next() < 0.5;
      if (q) f[QTY] = "two"; else f[PRICE] = "3.4.5";
      return { raw: f.join(","), detail: q ? 'quantity is "two"' : 'unit_price is "3.4.5"' };
    }
    case "invalid_date": {
      const bad = ["2024-13-05T10:00:00Z", "yesterday", "2023-06-31T25:61:00Z", "31/02/2024"][rng.int(4)];
      f[TS] = bad;
      return { raw: f.join(","), detail: `timestamp is "${bad}"` };
    }
    case "future_date": {
      f[TS] = "2099-06-01T12:00:00Z";
      return { raw: f.join(","), detail: "timestamp 2099-06-01T12:00:00Z is in the future" };
    }
    case "negative_price": {
      f[PRICE] = (-Math.abs(prev.unit_price)).toFixed(2);
      return { raw: f.join(","), detail: `unit_price ${f[PRICE]}` };
    }
    case "empty_line":
      return { raw: "", detail: "blank line" };
    case "invalid_utf8": {
      const before = Buffer.from(f.slice(0, NAME).join(",") + ",", "utf8");
      const after = Buffer.from("," + f.slice(NAME + 1).join(","), "utf8");
      const name = Buffer.concat([Buffer.from(prev.product_name.split(" ")[0] + " ", "utf8"), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(" Edition", "utf8")]);
      return { raw: Buffer.concat([before, name, after]), detail: "bytes C3 28 FF in product_name are not valid UTF-8" };
    }
    case "missing_required": {
      const o = rng.next() < 0.5;
      if (o) f[ORDER] = ""; else f[QTY] = "";
      return { raw: f.join(","), detail: o ? "order_id is empty" : "quantity is empty" };
    }
    case "duplicate_row":
      return { row: { ...prev }, detail: "exact duplicate of the previous line" };
    case "missing_customer_id":
      return { row: { ...prev, customer_id: "", order_id: nextOrderId() }, detail: "guest order without customer_id" };
    case "zero_price":
      return { row: { ...prev, unit_price: 0 }, detail: "free item (unit_price 0) added to the previous line's order" };
    case "non_positive_quantity":
      return { row: { ...prev, quantity: 0 }, detail: "quantity 0 in the previous line's order (not a cancellation)" };
  }
}
