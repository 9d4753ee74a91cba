import { CustlabError } from "../util/errors";
import { LogisticRegression } from "./logistic";
import { DecisionTreeClassifier } from "./tree";
import { RandomForestClassifier } from "./forest";
import { HistGradientBoostingClassifier } from "./gbdt";
import { MLPClassifier, RecurrentClassifier, TransformerClassifier } from "./neural";
import { StackingClassifier, VotingClassifier } from "./ensemble";
import type { Classifier } from "./types";

/** Names of the ready-made models of {@link createModel} (the `--model` values of `custlab train`). */
export const MODEL_NAMES = ["logreg", "tree", "forest", "gbdt", "mlp", "lstm", "gru", "transformer", "ensemble", "stacking"] as const;

/** One of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * True for models trained with tfjs (they need `initBackend`, and `fit` is async).
 * @example
 * isTfjsModel("lstm"); // true
 * isTfjsModel("gbdt"); // false
 */
export function isTfjsModel(name: string): boolean {
  return ["mlp", "lstm", "gru", "transformer"].includes(name);
}

/**
 * A model of the zoo with custlab's defaults for tabular churn data, plus
 * `overrides` (merged into the constructor options):
 * - `logreg`: LogisticRegression L2, C = 1
 * - `tree`: DecisionTree, maxDepth 6, minSamplesLeaf 20
 * - `forest`: RandomForest, 300 trees, minSamplesLeaf 5, maxFeatures sqrt
 * - `gbdt`: HistGradientBoosting with scikit-learn's defaults (lr 0.1, 100 iterations, 31 leaves, min 20 rows per leaf)
 * - `mlp`: MLP 64 → 32, Adam 1e-3, batch 256, ≤ 100 epochs, early stopping (patience 10), dropout 0.1
 * - `lstm` / `gru`: 32 units; a flat table is a sequence of length 1 (see RecurrentClassifier `timesteps`)
 * - `transformer`: dModel 32, 4 heads, 1 block; flat table = sequence of length 1
 * - `ensemble`: soft vote of logreg and a slow, shallow gbdt (lr 0.02, 4 leaves, min 50 rows per leaf, l2 1, 600 iterations)
 * - `stacking`: StackingClassifier of the same two with a logistic-regression meta model (5 folds)
 * @example const m = createModel("gbdt", { seed: 7, overrides: { maxIter: 300 } });
 */
export function createModel(name: string, options: { seed?: number; overrides?: Record<string, unknown> } = {}): Classifier {
  const seed = options.seed ?? 42, o = options.overrides ?? {};
  const members = () => [
    new LogisticRegression({ C: 1 }),
    new HistGradientBoostingClassifier({ learningRate: 0.02, maxLeafNodes: 4, minSamplesLeaf: 50, l2Regularization: 1, maxIter: 600, seed }),
  ];
  switch (name) {
    case "logreg": return new LogisticRegression({ C: 1, seed, ...o });
    case "tree": return new DecisionTreeClassifier({ maxDepth: 6, minSamplesLeaf: 20, seed, ...o });
    case "forest": return new RandomForestClassifier({ nEstimators: 300, minSamplesLeaf: 5, seed, ...o });
    case "gbdt": return new HistGradientBoostingClassifier({ seed, ...o });
    case "mlp": return new MLPClassifier({ hiddenLayers: [64, 32], epochs: 100, patience: 10, dropout: 0.1, seed, ...o });
    case "lstm": return new RecurrentClassifier({ cell: "lstm", units: 32, epochs: 100, patience: 10, seed, ...o });
    case "gru": return new RecurrentClassifier({ cell: "gru", units: 32, epochs: 100, patience: 10, seed, ...o });
    case "transformer": return new TransformerClassifier({ dModel: 32, heads: 4, layers: 1, epochs: 100, patience: 10, seed, ...o });
    case "ensemble": return new VotingClassifier({ estimators: members(), ...o });
    case "stacking": return new StackingClassifier({ estimators: members(), seed, ...o });
    default: throw new CustlabError("E_OPTION", `unknown model "${name}" (choose one of: ${MODEL_NAMES.join(", ")})`);
  }
}
