// Outputs that never destroy anything (issue #16): the one atomic writer, the
// checks made before any input is read, report folders swapped in whole with a
// manifest, the did-you-mean helper and the CSV formula neutraliser.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { suggest, didYouMean } from "../src/util/suggest";
import { writeFileAtomic, AtomicFileWriter, checkOutputs, checkOutputFolder, writeOutputFolder, readOutputFolder, outputFaults } from "../src/util/output";
import { csvField, neutraliseFormula, toCSV, Table } from "../src/table";
import { CustlabError } from "../src/util/errors";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "custlab-out-"));
const code = (f: () => unknown): string => { try { f(); } catch (e) { expect(e).toBeInstanceOf(CustlabError); expect((e as Error).message).not.toContain("\n"); return (e as CustlabError).code; } return "none"; };

describe("did-you-mean", () => {
  it("suggests the declared name, ignoring case, - and _; nothing when far", () => {
    const keys = ["nEstimators", "learningRate", "maxDepth", "minSamplesLeaf", "seed"];
    expect(suggest("learning_rate", keys)).toBe("learningRate");
    expect(suggest("LEARNING-RATE", keys)).toBe("learningRate");
    expect(suggest("max_dept", keys)).toBe("maxDepth");
    expect(suggest("n_estimator", keys)).toBe("nEstimators");
    expect(suggest("frobnicate", keys)).toBeUndefined();
    expect(suggest("x", keys)).toBeUndefined();
    expect(didYouMean("learning_rate", keys)).toBe(" (did you mean learningRate?)");
    expect(didYouMean("horizn", ["horizon", "cutoff"], "--")).toBe(" (did you mean --horizon?)");
    expect(didYouMean("zzz", ["horizon"])).toBe("");
  });
});

describe("CSV formula neutralising (OWASP)", () => {
  it("prefixes text starting with = + - @ tab CR; numbers stay numbers", () => {
    for (const p of ['=HYPERLINK("http://evil","x")', "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1"]) {
      expect(neutraliseFormula(p)).toBe("'" + p);
    }
    for (const n of ["-1.5", "+2", "-0", "1e-7", "-3E+5", ".5", "-Infinity", "abc", "", "a=b"]) expect(neutraliseFormula(n)).toBe(n);
    expect(csvField('=HYPERLINK("a","b")')).toBe(`"'=HYPERLINK(""a"",""b"")"`);
    expect(csvField("\rcmd")).toBe(`"'\rcmd"`);
    expect(csvField("-1.5")).toBe("-1.5");
  });
  it("toCSV neutralises text cells and headers, never number columns", () => {
    const t = new Table({ id: ["=cmd|' /C calc'!A0", "@x", "ok"], v: Float64Array.from([-1.5, -2e-9, 3]) });
    const csv = toCSV(t);
    expect(csv).toBe(`id,v\n'=cmd|' /C calc'!A0,-1.5\n'@x,-2e-9\nok,3\n`);
  });
});

describe("writeFileAtomic / AtomicFileWriter", () => {
  it("replaces a file whole, leaves no temporary file, creates the folder", () => {
    const d = tmp();
    const f = path.join(d, "sub", "a.csv");
    writeFileAtomic(f, "one\n");
    writeFileAtomic(f, "two\n");
    expect(fs.readFileSync(f, "utf8")).toBe("two\n");
    expect(fs.readdirSync(path.dirname(f))).toEqual(["a.csv"]);
  });
  it("a writer that is aborted (or never committed) leaves the old file untouched", () => {
    const d = tmp();
    const f = path.join(d, "q.csv");
    fs.writeFileSync(f, "old\n");
    const w = new AtomicFileWriter(f);
    w.write("new partial");
    expect(fs.readFileSync(f, "utf8")).toBe("old\n"); // nothing visible before commit
    w.abort();
    expect(fs.readFileSync(f, "utf8")).toBe("old\n");
    expect(fs.readdirSync(d)).toEqual(["q.csv"]);
    const w2 = new AtomicFileWriter(f);
    for (let i = 0; i < 3000; i++) w2.write(`line ${i} ${"x".repeat(500)}\n`); // crosses the 1 MiB flush
    w2.commit();
    expect(fs.readFileSync(f, "utf8").split("\n").length).toBe(3001);
  });
  it("a write that cannot happen is one line (E_WRITE), not a stack trace", () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "file"), "x");
    expect(code(() => writeFileAtomic(path.join(d, "file", "a.csv"), "x"))).toBe("E_WRITE");
    fs.mkdirSync(path.join(d, "dir"));
    expect(code(() => writeFileAtomic(path.join(d, "dir"), "x"))).toBe("E_WRITE");
  });
});

describe("checkOutputs: before anything is read", () => {
  it("refuses an output that is an input: same path, relative path, symlink, hard link", () => {
    const d = tmp();
    const input = path.join(d, "orders.csv");
    fs.writeFileSync(input, "a\n1\n");
    fs.symlinkSync(input, path.join(d, "link.csv"));
    fs.linkSync(input, path.join(d, "hard.csv"));
    const rel = path.relative(process.cwd(), input);
    for (const out of [input, rel, path.join(d, ".", "orders.csv"), path.join(d, "link.csv"), path.join(d, "hard.csv")]) {
      expect(code(() => checkOutputs({ inputs: [input], files: { "--quarantine": out } })), out).toBe("E_OUTPUT_IS_INPUT");
    }
    expect(fs.readFileSync(input, "utf8")).toBe("a\n1\n");
    expect(code(() => checkOutputs({ inputs: [input], files: { "--quarantine": path.join(d, "q.csv") } }))).toBe("none");
  });
  it("refuses an output folder that holds an input, and two outputs naming one file", () => {
    const d = tmp();
    const input = path.join(d, "data", "orders.csv");
    fs.mkdirSync(path.dirname(input));
    fs.writeFileSync(input, "x");
    expect(code(() => checkOutputs({ inputs: [input], dirs: { "--out": path.join(d, "data") } }))).toBe("E_OUTPUT_IS_INPUT");
    expect(code(() => checkOutputs({ inputs: [input], dirs: { "--out": d } }))).toBe("E_OUTPUT_IS_INPUT");
    expect(code(() => checkOutputs({ inputs: [input], files: { "--alerts": path.join(d, "a.csv"), "--table": path.join(d, "a.csv") } }))).toBe("E_OUTPUT_CLASH");
  });
  it("an output under a path that is a file is refused before any work", () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "f"), "x");
    expect(code(() => checkOutputs({ inputs: [], files: { "--alerts": path.join(d, "f", "alerts.csv") } }))).toBe("E_WRITE");
  });
});

describe("report folders: built beside the target, swapped in whole", () => {
  it("a rerun leaves exactly the new run's files (a stale rules.csv is gone); the manifest lists them with SHA-256", () => {
    const d = tmp();
    const out = path.join(d, "report");
    writeOutputFolder(out, { "index.html": "<p>old</p>", "rules.csv": "a,b\n" });
    expect(readOutputFolder(out)!.complete).toBe(true);
    writeOutputFolder(out, { "index.html": "<p>new</p>" });
    expect(fs.readdirSync(out).sort()).toEqual(["custlab-manifest.json", "index.html"]);
    const r = readOutputFolder(out)!;
    expect(r.complete).toBe(true);
    expect(r.manifest.files.map((f) => f.name)).toEqual(["index.html"]);
    expect(r.manifest.files[0].sha256).toBe("sha256:" + require("crypto").createHash("sha256").update("<p>new</p>").digest("hex"));
    // only the live run is kept beside it
    expect(fs.readdirSync(path.join(d, ".report.custlab")).length).toBe(1);
  });
  it("a crash before the swap leaves the old report whole; its leftovers are swept by the next write", () => {
    const d = tmp();
    const out = path.join(d, "report");
    writeOutputFolder(out, { "index.html": "old", "rules.csv": "r" });
    outputFaults.beforeSwap = () => { throw new Error("power cut"); };
    try { expect(() => writeOutputFolder(out, { "index.html": "new" })).toThrow(); } finally { delete outputFaults.beforeSwap; }
    expect(fs.readFileSync(path.join(out, "index.html"), "utf8")).toBe("old");
    expect(readOutputFolder(out)!.complete).toBe(true);
    writeOutputFolder(out, { "index.html": "newer" });
    expect(fs.readFileSync(path.join(out, "index.html"), "utf8")).toBe("newer");
    expect(fs.readdirSync(path.join(d, ".report.custlab")).length).toBe(1);
  });
  it("an empty folder is taken over; a folder with files custlab did not write is refused unless force", () => {
    const d = tmp();
    const empty = path.join(d, "empty");
    fs.mkdirSync(empty);
    writeOutputFolder(empty, { "a.csv": "1\n" });
    expect(fs.readFileSync(path.join(empty, "a.csv"), "utf8")).toBe("1\n");
    const shop = path.join(d, "shop");
    fs.mkdirSync(shop);
    fs.writeFileSync(path.join(shop, "customers.csv"), "demo customers\n");
    expect(code(() => checkOutputFolder(shop))).toBe("E_FOLDER_NOT_OURS");
    expect(code(() => writeOutputFolder(shop, { "customers.csv": "report\n" }))).toBe("E_FOLDER_NOT_OURS");
    expect(fs.readFileSync(path.join(shop, "customers.csv"), "utf8")).toBe("demo customers\n");
    fs.writeFileSync(path.join(shop, "notes.txt"), "keep me\n");
    writeOutputFolder(shop, { "index.html": "r1", "rules.csv": "x" }, { force: true });
    writeOutputFolder(shop, { "index.html": "r2" }, { force: true });
    expect(fs.readdirSync(shop).sort()).toEqual(["custlab-manifest.json", "customers.csv", "index.html", "notes.txt"]); // stale rules.csv removed, foreign files kept
    expect(fs.readFileSync(path.join(shop, "notes.txt"), "utf8")).toBe("keep me\n");
  });
  it("a report folder written before manifests is recognised by its names and marker; anything else stays foreign", () => {
    const d = tmp();
    const legacy = { names: ["index.html", "rules.csv", "summary.json"], marker: (dir: string) => fs.readFileSync(path.join(dir, "summary.json"), "utf8").includes("custlab") };
    const old = path.join(d, "old");
    fs.mkdirSync(old);
    for (const [f, t] of [["index.html", "old"], ["rules.csv", "r"], ["summary.json", '{"versions":{"custlab":"0.1"}}']]) fs.writeFileSync(path.join(old, f), t);
    writeOutputFolder(old, { "index.html": "new", "summary.json": "{}" }, { legacy });
    expect(fs.readdirSync(old).sort()).toEqual(["custlab-manifest.json", "index.html", "summary.json"]); // stale rules.csv gone
    expect(readOutputFolder(old)!.complete).toBe(true);
    const notOurs = path.join(d, "notours");
    fs.mkdirSync(notOurs);
    fs.writeFileSync(path.join(notOurs, "summary.json"), '{"someone":"else"}');
    expect(code(() => writeOutputFolder(notOurs, { "index.html": "x" }, { legacy }))).toBe("E_FOLDER_NOT_OURS");
    fs.writeFileSync(path.join(notOurs, "summary.json"), '{"custlab":1}');
    fs.writeFileSync(path.join(notOurs, "customers.csv"), "demo\n"); // a name outside the list
    expect(code(() => writeOutputFolder(notOurs, { "index.html": "x" }, { legacy }))).toBe("E_FOLDER_NOT_OURS");
    expect(fs.readFileSync(path.join(notOurs, "customers.csv"), "utf8")).toBe("demo\n");
  });
  it("never writes into a folder holding one of the run's inputs, even with force", () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, "orders.csv"), "x");
    expect(code(() => writeOutputFolder(d, { "index.html": "r" }, { force: true, inputs: [path.join(d, "orders.csv")] }))).toBe("E_OUTPUT_IS_INPUT");
  });
});
