// The model classes register their tags with the estimator registry when loaded, so
// modelFromJSON (in ./revive, which the ensembles use for their members without
// importing this file back) revives every classifier once this module is loaded.
import "./logistic";
import "./tree";
import "./forest";
import "./gbdt";
import "./neural";
import "./ensemble";

export { modelFromJSON } from "./revive";
