import { parseArgs, numOpt, strOpt, printJSON } from "../args";
import { readNumericCSV } from "../../io/matrix-csv";
import { KMeans, resolveAlgorithm } from "../../segment/kmeans";
import { silhouetteScore, SILHOUETTE_EXACT_MAX } from "../../segment/metrics";
import { CustlabError } from "../../util/errors";
import { consoleProgress } from "../../util/progress";

export const usage = `custlab kmeans <matrix.csv> --k <n> [--n-init 10] [--max-iter 300] [--tol 1e-4] [--seed 42]
                [--algorithm auto|elkan|hamerly|lloyd] [--json]

k-means (scikit-learn contract: greedy k-means++, n-init restarts keeping the
lowest inertia) on a numeric CSV with a header row. Prints k, inertia (total
within-cluster sum of squares), n_iter, cluster sizes and the silhouette
(exact up to ${SILHOUETTE_EXACT_MAX} rows, a seeded ${SILHOUETTE_EXACT_MAX}-row sample above).`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { k: "string", "n-init": "string", "max-iter": "string", tol: "string", seed: "string", algorithm: "string", json: "boolean", quiet: "boolean" });
  const file = positionals[0];
  if (!file) throw new CustlabError("E_USAGE", "missing <matrix.csv> (a numeric CSV with a header row)");
  if (options.k === undefined) throw new CustlabError("E_USAGE", "option --k is required");
  const k = numOpt(options, "k", 0), nInit = numOpt(options, "n-init", 10), seed = numOpt(options, "seed", 42);
  const X = readNumericCSV(file);
  const algorithm = (strOpt(options, "algorithm", "auto") as "auto");
  const t0 = Date.now();
  const km = new KMeans({ k, nInit, maxIter: numOpt(options, "max-iter", 300), tol: numOpt(options, "tol", 1e-4), seed, algorithm })
    .fit(X, { onProgress: options.json || options.quiet ? undefined : consoleProgress() });
  const fitSeconds = (Date.now() - t0) / 1000;
  const sizes = new Array<number>(k).fill(0);
  for (const l of km.labels_) sizes[l]++;
  const silhouette = k >= 2 && k < X.rows ? silhouetteScore(X, km.labels_, { seed }) : null;
  const out = {
    k, inertia: km.inertia_, n_iter: km.nIter_, sizes, silhouette,
    silhouette_method: X.rows > SILHOUETTE_EXACT_MAX ? `sampled ${SILHOUETTE_EXACT_MAX} rows (seed ${seed})` : "exact",
    rows: X.rows, cols: X.cols, columns: X.columns, n_init: nInit, seed, algorithm: resolveAlgorithm(algorithm, X.rows, k),
    run_inertias: km.runInertias_, centers: Array.from({ length: k }, (_, j) => Array.from(km.clusterCenters_.data.subarray(j * X.cols, (j + 1) * X.cols))),
    fit_seconds: fitSeconds,
  };
  if (options.json) printJSON(out);
  else {
    process.stdout.write(`k-means on ${file}: ${X.rows} rows × ${X.cols} columns, k = ${k}, n_init = ${nInit}, seed = ${seed}\n`);
    process.stdout.write(`inertia ${km.inertia_.toFixed(4)}  iterations ${km.nIter_}  silhouette ${silhouette === null ? "n/a" : silhouette.toFixed(4)} (${out.silhouette_method})  ${fitSeconds.toFixed(2)} s\n`);
    process.stdout.write(`sizes ${sizes.join(", ")}\n`);
  }
  return 0;
}
