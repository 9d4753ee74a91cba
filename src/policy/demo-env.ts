/**
 * The demo shop as an environment for retention policies: every customer's
 * context (segment at the cutoff × churn band), value at risk and the planted
 * response to each offer ({@link demoOfferResponse}).
 */
import type { Table } from "../table";
import { CustlabError } from "../util/errors";
import { DEMO_OFFERS, demoOfferResponse } from "../demo/offers";
import type { RetentionEnvironment } from "./bandit";

/**
 * Churn band of a probability: "high" ≥ 0.7, "medium" ≥ 0.3, else "low".
 * @example churnBandOf(0.82); // "high"
 */
export function churnBandOf(p: number): "low" | "medium" | "high" {
  return p >= 0.7 ? "high" : p >= 0.3 ? "medium" : "low";
}

/**
 * The demo shop's customers as a {@link RetentionEnvironment}: context
 * "segment|band" (segment at the cutoff, band of the planted churn
 * probability), value at risk = expected order value × planted order rate ×
 * horizon days (what the customer would spend in the horizon if kept), and the
 * planted response model.
 * @param shop - a demo shop's `campaign` and `truthCustomers` tables
 * @param horizonDays - horizon of the value at risk (default 90)
 * @example
 * const env = demoRetentionEnvironment(generateDemoShop({ seed: 42 }));
 * env.response(0, "discount");
 */
export function demoRetentionEnvironment(shop: { campaign: Table; truthCustomers: Table }, horizonDays = 90): RetentionEnvironment & { customerId: string[]; segment: string[]; churnProb: Float64Array } {
  const ids = shop.campaign.str("customer_id"), seg = shop.campaign.str("segment");
  const t = shop.truthCustomers, pos = new Map<string, number>();
  t.str("customer_id").forEach((id, i) => pos.set(id, i));
  const cp = t.num("churn_prob"), lam = t.num("lambda"), aov = t.num("expected_order_value");
  const n = ids.length;
  const churnProb = new Float64Array(n), value = new Float64Array(n), context: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = pos.get(ids[i]);
    if (r === undefined) throw new CustlabError("E_VALUE", `customer ${ids[i]} has no truth row`);
    churnProb[i] = cp[r];
    value[i] = aov[r] * lam[r] * horizonDays;
    context[i] = `${seg[i]}|${churnBandOf(cp[r])}`;
  }
  return {
    customerId: ids.slice(), segment: seg.slice(), churnProb, context, value,
    response: (i, action) => demoOfferResponse(seg[i], churnProb[i], action),
  };
}

/** The demo offers' ids and costs, in {@link DEMO_OFFERS} order. */
export const DEMO_OFFER_ACTIONS = { actions: DEMO_OFFERS.map((o) => o.id), costs: DEMO_OFFERS.map((o) => o.cost) };
