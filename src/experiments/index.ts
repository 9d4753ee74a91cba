/**
 * A/B tests of retention actions: seeded stratified assignment, campaign
 * analysis (conversion per arm, absolute and relative uplift with intervals,
 * two-proportion z-test, uplift by segment, peeking warnings), sample size and
 * power, and a conversion-per-arm figure.
 * @packageDocumentation
 */
export { assignArms, analyzeCampaign, sampleSize, power, campaignFigure, campaignTable } from "./campaign";
export type {
  AssignArmsOptions, AnalyzeCampaignOptions, ArmSummary, ArmComparison, CampaignAnalysis, SampleSizeOptions,
  SampleSizeResult,
} from "./campaign";
export {
  experimentNormalCdf, experimentNormalQuantile, twoProportionZTest, wilsonInterval as experimentWilsonInterval,
  differenceInterval as experimentDifferenceInterval, relativeUpliftInterval as experimentRelativeUpliftInterval,
} from "./stats";
