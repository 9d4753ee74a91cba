/**
 * Time to the next order (or to churn) for right-censored durations:
 * Kaplan–Meier curves (overall and per segment) and Cox proportional hazards,
 * matched to statsmodels' SurvfuncRight and PHReg; figures.
 * @module
 */
export { kaplanMeier, kaplanMeierByGroup, survivalAt, CoxPH, nextOrderDurations, kaplanMeierFigure } from "./estimators";
export type { KaplanMeierCurve, CoxTies, CoxPHOptions, SurvivalData } from "./estimators";
