import { CustlabError } from "../util/errors";
import type { Matrix } from "../util/matrix";
import { Table } from "../table";
import { customerFeatures, churnLabels, Preprocessor } from "../features";
import { DAY_MS } from "../features/customer";
import { createModel } from "../models";
import { positiveProba } from "../util/estimator";
import { rocAucScore, spearmanCorrelation } from "../eval";
import { CoxPH, nextOrderDurations } from "../survival";

/** Options for {@link timeToNextOrderAtCutoff}. */
export interface TimeToOrderOptions {
  /** Scoring cutoff (epoch ms UTC). Required. */
  cutoff: number;
  /** Horizon H in days: P(no order in H days) is compared with the churn classifier's P(churn). Default 90. */
  horizonDays?: number;
  /** Zoo classifier for the comparison. Default "gbdt". */
  model?: string;
  /** L2 penalty of the Cox model (standardised features). Default 0.01. */
  alpha?: number;
  /** Seed. Default 42. */
  seed?: number;
}

/** Result of {@link timeToNextOrderAtCutoff}. */
export interface TimeToOrderRun {
  /** The Cox model (fitted on features at cutoff − H, durations observed up to the cutoff). */
  cox: CoxPH;
  /** Feature names of the Cox coefficients (`cox.coef_` order). */
  featureNames: string[];
  /** customer_id, median_days_to_next_order, p_no_order_h (Cox), p_churn (classifier), churned (what happened). */
  customers: Table;
  /** ROC-AUC against what happened in (cutoff, cutoff + H]: Cox's P(no order in H) and the classifier's P(churn). */
  auc: { cox: number; classifier: number };
  /** Spearman correlation of the two probabilities. */
  spearman: number;
}

/**
 * Time to the next order per customer from a Cox proportional-hazards model
 * on the customer features, compared with the churn classifier. Both learn at
 * cutoff − H from rows before the cutoff only: the Cox durations run from
 * cutoff − H to the next order, right-censored at the cutoff; the classifier
 * learns the churn labels of (cutoff − H, cutoff]. At the cutoff each customer
 * gets the median days to the next order and P(no order in H days) =
 * S(H | x), scored with the classifier's P(churn) against what happened.
 *
 * @example
 * const r = timeToNextOrderAtCutoff(tx, { cutoff: Date.parse("2011-09-09"), horizonDays: 90 });
 * r.auc; // { cox, classifier }
 */
export function timeToNextOrderAtCutoff(tx: Table, options: TimeToOrderOptions): TimeToOrderRun {
  const H = options.horizonDays ?? 90, cutoff = options.cutoff, seed = options.seed ?? 42;
  if (!Number.isFinite(cutoff)) throw new CustlabError("E_OPTION", "timeToNextOrderAtCutoff: option cutoff is required (epoch ms)");
  const trainCut = cutoff - H * DAY_MS;
  const fTrain = customerFeatures(tx, { cutoff: trainCut }), fTest = customerFeatures(tx, { cutoff });
  const pre = new Preprocessor({ types: { idColumns: ["customer_id"] } }).fit(fTrain);
  const Xtr: Matrix = pre.transform(fTrain), Xte: Matrix = pre.transform(fTest);
  const d = nextOrderDurations(tx, fTrain.str("customer_id"), trainCut, cutoff);
  const cox = new CoxPH({ ties: "breslow", alpha: options.alpha ?? 0.01 }).fit({ X: Xtr, time: d.time, event: d.event });
  const yChurnTrain = Float64Array.from(churnLabels(tx, fTrain, { cutoff: trainCut, horizonDays: H }).num("churn"));
  const clf = createModel(options.model ?? "gbdt", { seed });
  if (clf.fit(Xtr, yChurnTrain) instanceof Promise) throw new CustlabError("E_OPTION", "timeToNextOrderAtCutoff: use a synchronous zoo model (logreg, tree, forest, gbdt)");
  const pChurn = positiveProba(clf, Xte);
  const pNone = cox.survivalAt(Xte, [H]);
  const median = cox.medianTime(Xte);
  const churned = Float64Array.from(churnLabels(tx, fTest, { cutoff, horizonDays: H }).num("churn"));
  const customers = new Table({ customer_id: fTest.str("customer_id"), median_days_to_next_order: median, p_no_order_h: pNone, p_churn: pChurn, churned });
  return { cox, featureNames: pre.featureNames_, customers, auc: { cox: rocAucScore(churned, pNone), classifier: rocAucScore(churned, pChurn) }, spearman: spearmanCorrelation(pNone, pChurn) };
}
