/**
 * Uplift modelling: whom an offer actually changes. T-learner, X-learner and
 * class-transformation models over any custlab classifier (asynchronous fit over the tfjs models, ensemble and stacking); Qini and
 * uplift curves, AUUC and uplift by decile with bootstrap intervals; and the one
 * workflow from a campaign file to cross-fitted, evaluated uplift scores.
 * @packageDocumentation
 */
export { TLearner, XLearner, ClassTransformationUplift, createUpliftModel, UPLIFT_METHODS, ASYNC_UPLIFT_BASES, isAsyncUpliftBase } from "./learners";
export type { UpliftModelOptions, XLearnerOptions, UpliftFitOptions, UpliftModel, UpliftFitResult, AsyncUpliftBase } from "./learners";
export {
  upliftCurve, qiniCurve, upliftAucScore, qiniCoefficient, auuc, upliftByDecile, upliftEvaluation, qiniFigure, upliftDecileFigure,
} from "./curves";
export type { UpliftCurve, UpliftBootstrapOptions, UpliftDecile, UpliftEvaluation } from "./curves";
export { upliftFromCampaign, upliftFromCampaignAsync } from "./workflow";
export type { UpliftWorkflowOptions, UpliftRun } from "./workflow";
