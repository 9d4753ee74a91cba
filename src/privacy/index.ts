/**
 * Privacy helpers for reports and exports: salted pseudonyms for customer ids,
 * masking of e-mail addresses and phone numbers in free text, and a k-anonymity
 * check on exported segment tables.
 * @module
 */
import { createHmac, randomBytes } from "crypto";
import { Table } from "../table";
import { CustlabError } from "../util/errors";

/** Where the pseudonymisation salt comes from. */
export interface SaltOptions {
  /** Explicit salt; otherwise CUSTLAB_SALT; otherwise a random per-run salt (ids then differ between runs). */
  salt?: string;
}

/**
 * Resolve the salt: option, then CUSTLAB_SALT, then 32 random bytes. The salt is never written to any output.
 *
 * @example
 * ```ts
 * import { resolveSalt } from "custlab";
 * resolveSalt({ salt: "s3cret" }); // { salt: "s3cret", source: "option" }
 * resolveSalt();                    // CUSTLAB_SALT if set (source "env"), else 32 random bytes (source "random")
 * ```
 */
export function resolveSalt(o: SaltOptions = {}): { salt: string; source: "option" | "env" | "random" } {
  if (o.salt) return { salt: o.salt, source: "option" };
  if (process.env.CUSTLAB_SALT) return { salt: process.env.CUSTLAB_SALT, source: "env" };
  return { salt: randomBytes(32).toString("hex"), source: "random" };
}

/**
 * A pseudonymiser: HMAC-SHA256(salt, id) truncated to `length` hex characters
 * and prefixed (default "c_"). Same salt + id → same pseudonym; without the salt
 * the id cannot be recovered or confirmed by hashing guesses.
 * @example const p = pseudonymizer("s3cret"); p("17850") // "c_5b0f…"
 */
export function pseudonymizer(salt: string, options: { length?: number; prefix?: string } = {}): (id: string) => string {
  if (!salt) throw new CustlabError("E_OPTION", "pseudonymizer needs a non-empty salt");
  const length = options.length ?? 16;
  const prefix = options.prefix ?? "c_";
  const cache = new Map<string, string>();
  return (id: string) => {
    if (id === "") return "";
    let v = cache.get(id);
    if (v === undefined) {
      v = prefix + createHmac("sha256", salt).update(id).digest("hex").slice(0, length);
      cache.set(id, v);
    }
    return v;
  };
}

/**
 * Replace a text column (default "customer_id") of a table with pseudonyms.
 *
 * @example
 * ```ts
 * import { Table, pseudonymizeColumn } from "custlab";
 * const t = new Table({ customer_id: ["17850", "13047"], spend: Float64Array.from([120, 80]) });
 * pseudonymizeColumn(t, "s3cret").str("customer_id"); // ["c_…", "c_…"], 16 hex chars each, stable for the same salt
 * ```
 */
export function pseudonymizeColumn(t: Table, salt: string, column = "customer_id"): Table {
  const p = pseudonymizer(salt);
  return t.assign({ [column]: t.str(column).map(p) });
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Phone-like: optional +country, then 7+ digits with spaces, dots, dashes or brackets between.
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,14}/g;

/**
 * Mask e-mail addresses and phone numbers in free text ("[email]", "[phone]").
 * Numbers shorter than 7 digits (sizes, prices, years) are left alone.
 * @example maskPII("call 0161 496 0000 or mail a.b@x.org") // "call [phone] or mail [email]"
 */
export function maskPII(text: string): string {
  return text.replace(EMAIL, "[email]").replace(PHONE, "[phone]");
}

/** One cell that is too small to publish. */
export interface KAnonymityViolation {
  /** Segment value. */
  segment: string;
  /** Attribute column. */
  attribute: string;
  /** Attribute value. */
  value: string;
  /** Customers in the cell (< k). */
  count: number;
}

/**
 * k-anonymity check of a customer-level table before export: for every
 * segment × attribute value cell, count customers; cells with fewer than `k`
 * (default 5) are returned so the caller can warn, suppress or generalise.
 * @example
 * ```ts
 * import { Table, kAnonymityCheck } from "custlab";
 * const t = new Table({ segment: ["x", "x", "y"], country: ["UK", "UK", "DE"] });
 * kAnonymityCheck(t, { segment: "segment", attributes: ["country"], k: 2 });
 * // [{ segment: "y", attribute: "country", value: "DE", count: 1 }]
 * ```
 */
export function kAnonymityCheck(t: Table, options: { segment: string; attributes: string[]; k?: number }): KAnonymityViolation[] {
  const k = options.k ?? 5;
  const seg = t.get(options.segment);
  const out: KAnonymityViolation[] = [];
  for (const attr of options.attributes) {
    const col = t.get(attr);
    const counts = new Map<string, number>();
    for (let i = 0; i < t.numRows; i++) {
      const key = `${seg[i]}\u0000${col[i]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of counts) {
      if (count < k) {
        const [s, v] = key.split("\u0000");
        out.push({ segment: s, attribute: attr, value: v, count });
      }
    }
  }
  return out.sort((a, b) => a.count - b.count);
}
