/**
 * From scores to decisions: a retention policy that learns (Thompson
 * sampling per segment × churn band, simulated against a known response
 * model, with regret), off-policy evaluation of a new policy on logged
 * campaigns (IPW, self-normalised IPW, doubly robust), and fairness of a model
 * or policy by group (fairlearn's definitions).
 * @packageDocumentation
 */
export { thompsonPolicy, thompsonChoose, thompsonUpdate, simulateRetentionPolicy, banditRegretFigure } from "./bandit";
export type { ThompsonPolicy, RetentionEnvironment, BanditSimulationOptions, BanditSimulation } from "./bandit";
export { offPolicyValue } from "./ope";
export type { PolicyLog, PolicyValueEstimate, OffPolicyEvaluation, OffPolicyOptions } from "./ope";
export { fairnessReport, fairnessFigure, actionShareByGroup } from "./fairness";
export type { FairnessOptions, FairnessGroup, FairnessReport } from "./fairness";
export { demoRetentionEnvironment, churnBandOf, DEMO_OFFER_ACTIONS } from "./demo-env";
export { parseActions, readActions, nextBestActions, crossSellBundles, recommendActions, actionsFromScores, valueIfKept } from "./actions";
export type { ActionSpec, ActionEligibility, BundleItem, NextBestActionOptions, RecommendActionsOptions, RecommendActionsResult, ActionsFromScoresOptions, ActionsResult } from "./actions";
