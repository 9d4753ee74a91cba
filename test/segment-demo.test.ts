import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { Table } from "../src/table";
import { loadTransactions } from "../src/io";
import { purchases } from "../src/clean";
import {
  segmentCustomers, trackSegments, topMigrations, adjustedRandIndex, segmentHistoryTable, segmentSankeyFigure,
  migrationTable, driftFigure, SegmentTrack, KMeans,
} from "../src/segment";

const demo = path.resolve(__dirname, "../datasets/demo");
const have = fs.existsSync(path.join(demo, "transactions.csv")) && fs.existsSync(path.join(demo, "truth_customers.csv"));
if (!have) console.log(`skipping demo segmentation tests: ${demo}/transactions.csv or truth_customers.csv not found (run custlab demo)`);

function readTruth(): { col: (c: string) => number; rows: Map<string, string[]> } {
  const lines = fs.readFileSync(path.join(demo, "truth_customers.csv"), "utf8").trim().split("\n");
  const hdr = lines[0].split(",");
  return { col: (c) => hdr.indexOf(c), rows: new Map(lines.slice(1).map((l) => l.split(",")).map((r) => [r[0], r])) };
}

describe.skipIf(!have)("segmentation on the demo shop (planted truth)", () => {
  let tx: Table;
  let truth: ReturnType<typeof readTruth>;
  beforeAll(async () => {
    const { table } = await loadTransactions(path.join(demo, "transactions.csv"), { format: "custlab" });
    tx = purchases(table);
    truth = readTruth();
  });

  it("k-means on log RFM + order value recovers the planted segments (ARI ≥ 0.9)", () => {
    const seg = segmentCustomers(tx, { k: 5, seed: 42 });
    const ids = seg.features.customers.str("customer_id");
    expect(ids.length).toBe(3000);
    const start = ids.map((c) => truth.rows.get(c)![truth.col("segment")]);
    const final = ids.map((c) => truth.rows.get(c)![truth.col("segment_final")]);
    const ariStart = adjustedRandIndex(seg.labels, start), ariFinal = adjustedRandIndex(seg.labels, final);
    console.log(`demo planted segments: ARI ${ariStart.toFixed(3)} vs segment (start), ${ariFinal.toFixed(3)} vs segment_final; silhouette ${seg.silhouette.toFixed(3)}`);
    expect(ariStart).toBeGreaterThanOrEqual(0.9);
    expect(ariFinal).toBeGreaterThanOrEqual(0.9);
    // personas cover everyone and revenue shares sum to 1
    expect(seg.personas.reduce((s, p) => s + p.size, 0)).toBe(3000);
    expect(seg.personas.reduce((s, p) => s + p.revenue_share, 0)).toBeCloseTo(1, 9);
    // the planted champions (highest spend) are the segment with the largest revenue share
    const top = seg.personas.reduce((a, b) => (b.revenue_share > a.revenue_share ? b : a));
    const champs = ids.filter((_, i) => seg.labels[i] === top.id).filter((c) => truth.rows.get(c)![truth.col("segment_final")] === "champions").length;
    expect(champs / top.size).toBeGreaterThan(0.9);
    expect(top.description).toMatch(/high spenders/);
  }, 60_000);

  describe("dynamic re-segmentation", () => {
    let track: SegmentTrack;
    beforeAll(() => { track = trackSegments(tx, { k: 5, windows: "quarterly", seed: 42 }); }, 120_000);

    it("segments each quarter end with point-in-time features and keeps ids stable", () => {
      expect(track.periods.map((p) => p.label)).toEqual(["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]);
      // customers only appear once they have bought: counts grow, never shrink
      for (let i = 1; i < track.periods.length; i++) expect(track.periods[i].customers).toBeGreaterThanOrEqual(track.periods[i - 1].customers);
      // matched ids: each stable segment keeps most of its members quarter to quarter in 2024
      for (let p = 4; p + 1 < track.periods.length; p++) {
        const M = track.migrations[p];
        const stay = M.reduce((s, row, j) => s + row[j], 0), all = M.flat().reduce((a, b) => a + b, 0);
        expect(stay / all).toBeGreaterThan(0.85);
      }
      const hist = segmentHistoryTable(track);
      expect(hist.numRows).toBe(3000);
      expect(hist.columnNames()).toEqual(["customer_id", ...track.periods.map((p) => p.label), "moves"]);
      const fig = segmentSankeyFigure(track, { periods: [3, 7] });
      expect(fig.data[0].type).toBe("sankey");
      // Issue 15 (Sankey labels overlap): names beside the first and last columns only, periods as column
      // headers, nodes placed at their share of the column so no two nodes of a column overlap.
      const all = segmentSankeyFigure(track);
      const node = all.data[0].node as { label: string[]; x: number[]; y: number[]; customdata: string[] };
      const P = track.periods.length, k = track.k;
      expect(node.label.length).toBe(P * k);
      node.label.forEach((l, i) => { const col = Math.floor(i / k); expect(l === "", `node ${i}`).toBe(col > 0 && col < P - 1); });
      expect(node.customdata.every((h) => / · .+: [\d,]+ customers$/.test(h))).toBe(true);
      expect(((all.layout!.annotations as { text: string }[]).map((a) => a.text))).toEqual(track.periods.map((p) => `<b>${p.label}</b>`));
      for (let p = 0; p < P; p++) {
        const sizes = track.periods[p].sizes, tot = sizes.reduce((a, b) => a + b, 0);
        for (let j = 1; j < k; j++) {
          const gap = node.y[p * k + j] - node.y[p * k + j - 1];
          expect(gap).toBeCloseTo(0.96 * ((sizes[j - 1] + sizes[j]) / 2) / tot, 9); // centres half a node apart each way
        }
      }
      expect(migrationTable(track, 3, 7).numRows).toBe(5);
      expect(driftFigure(track).data.length).toBe(track.features.length + 1);
    });

    it("finds the planted loyal → at-risk cohort (truth.json migrations at 2024-01-01)", () => {
      const tj = JSON.parse(fs.readFileSync(path.join(demo, "truth.json"), "utf8"));
      const m = tj.migrations[0];
      expect([m.from, m.to]).toEqual(["loyal", "at_risk"]);
      const labels = track.periods.map((p) => p.label);
      const pre = labels.indexOf("2023-Q4"), post = labels.length - 1;
      // name stable segments by their majority planted segment at the last quarter
      const names = Array.from({ length: track.k }, (_, j) => {
        const cnt = new Map<string, number>();
        track.customerIds.forEach((c, i) => { if (track.labels[post][i] === j) { const t = truth.rows.get(c)![truth.col("segment_q8")]; cnt.set(t, (cnt.get(t) ?? 0) + 1); } });
        return [...cnt.entries()].sort((a, b) => b[1] - a[1])[0][0];
      });
      const loyal = names.indexOf("loyal"), risk = names.indexOf("at_risk");
      expect(loyal).toBeGreaterThanOrEqual(0);
      expect(risk).toBeGreaterThanOrEqual(0);
      // the largest move between the quarter before the migration and the last quarter is loyal → at-risk
      const flows = topMigrations(track, pre, post);
      expect([flows[0].from, flows[0].to]).toEqual([loyal, risk]);
      let coh = 0, cohMoved = 0, others = 0, othersMoved = 0, flowFromCohort = 0;
      track.customerIds.forEach((c, i) => {
        const migrated = truth.rows.get(c)![truth.col("migrated")] === "1";
        const a = track.labels[pre][i], b = track.labels[post][i];
        if (migrated) { coh++; if (a === loyal && b === risk) { cohMoved++; flowFromCohort++; } }
        else if (a === loyal) { others++; if (b === risk) othersMoved++; }
      });
      expect(coh).toBe(m.cohort_size);
      console.log(`planted cohort ${coh}: ${cohMoved} tracked loyal→at-risk (${(100 * cohMoved / coh).toFixed(0)}%); other loyal customers ${othersMoved}/${others} (${(100 * othersMoved / others).toFixed(1)}%); top flow ${flows[0].customers}, ${flowFromCohort} of them from the cohort`);
      expect(cohMoved / coh).toBeGreaterThanOrEqual(0.5);
      expect(cohMoved / coh).toBeGreaterThan(5 * (othersMoved / others));
      expect(flowFromCohort / flows[0].customers).toBeGreaterThanOrEqual(0.4);
    });

    it("computes PSI per feature and segment shares and flags drift with a reason", () => {
      const psi = track.psi;
      expect(psi.numRows).toBe((track.periods.length - 1) * (track.features.length + 1));
      const flags = track.driftFlags;
      for (const f of flags) {
        expect(f.psi).toBeGreaterThan(0.25);
        expect(f.reason).toMatch(new RegExp(`^PSI\\(${f.kind === "feature" ? f.name : "segment shares"}\\) = \\d\\.\\d{3} > 0.25 between ${f.previous} and ${f.period}`));
      }
      // the shop is still filling up in 2023 (frequency distribution shifts), stable by 2024-Q2..Q4
      expect(flags.some((f) => f.period.startsWith("2023"))).toBe(true);
      expect(flags.filter((f) => f.period >= "2024-Q2")).toHaveLength(0);
    });
  });

  it("custlab segment --json (with --windows quarterly) and custlab kmeans --json", () => {
    const cli = path.resolve(__dirname, "../src/cli/main.ts");
    const tsx = path.resolve(__dirname, "../node_modules/.bin/tsx");
    const out = JSON.parse(execFileSync(tsx, [cli, "segment", path.join(demo, "transactions.csv"), "--format", "custlab", "--k", "5", "--seed", "42", "--json", "--windows", "quarterly"], { encoding: "utf8", maxBuffer: 1 << 26 }));
    expect(out.k).toBe(5);
    expect(out.customers).toBe(3000);
    expect(out.segments).toHaveLength(5);
    expect(out.segments.reduce((s: number, x: { size: number }) => s + x.size, 0)).toBe(3000);
    for (const s of out.segments) for (const key of ["id", "name", "size", "revenue_share", "description"]) expect(s).toHaveProperty(key);
    expect(out.silhouette).toBeGreaterThan(0.5);
    expect(out.migration.periods).toHaveLength(8);
    expect(out.migration.matrices).toHaveLength(7);
    expect(Array.isArray(out.psi) && Array.isArray(out.drift_flags)).toBe(true);

    const csv = path.join(os.tmpdir(), `custlab-kmeans-${process.pid}.csv`);
    const rows = ["a,b"];
    for (let i = 0; i < 60; i++) rows.push(`${(i % 3) * 5 + (i % 7) / 10},${(i % 3) * -4 + (i % 5) / 10}`);
    fs.writeFileSync(csv, rows.join("\n") + "\n");
    const km = JSON.parse(execFileSync(tsx, [cli, "kmeans", csv, "--k", "3", "--n-init", "10", "--seed", "1", "--json"], { encoding: "utf8" }));
    fs.rmSync(csv);
    expect(km.k).toBe(3);
    expect(km.sizes).toEqual([20, 20, 20]);
    const X = { data: Float64Array.from(rows.slice(1).flatMap((r) => r.split(",").map(Number))), rows: 60, cols: 2 };
    expect(km.inertia).toBeCloseTo(new KMeans({ k: 3, nInit: 10, seed: 1 }).fit(X).inertia_, 9);
    expect(km.silhouette).toBeGreaterThan(0.9);
    expect(typeof km.n_iter).toBe("number");
  }, 120_000);
});
