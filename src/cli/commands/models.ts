import { parseArgs, printJSON, strOpt, checkedNumOpt } from "../args";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";
import { READING_SPEC, readingOptions } from "../reading";
import { loadTransactions } from "../../io";
import { cleanTransactions } from "../../clean";
import { ModelRegistry } from "../../registry";
import { churnTransactions, registryModelName, promoteChurnIfBetter, compareChurnSpecs, churnSpecFromState } from "../../churn";
import type { ChurnArtifactState } from "../../churn";

export const usage = `custlab models <list|show|promote|rollback|compare|delete|log> <registry> [...] [--name <model>] [--json]

  list <registry>                         every version: created, type, metrics, champion
  show <registry> [<version>|champion]    one version: metrics, tags, training cutoffs, calibration, feature schema
  promote <registry> <version>            make a version the champion; with --data <transactions> --format <adapter>
                                          only when it beats the champion on the same folds (both retrained
                                          at --folds 2 out-of-time cutoffs, --fold-every 30 days apart; higher
                                          pooled AUC, every fold won, DeLong p < --alpha 0.05)
  rollback <registry>                     restore the previous champion
  compare <registry> [<v1> <v2>]          metrics side by side; with --data the paired out-of-time comparison
                                          (default: champion vs latest)
  delete <registry> <version>             remove a version (never the champion)
  log <registry>                          the decision log (promotions, refusals, retraining, monitoring)

--name picks the model when the registry holds several. Every decision is logged in the registry.`;

function versionArg(s: string | undefined, what: string): number {
  if (s === undefined) throw new CustlabError("E_USAGE", `custlab models ${what} needs a version number`);
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1) throw new CustlabError("E_USAGE", `custlab models ${what}: "${s}" is not a version number`);
  return v;
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, {
    name: "string", json: "boolean", data: "string", format: "string", folds: "string", "fold-every": "string", alpha: "string", ...READING_SPEC,
  });
  const [action, root, ...rest] = positionals;
  const actions = ["list", "show", "promote", "rollback", "compare", "delete", "log"];
  if (!action || !actions.includes(action)) throw new CustlabError("E_USAGE", `custlab models needs an action: ${actions.join(", ")} (see --help)`);
  if (!root) throw new CustlabError("E_USAGE", `custlab models ${action} needs a registry folder`);
  const reg = new ModelRegistry(root);
  const name = registryModelName(reg, strOpt(options, "name"));
  const folds = checkedNumOpt(options, "folds", 2, { min: 1, integer: true });
  const foldEveryDays = checkedNumOpt(options, "fold-every", 30, { above: 0, integer: true });
  const alpha = checkedNumOpt(options, "alpha", 0.05, { above: 0, max: 1 });
  const loadData = async () => {
    const file = strOpt(options, "data")!;
    const reading = readingOptions(options);
    const loaded = await loadTransactions(file, { ...reading, format: (strOpt(options, "format", reading.map ? "transactions" : "custlab") as any) });
    return churnTransactions(cleanTransactions(loaded.table).table);
  };
  const progress = options.json ? undefined : consoleProgress();
  let out: Record<string, unknown>;
  switch (action) {
    case "list": {
      out = { registry: root, name, champion: reg.champion(name), versions: reg.list(name).toRows() };
      break;
    }
    case "show": {
      const v = rest[0] === undefined || rest[0] === "champion" ? "champion" : rest[0] === "latest" ? "latest" : versionArg(rest[0], "show");
      const art = reg.artifact(name, v);
      const churn = (art as typeof art & { extra?: { churn?: ChurnArtifactState } }).extra?.churn;
      out = {
        registry: root, name, version: art.version, champion: reg.champion(name) === art.version, created: art.createdAt, model_type: art.modelType,
        metrics: art.metrics, tags: art.tags ?? {}, seed: art.seed, backend: art.backend, data_fingerprint: art.dataFingerprint,
        features: art.featureSchema.names,
        ...(churn ? { horizon_days: churn.horizon_days, train_cutoffs: churn.train_cutoffs, eligibility_active_days: churn.active_days ?? null, calibration: churn.calibration ? { method: churn.calibration.method, cv_logloss: churn.calibration.cv_logloss, ece_oof_raw: churn.calibration.ece_oof_raw, ece_oof_calibrated: churn.calibration.ece_oof_calibrated } : "none", reference_cutoff: churn.reference?.cutoff } : {}),
      };
      break;
    }
    case "promote": {
      const v = versionArg(rest[0], "promote");
      if (options.data) {
        const d = await promoteChurnIfBetter(root, v, await loadData(), { name, folds, foldEveryDays, alpha, onProgress: progress });
        out = { registry: root, name, challenger: v, champion_before: d.champion, promoted: d.promoted, champion: reg.champion(name), reason: d.reason, ...(d.comparison ? { folds: d.comparison.folds.toRows(), auc_champion: d.comparison.aucA, auc_challenger: d.comparison.aucB, delong: d.comparison.delong, rule: d.comparison.rule } : {}) };
      } else {
        const before = reg.champion(name);
        reg.promote(name, v);
        reg.logDecision(name, { action: "promote", challenger: v, champion_before: before, promoted: true, reason: "promoted by hand (no paired comparison requested)" });
        out = { registry: root, name, champion_before: before, champion: v, promoted: true, reason: "promoted by hand (no paired comparison requested)" };
      }
      break;
    }
    case "rollback": {
      const before = reg.champion(name);
      const now = reg.rollback(name);
      reg.logDecision(name, { action: "rollback", champion_before: before, champion: now });
      out = { registry: root, name, champion_before: before, champion: now };
      break;
    }
    case "compare": {
      const list = reg.list(name);
      const versions = rest.length ? rest.map((r) => versionArg(r, "compare")) : undefined;
      const table = reg.compare(name, versions).toRows();
      out = { registry: root, name, versions: table };
      if (options.data) {
        const vs = list.num("version");
        const a = versions?.[0] ?? reg.champion(name) ?? vs[0], b = versions?.[1] ?? vs[vs.length - 1];
        const st = (v: number) => (reg.artifact(name, v) as any).extra?.churn as ChurnArtifactState | undefined;
        const sa = st(a), sb = st(b);
        if (!sa || !sb) throw new CustlabError("E_MODEL_TYPE", `models compare --data needs versions saved by the churn workflow (v${a}, v${b})`);
        const c = await compareChurnSpecs(await loadData(), churnSpecFromState(sa), churnSpecFromState(sb), { folds, foldEveryDays, alpha, onProgress: progress });
        out.paired = { a, b, folds: c.folds.toRows(), auc_a: c.aucA, auc_b: c.aucB, delong: c.delong, b_better: c.bBetter, rule: c.rule };
      }
      break;
    }
    case "delete": {
      const v = versionArg(rest[0], "delete");
      reg.delete(name, v);
      reg.logDecision(name, { action: "delete", version: v });
      out = { registry: root, name, deleted: v, versions: reg.list(name).num("version").length };
      break;
    }
    default: {
      out = { registry: root, name, decisions: reg.decisions(name) };
    }
  }
  if (options.json) printJSON(out);
  else process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  return 0;
}
