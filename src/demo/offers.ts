/**
 * The demo shop's retention offers and their planted response model.
 *
 * A retention offer keeps a would-be churner with a save rate that depends on
 * the customer's segment and the offer, so the planted effect of an offer on
 * customer i is an absolute uplift in retention of
 *   uplift(i, a) = P(churn)ᵢ × save(segmentᵢ, a),
 * and P(retained | a) = 1 − P(churn)ᵢ·(1 − save(segmentᵢ, a)). The save rates
 * are chosen so that uplift does not simply follow churn risk: "loyal"
 * customers (low churn risk) respond to a discount far more than "occasional"
 * ones (high churn risk). Campaigns drawn from this model use their own seeded
 * random stream: the demo shop's existing draws are untouched.
 */
import { Table } from "../table";
import { CustlabError, optionError } from "../util/errors";
import { createRng } from "../util/random";
import { DEMO_SEGMENTS } from "./config";

/** One retention offer of the demo shop. */
export interface DemoOfferSpec {
  /** Machine name ("none", "discount", "free_shipping", "bundle"). */
  id: string;
  /** Cost per customer who receives it (currency units). */
  cost: number;
  /** Planted save rate by segment name: the share of would-be churners it keeps. */
  save: Record<string, number>;
}

/** The demo's offers: no action, a 10% discount, free shipping and a cross-sell bundle. */
export const DEMO_OFFERS: readonly DemoOfferSpec[] = [
  { id: "none", cost: 0, save: { champions: 0, loyal: 0, bargain_hunters: 0, occasional: 0, at_risk: 0 } },
  { id: "discount", cost: 5, save: { champions: 0.1, loyal: 0.6, bargain_hunters: 0.8, occasional: 0.02, at_risk: 0.3 } },
  { id: "free_shipping", cost: 2, save: { champions: 0.2, loyal: 0.3, bargain_hunters: 0.4, occasional: 0.15, at_risk: 0.05 } },
  { id: "bundle", cost: 3, save: { champions: 0.6, loyal: 0.2, bargain_hunters: 0.1, occasional: 0.1, at_risk: 0.1 } },
];

function offer(id: string): DemoOfferSpec {
  const o = DEMO_OFFERS.find((x) => x.id === id);
  if (!o) throw new CustlabError("E_OPTION", `unknown demo offer "${id}" (choose one of: ${DEMO_OFFERS.map((x) => x.id).join(", ")})`);
  return o;
}

/**
 * Planted probability that a customer is retained (buys in the horizon) after
 * an offer: 1 − P(churn)·(1 − save(segment, offer)).
 * @param segment - demo segment name at the cutoff
 * @param churnProb - the customer's planted churn probability (truth `churn_prob`)
 * @param offerId - one of {@link DEMO_OFFERS}
 * @example
 * demoOfferResponse("loyal", 0.2, "discount"); // 1 − 0.2·0.4 = 0.92
 */
export function demoOfferResponse(segment: string, churnProb: number, offerId: string): number {
  const s = offer(offerId).save[segment];
  if (s === undefined) throw new CustlabError("E_OPTION", `unknown demo segment "${segment}" (choose one of: ${DEMO_SEGMENTS.map((x) => x.name).join(", ")})`);
  return 1 - churnProb * (1 - s);
}

/** Options for {@link simulateOfferCampaign}. */
export interface OfferCampaignOptions {
  /** Offers (arms) to randomise over (default ["none", "discount"]). */
  arms?: string[];
  /** Assignment probability per arm (default equal); recorded as `propensity`. */
  weights?: number[];
  /** Seed of the assignment and outcome draws (default 42; independent of the shop's seed stream). */
  seed?: number;
}

/**
 * A randomised retention-offer campaign on the demo shop's customers, drawn
 * from the planted response model ({@link demoOfferResponse}): every customer
 * gets an arm at random (probabilities `weights`), then `retained` ~
 * Bernoulli(P(retained | arm)). Columns: customer_id, segment (at the cutoff),
 * churn_prob, arm, propensity (P(arm) under the logging policy), retained,
 * and `uplift_<offer>` for every arm: the planted uplift of that offer over
 * "none" for this customer (whatever arm the customer got).
 *
 * @param shop - tables of a demo shop: `campaign` (segment at the cutoff) and `truthCustomers` (churn_prob)
 * @example
 * const shop = generateDemoShop({ seed: 42 });
 * const c = simulateOfferCampaign(shop, { arms: ["none", "discount"], seed: 7 });
 * c.num("retained");
 */
export function simulateOfferCampaign(shop: { campaign: Table; truthCustomers: Table }, options: OfferCampaignOptions = {}): Table {
  const arms = options.arms ?? ["none", "discount"];
  if (arms.length < 1 || new Set(arms).size !== arms.length) optionError("arms", `need distinct offer names, got ${JSON.stringify(arms)}`);
  arms.forEach(offer);
  const weights = options.weights ?? arms.map(() => 1);
  if (weights.length !== arms.length || weights.some((w) => !(w > 0))) optionError("weights", `need one positive weight per arm (${arms.length}), got ${JSON.stringify(weights)}`);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const rng = createRng(((options.seed ?? 42) + 2654435761) >>> 0);
  const ids = shop.campaign.str("customer_id"), seg = shop.campaign.str("segment");
  const truthIds = shop.truthCustomers.str("customer_id"), cp = shop.truthCustomers.num("churn_prob");
  const pos = new Map<string, number>();
  truthIds.forEach((id, i) => pos.set(id, i));
  const n = ids.length;
  const armOut: string[] = new Array(n), segOut: string[] = new Array(n);
  const prop = new Float64Array(n), ret = new Float64Array(n), churn = new Float64Array(n);
  const up = arms.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const t = pos.get(ids[i]);
    if (t === undefined) throw new CustlabError("E_VALUE", `customer ${ids[i]} of the campaign has no truth row`);
    const k = rng.categorical(weights);
    const p = demoOfferResponse(seg[i], cp[t], arms[k]);
    armOut[i] = arms[k]; segOut[i] = seg[i]; prop[i] = weights[k] / wsum; churn[i] = cp[t];
    ret[i] = rng.next() < p ? 1 : 0;
    const p0 = demoOfferResponse(seg[i], cp[t], "none");
    arms.forEach((a, j) => (up[j][i] = demoOfferResponse(seg[i], cp[t], a) - p0));
  }
  const cols: Record<string, string[] | Float64Array> = { customer_id: ids.slice(), segment: segOut, churn_prob: churn, arm: armOut, propensity: prop, retained: ret };
  arms.forEach((a, j) => (cols[`uplift_${a}`] = up[j]));
  return new Table(cols);
}
