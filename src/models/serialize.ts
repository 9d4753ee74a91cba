import { CustlabError } from "../util/errors";
import { LogisticRegression } from "./logistic";
import { DecisionTreeClassifier } from "./tree";
import { RandomForestClassifier } from "./forest";
import { HistGradientBoostingClassifier } from "./gbdt";
import { MLPClassifier, RecurrentClassifier, TransformerClassifier } from "./neural";
import { StackingClassifier, VotingClassifier } from "./ensemble";
import type { Classifier } from "./types";

/**
 * Rebuild any custlab model from its `toJSON()` output, dispatching on the
 * `type` field.
 * @example const m = modelFromJSON(JSON.parse(fs.readFileSync("model.json", "utf8")));
 */
export function modelFromJSON(o: any): Classifier {
  switch (o?.type) {
    case "LogisticRegression": return LogisticRegression.fromJSON(o);
    case "DecisionTreeClassifier": return DecisionTreeClassifier.fromJSON(o);
    case "RandomForestClassifier": return RandomForestClassifier.fromJSON(o);
    case "HistGradientBoostingClassifier": return HistGradientBoostingClassifier.fromJSON(o);
    case "MLPClassifier": return MLPClassifier.fromJSON(o);
    case "RecurrentClassifier": return RecurrentClassifier.fromJSON(o);
    case "TransformerClassifier": return TransformerClassifier.fromJSON(o);
    case "VotingClassifier": return VotingClassifier.fromJSON(o);
    case "StackingClassifier": return StackingClassifier.fromJSON(o);
    default: throw new CustlabError("E_FORMAT", `unknown model type "${o?.type}" in model JSON`);
  }
}
