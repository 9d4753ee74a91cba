import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { getTf } from "../src/backend";
import { loadTransactions } from "../src/io";
import { purchases } from "../src/clean";
import { takeRows } from "../src/util/matrix";
import { CustomerAutoencoder, autoencoderSegments, compareSegmentations, segmentFeatures, SegmentFeatures, adjustedRandIndex } from "../src/segment";

const demo = path.resolve(__dirname, "../datasets/demo");
const have = fs.existsSync(path.join(demo, "transactions.csv")) && fs.existsSync(path.join(demo, "truth_customers.csv"));
if (!have) console.log(`skipping autoencoder segmentation tests: ${demo} has no demo data (run custlab demo)`);

describe.skipIf(!have)("autoencoder segmentation (tfjs through the backend layer)", () => {
  let f: SegmentFeatures;
  let truth: string[];
  beforeAll(async () => {
    const { table } = await loadTransactions(path.join(demo, "transactions.csv"), { format: "custlab" });
    f = segmentFeatures(purchases(table));
    const lines = fs.readFileSync(path.join(demo, "truth_customers.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const m = new Map(lines.map((r) => [r[0], r[2]])); // segment_final
    truth = f.customers.str("customer_id").map((c) => m.get(c)!);
  }, 60_000);

  it("is seeded (same loss curve twice), serialises, reports progress per epoch and leaks no tensors", async () => {
    const X = takeRows(f.X, Array.from({ length: 500 }, (_, i) => i * 6));
    const tf = getTf();
    const epochs: number[] = [];
    const a = await new CustomerAutoencoder({ epochs: 6, seed: 3 }).fit(X, { onProgress: (e) => epochs.push(e.done) });
    const before = tf.memory().numTensors;
    const b = await new CustomerAutoencoder({ epochs: 6, seed: 3 }).fit(X);
    expect(b.lossHistory_).toEqual(a.lossHistory_);
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.lossHistory_[5]).toBeLessThan(a.lossHistory_[0]);
    expect(["wasm", "cpu", "tensorflow", "webgpu"]).toContain(a.backend_);
    const Z = a.transform(X);
    const c = await CustomerAutoencoder.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    const Z2 = c.transform(X);
    for (let i = 0; i < Z.data.length; i++) expect(Z2.data[i]).toBeCloseTo(Z.data[i], 5);
    b.dispose(); c.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    a.dispose();
  }, 60_000);

  it("latent k-means recovers the planted segments and is compared with plain k-means", async () => {
    const r = await autoencoderSegments(f.X, { k: 5, seed: 1, epochs: 25 });
    const ari = adjustedRandIndex(r.labels, truth);
    console.log(`autoencoder(${r.backend}) + k-means: ARI ${ari.toFixed(3)} vs planted segments, silhouette latent ${r.silhouetteLatent.toFixed(3)}, input space ${r.silhouetteInput.toFixed(3)}`);
    expect(ari).toBeGreaterThanOrEqual(0.85);
    const cmp = await compareSegmentations(f.X, { k: 5, seeds: [1, 2], truth, epochs: 15 });
    console.log(cmp.toMarkdown());
    expect(cmp.str("method")).toEqual(["kmeans", "autoencoder+kmeans"]);
    const ariKm = cmp.num("ari_vs_truth")[0];
    expect(ariKm).toBeGreaterThanOrEqual(0.9);
    for (const col of ["silhouette_input_space", "stability_ari", "nmi_vs_truth"]) for (const v of cmp.num(col)) expect(Number.isFinite(v)).toBe(true);
  }, 120_000);
});
