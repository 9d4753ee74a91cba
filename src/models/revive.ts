import { estimatorFromJSON } from "../util/estimator";
import { CustlabError } from "../util/errors";
import type { Classifier } from "./types";

/**
 * Rebuild any custlab classifier from its `toJSON()` output, dispatching on
 * the `type` tag through the one estimator registry (`estimatorFromJSON`).
 * JSON of an estimator that is not a classifier is refused.
 * @example const m = modelFromJSON(JSON.parse(fs.readFileSync("model.json", "utf8")));
 */
export function modelFromJSON(o: unknown): Classifier {
  const m = estimatorFromJSON(o) as Classifier;
  if (typeof m.predictProba !== "function" || typeof m.predict !== "function")
    throw new CustlabError("E_MODEL_TYPE", `model JSON of type "${(o as { type?: string }).type}" is not a classifier`);
  return m;
}
