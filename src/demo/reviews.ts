import { Rng } from "../util/random";

/** Review sentiment classes. */
export type DemoSentiment = "positive" | "neutral" | "negative";
/** Planted review topics (the same five in both languages). */
export const DEMO_TOPICS = ["fit", "delivery", "quality", "price", "service"] as const;
/** A planted review topic. */
export type DemoTopic = (typeof DEMO_TOPICS)[number];

type Bank = Record<DemoTopic, Record<DemoSentiment, string[]>>;

// Templates: `{a|b|c}` picks one alternative, `{INT}` an intensifier (often none).
const EN: Bank = {
  fit: {
    positive: ["The fit is {INT}perfect and true to size.", "It fits {INT}well and the length is just right.", "{Comfortable|Flattering} fit around the waist, I ordered my usual size.", "Sizing is accurate and the fit is {INT}flattering.", "True to size, the {length|waist} fits {INT}well."],
    neutral: ["The fit is okay but a little loose around the waist.", "Sizing runs slightly large, the length is fine.", "It fits as expected, the size is standard."],
    negative: ["It runs {INT}small, I had to order a larger size.", "The fit is {INT}tight around the waist and the length is too short.", "Sizing is not accurate, it does not fit at all.", "The size chart is wrong and the fit is {INT}loose.", "Not true to size, the {waist|length} is {INT}tight."],
  },
  delivery: {
    positive: ["Delivery was {INT}fast and the package arrived in two days.", "Shipping was {INT}quick and the box arrived well packed.", "The courier was on time and tracking worked {INT}well.", "Fast delivery, the parcel arrived {early|on time}."],
    neutral: ["Delivery took about a week, the package arrived fine.", "Shipping was average and tracking updated slowly.", "The parcel arrived on the expected day, delivery was standard."],
    negative: ["Delivery was {INT}slow and the package arrived late.", "The courier lost my package and shipping took three weeks.", "The box arrived damaged and tracking never updated.", "Shipping was not fast at all, the parcel arrived ten days late.", "The package never arrived and the courier {did not|didn't} reply."],
  },
  quality: {
    positive: ["The material is {INT}soft and the stitching is {INT}solid.", "{Great|Excellent} quality fabric, {INT}durable and well made.", "The quality is excellent, sturdy material and neat seams.", "Solid stitching and {INT}durable material."],
    neutral: ["The quality is average, the fabric is a bit thin.", "The material is okay but the stitching could be better.", "Quality is acceptable, the fabric feels ordinary."],
    negative: ["The material is {INT}thin and the stitching came apart.", "Poor quality, the fabric is not durable and the seams broke.", "The quality is {INT}bad, it broke after one week.", "The material is not soft at all and feels flimsy.", "Cheap stitching, the seams {ripped|tore} after one wash."],
  },
  price: {
    positive: ["{INT}great value for money at this price.", "The price is {INT}affordable and the discount made it a great deal.", "Worth every penny, the cost is reasonable.", "Good deal, {INT}affordable price and real value."],
    neutral: ["The price is fair, not a bargain but acceptable.", "Decent value for the cost, I waited for a discount.", "The price is average for this kind of item."],
    negative: ["Not worth the price, {INT}overpriced for what you get.", "{INT}expensive and poor value for money.", "The price is too high, it is not worth the money.", "Waste of money, the cost is not justified.", "Overpriced, not worth the price even with the discount."],
  },
  service: {
    positive: ["Customer service was {INT}helpful and replied within an hour.", "The support staff were {INT}friendly and the exchange was easy.", "Great service, the refund was processed {INT}quickly.", "The customer support team answered my email {INT}quickly."],
    neutral: ["Customer service replied after a few days and solved the issue.", "The support email was slow but the staff were polite.", "Service was standard, the exchange took a while."],
    negative: ["Customer service was {INT}rude and never replied to my email.", "The support staff were not helpful and the refund took a month.", "Terrible service, nobody answered about my exchange.", "I contacted support three times and got no reply.", "The staff {did not|didn't} help and refused a refund."],
  },
};

/** Quality sentences for hard goods (no fabric or seams). */
const EN_QUALITY_HARD: Record<DemoSentiment, string[]> = {
  positive: ["The build quality is {INT}solid and the material feels durable.", "{Great|Excellent} quality, sturdy and well made.", "Solid material, {INT}durable and nicely finished."],
  neutral: ["The quality is average, the material feels a bit thin.", "Build quality is okay but not sturdy.", "Quality is acceptable, the material feels ordinary."],
  negative: ["Poor quality, it broke after one week.", "The material is {INT}flimsy and not durable at all.", "The quality is {INT}bad, cheap material that cracked.", "Not sturdy, it broke the second time I used it."],
};

const EN_GENERIC: Record<DemoSentiment, string[]> = {
  positive: ["I love it.", "{INT}happy with this purchase.", "Highly recommend!", "Would buy again.", "Five stars.", "{Absolutely|Really} love it!"],
  neutral: ["It is okay.", "Nothing special.", "Average overall.", "It does the job.", "Neither good nor bad."],
  negative: ["{INT}disappointed.", "Would not buy again.", "Do not recommend.", "I regret this purchase.", "{Terrible|Awful}.", "Never again."],
};

const EN_TITLES: Record<DemoTopic, Record<DemoSentiment, string[]>> = {
  fit: { positive: ["Perfect fit", "True to size"], neutral: ["Fit is okay", "Slightly large"], negative: ["Runs small", "Does not fit"] },
  delivery: { positive: ["Fast delivery", "Quick shipping"], neutral: ["Delivery okay", "Average shipping"], negative: ["Late delivery", "Package never arrived"] },
  quality: { positive: ["Great quality", "Well made"], neutral: ["Average quality", "It is okay"], negative: ["Poor quality", "Fell apart"] },
  price: { positive: ["Great value", "Good deal"], neutral: ["Fair price", "Okay value"], negative: ["Not worth the price", "Overpriced"] },
  service: { positive: ["Helpful service", "Great support"], neutral: ["Service okay", "Slow but fine"], negative: ["Rude service", "No reply"] },
};

const EN_INT = ["very ", "really ", "extremely ", "so ", "super ", "", "", "", ""];

const ZH: Bank = {
  fit: {
    positive: ["衣服尺寸{INT}合适，穿着很舒服", "大小合适，长度刚好", "尺寸标准，袖子长度也合适", "裤子大小{INT}合适，腰身刚好"],
    neutral: ["尺寸还可以，稍微大了一点", "大小基本合适，袖子有点长", "尺寸一般，腰身稍微有点松"],
    negative: ["尺寸{INT}小，衣服穿着太紧", "大小不合适，袖子太短", "尺寸不标准，裤子长度不对", "衣服尺寸太大，腰身太松"],
  },
  delivery: {
    positive: ["物流{INT}快，第二天就收到了", "快递速度很快，包装完好", "物流及时，快递员送货上门", "快递{INT}给力，包装很仔细"],
    neutral: ["物流一般，一周才收到", "快递速度还可以，包装普通", "物流有点慢，收到还算准时"],
    negative: ["物流太慢了，等了两个星期才收到", "快递员把包装弄破了", "物流很慢，送货也不及时", "快递{INT}慢，物流信息一直不更新"],
  },
  quality: {
    positive: ["质量{INT}好，做工精细", "布料手感很舒服，材料不错", "做工结实耐用，质量可靠", "质量过硬，材料{INT}结实"],
    neutral: ["质量一般，布料有点薄", "做工还可以，材料普通", "质量中等，手感一般"],
    negative: ["质量{INT}差，做工粗糙", "布料太薄，做工很差", "材料不好，用了一次就坏了", "做工{INT}粗糙，质量不行"],
  },
  price: {
    positive: ["价格{INT}实惠，非常划算", "很划算，优惠力度大", "价钱便宜，值得购买", "价格合理，{INT}实惠"],
    neutral: ["价格还算合理", "价钱一般，等优惠再买", "价格中等，不算便宜"],
    negative: ["价格太贵，不值这个价钱", "价钱太高，一点也不划算", "价格偏贵，没有优惠", "{INT}贵，价格不值得"],
  },
  service: {
    positive: ["商家服务态度{INT}好，回复很及时", "客户服务很好，退款很快", "商家很耐心，服务热情", "服务{INT}周到，回复及时"],
    neutral: ["商家回复有点慢，但还可以", "服务态度一般", "退款花了几天，服务一般"],
    negative: ["商家态度很差，一直不回复", "退款很麻烦，服务不好", "商家不理人，退款拖了很久", "服务{INT}差，商家不回复"],
  },
};

const ZH_GENERIC: Record<DemoSentiment, string[]> = {
  positive: ["非常喜欢", "推荐购买", "很满意", "下次还会再买", "五星推荐"],
  neutral: ["还可以吧", "一般般", "中规中矩", "凑合"],
  negative: ["很失望", "不好用", "不推荐", "再也不买了", "非常后悔"],
};

const ZH_TITLES: Record<DemoTopic, Record<DemoSentiment, string[]>> = {
  fit: { positive: ["尺寸合适"], neutral: ["尺寸还可以"], negative: ["尺寸不对"] },
  delivery: { positive: ["物流很快"], neutral: ["物流一般"], negative: ["物流太慢"] },
  quality: { positive: ["质量很好"], neutral: ["质量一般"], negative: ["质量太差"] },
  price: { positive: ["价格实惠"], neutral: ["价格合理"], negative: ["价格太贵"] },
  service: { positive: ["服务很好"], neutral: ["服务一般"], negative: ["服务太差"] },
};

const ZH_INT = ["很", "非常", "特别", "超级", "", "", ""];

function expand(t: string, rng: Rng, ints: string[]): string {
  return t.replace(/\{([^}]*)\}/g, (_m, body: string) => {
    if (body === "INT") return ints[rng.int(ints.length)];
    const alts = body.split("|");
    return alts[rng.int(alts.length)];
  });
}

function pick<T>(a: T[], rng: Rng): T {
  return a[rng.int(a.length)];
}

function capitalise(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * Write one review (title and text) with a planted topic and sentiment.
 * Text = one or two topic sentences of that sentiment, often a generic
 * sentiment sentence, and sometimes (8%) a "but" clause of the opposite
 * polarity about another topic — the realistic noise a model must see past.
 * `softGoods` (default true) picks fabric/stitching wording for quality;
 * false picks build/material wording (hard goods).
 * @example
 * writeReview("en", "price", "negative", createRng(1));
 * // { title: "Overpriced", text: "Not worth the price, really overpriced for what you get. Never again." }
 */
export function writeReview(lang: "en" | "zh", topic: DemoTopic, sentiment: DemoSentiment, rng: Rng, softGoods = true): { title: string; text: string } {
  const bank: Bank = lang === "en" ? (softGoods ? EN : { ...EN, quality: EN_QUALITY_HARD }) : ZH;
  const generic = lang === "en" ? EN_GENERIC : ZH_GENERIC;
  const ints = lang === "en" ? EN_INT : ZH_INT;
  const parts: string[] = [];
  const first = pick(bank[topic][sentiment], rng);
  parts.push(expand(first, rng, ints));
  if (rng.next() < 0.5) {
    let second = pick(bank[topic][sentiment], rng);
    if (second === first) second = pick(bank[topic][sentiment], rng);
    if (second !== first) parts.push(expand(second, rng, ints));
  }
  let butClause = "";
  if (sentiment !== "neutral" && rng.next() < 0.08) {
    const other = DEMO_TOPICS[(DEMO_TOPICS.indexOf(topic) + 1 + rng.int(DEMO_TOPICS.length - 1)) % DEMO_TOPICS.length];
    const opposite: DemoSentiment = sentiment === "positive" ? "negative" : "positive";
    butClause = expand(pick(bank[other][opposite], rng), rng, ints);
  }
  const g = rng.next() < 0.7 ? expand(pick(generic[sentiment], rng), rng, ints) : "";
  const gFirst = rng.next() < 0.3;
  const titleRaw = pick((lang === "en" ? EN_TITLES : ZH_TITLES)[topic][sentiment], rng);
  if (lang === "en") {
    const sentences = parts.map((s) => capitalise(s.trim()));
    if (butClause) {
      const last = sentences.pop()!.replace(/[.!]$/, "");
      sentences.push(`${last}, but ${butClause.replace(/^([A-Z])/, (c) => c.toLowerCase()).replace(/[.!]?$/, ".")}`);
    }
    if (g) { if (gFirst) sentences.unshift(capitalise(g)); else sentences.push(capitalise(g)); }
    return { title: titleRaw, text: sentences.join(" ") };
  }
  let body = parts.join("，");
  if (butClause) body += `，但是${butClause}`;
  body += rng.next() < 0.3 ? "！" : "。";
  if (g) body = gFirst ? `${g}！${body}` : `${body}${g}！`;
  return { title: titleRaw, text: body };
}

/** Star rating for a sentiment: consistent but noisy (positive 4–5, neutral mostly 3, negative 1–2, a few 3s). */
export function ratingFor(sentiment: DemoSentiment, rng: Rng): number {
  const u = rng.next();
  if (sentiment === "positive") return u < 0.6 ? 5 : u < 0.95 ? 4 : 3;
  if (sentiment === "neutral") return u < 0.7 ? 3 : u < 0.85 ? 2 : 4;
  return u < 0.55 ? 1 : u < 0.93 ? 2 : 3;
}
