/**
 * The demo shop: a seeded synthetic e-commerce shop with planted, known truth
 * (segments, purchase and dropout process, churn probabilities, co-purchase
 * pairs, review sentiment and topics, dirty rows, a campaign with a known
 * uplift). Every capability scores itself against it.
 * @packageDocumentation
 */
export {
  generateDemoShop, writeDemoShop, demoPath, demoCacheDir, DEMO_FILES, DEMO_DEFAULT_CUSTOMERS, DEMO_LINES_PER_CUSTOMER,
} from "./generate";
export type { DemoOptions, DemoShop, DemoTruth, DemoSegmentTruth, DemoTxRow } from "./generate";
export { DEMO_SEGMENTS, DEMO_MIGRATIONS, DEMO_COUNTRIES, DEMO_CHANNELS } from "./config";
export type { DemoSegmentSpec, DemoMigrationSpec } from "./config";
export { DEMO_CATEGORIES } from "./catalogue";
export type { DemoProduct } from "./catalogue";
export { DEMO_TOPICS } from "./reviews";
export type { DemoTopic, DemoSentiment } from "./reviews";
export { DIRTY_KINDS } from "./dirty";
export { DEMO_OFFERS, demoOfferResponse, simulateOfferCampaign } from "./offers";
export type { DemoOfferSpec, OfferCampaignOptions } from "./offers";
export type { DirtyKind } from "./dirty";
