/**
 * Uplift modelling: whom an offer actually changes. T-learner, X-learner and
 * class-transformation models over any synchronous custlab classifier; Qini and
 * uplift curves, AUUC and uplift by decile with bootstrap intervals; and the one
 * workflow from a campaign file to cross-fitted, evaluated uplift scores.
 * @packageDocumentation
 */
export { TLearner, XLearner, ClassTransformationUplift, createUpliftModel, UPLIFT_METHODS } from "./learners";
export type { UpliftModelOptions, XLearnerOptions, UpliftFitOptions, UpliftModel } from "./learners";
export {
  upliftCurve, qiniCurve, upliftAucScore, qiniCoefficient, auuc, upliftByDecile, upliftEvaluation, qiniFigure, upliftDecileFigure,
} from "./curves";
export type { UpliftCurve, UpliftBootstrapOptions, UpliftDecile, UpliftEvaluation } from "./curves";
export { upliftFromCampaign } from "./workflow";
export type { UpliftWorkflowOptions, UpliftRun } from "./workflow";
