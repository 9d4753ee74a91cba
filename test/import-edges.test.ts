// The layer map is true: every import between src/ folders is one CONTRIBUTING.md's map allows, every
// folder has a row, and there is no import cycle between files or folders. The checker itself is tested
// on planted trees (a forbidden edge, a file cycle, a folder cycle, a type-only cycle, a dynamic import).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkImports, findCycles, readLayerMap } from "./helpers/import-graph";

const root = path.join(__dirname, "..");

describe("import edges of src/", () => {
  const map = readLayerMap(fs.readFileSync(path.join(root, "CONTRIBUTING.md"), "utf8"));
  const check = checkImports(path.join(root, "src"), map);

  it("the map has a row for every folder under src/, and every row is a folder", () => {
    const folders = fs.readdirSync(path.join(root, "src"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(check.unmapped).toEqual([]);
    expect([...map.keys()].filter((k) => k !== ".").sort()).toEqual(folders);
    // the flow's spine, as CONTRIBUTING states it
    expect([...map.get("io")!].sort()).toEqual(["backend", "plot", "table", "util"]);
    expect(map.get("util")!.size).toBe(0);
    expect(map.get("eval")!.has("pipeline")).toBe(false);
  });

  it("every relative import resolves to a file", () => {
    expect(check.unresolved).toEqual([]);
  });

  it("every import between folders is one the map allows", () => {
    expect(check.forbidden).toEqual([]);
  });

  it("no import cycle between files", () => {
    expect(check.fileCycles).toEqual([]);
  });

  it("no import cycle between folders", () => {
    expect(check.folderCycles).toEqual([]);
  });
});

describe("the checker, on planted trees", () => {
  let dir: string;
  const write = (rel: string, text: string): void => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  const MAP = [
    "| folder | may import | what |",
    "|---|---|---|",
    "| `src/util` | — | base |",
    "| `src/table` | util | base |",
    "| `src/io` | base | loaders |",
    "| `src/clean` | base, io | cleaning |",
    "| `src/cli` | all | commands |",
    "| `src/index.ts` | all | root |",
    "",
  ].join("\n");

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "custlab-imports-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the map: base, all, explicit names; an unknown name in a row is an error", () => {
    const map = readLayerMap(MAP);
    expect([...map.get("io")!].sort()).toEqual(["table", "util"]);
    expect([...map.get("clean")!].sort()).toEqual(["io", "table", "util"]);
    expect([...map.get("cli")!].sort()).toEqual(["clean", "io", "table", "util"]);
    expect([...map.get("table")!]).toEqual(["util"]);
    expect(() => readLayerMap(MAP.replace("| base, io |", "| base, iox |"))).toThrow(/row clean allows "iox"/);
    expect(() => readLayerMap("no table here")).toThrow(/no layer map/);
  });

  it("finds cycles in a plain graph, as closed paths, and none in a DAG", () => {
    const g = (o: Record<string, string[]>) => new Map(Object.entries(o).map(([k, v]) => [k, new Set(v)]));
    expect(findCycles(g({ a: ["b"], b: ["c"], c: [] }))).toEqual([]);
    expect(findCycles(g({ a: ["b"], b: ["c"], c: ["a"], d: ["a"] }))).toEqual([["a", "b", "c", "a"]]);
    expect(findCycles(g({ a: ["a"] }))).toEqual([["a", "a"]]);
    const two = findCycles(g({ a: ["b"], b: ["a"], x: ["y"], y: ["z"], z: ["x"] }));
    expect(two.map((c) => c.join(">")).sort()).toEqual(["a>b>a", "x>y>z>x"]);
  });

  it("a clean planted tree passes", () => {
    write("src/util/errors.ts", "export class E {}\n");
    write("src/table/table.ts", 'import { E } from "../util/errors";\nexport const t = E;\n');
    write("src/io/read.ts", 'import { t } from "../table/table";\nexport const r = t;\n');
    write("src/clean/clean.ts", 'import { r } from "../io/read";\nexport const c = r;\n');
    write("src/cli/main.ts", 'import { c } from "../clean/clean";\nexport const m = () => import("../io/read").then(() => c);\n');
    write("src/index.ts", 'export * from "./clean/clean";\n');
    const check = checkImports(path.join(dir, "src"), readLayerMap(MAP));
    expect(check).toEqual({ forbidden: [], unmapped: [], fileCycles: [], folderCycles: [], unresolved: [] });
  });

  it("fails on a planted forbidden edge (io imports clean), a planted folder cycle and the file cycle under it", () => {
    write("src/io/back.ts", 'import { c } from "../clean/clean";\nexport const b = c;\n');
    write("src/io/read.ts", 'import { t } from "../table/table";\nimport { b } from "./back";\nexport const r = t + String(b);\n');
    const check = checkImports(path.join(dir, "src"), readLayerMap(MAP));
    expect(check.forbidden).toEqual(["io → clean (io/back.ts → clean/clean.ts)"]);
    expect(check.folderCycles).toEqual([["clean", "io", "clean"]]);
    expect(check.fileCycles).toEqual([["clean/clean.ts", "io/read.ts", "io/back.ts", "clean/clean.ts"]]);
    fs.rmSync(path.join(dir, "src/io/back.ts"));
    write("src/io/read.ts", 'import { t } from "../table/table";\nexport const r = t;\n');
  });

  it("fails on a planted file cycle inside one folder, made of a type-only import and a require()", () => {
    write("src/table/a.ts", 'import type { B } from "./b";\nexport interface A { b?: B }\n');
    write("src/table/b.ts", 'const a = require("./a");\nexport interface B { a: unknown }\nexport const x = a;\n');
    const check = checkImports(path.join(dir, "src"), readLayerMap(MAP));
    expect(check.forbidden).toEqual([]);
    expect(check.folderCycles).toEqual([]);
    expect(check.fileCycles).toEqual([["table/a.ts", "table/b.ts", "table/a.ts"]]);
    fs.rmSync(path.join(dir, "src/table/a.ts"));
    fs.rmSync(path.join(dir, "src/table/b.ts"));
  });

  it("fails on a folder with no row, a dynamic import() to the right, and an import that resolves to nothing", () => {
    write("src/extra/x.ts", 'import { c } from "../clean/clean";\nexport const x = c;\n');
    write("src/table/late.ts", 'export const late = () => import("../cli/main");\nimport "./missing";\n');
    const check = checkImports(path.join(dir, "src"), readLayerMap(MAP));
    expect(check.unmapped).toEqual(["extra"]);
    expect(check.forbidden).toEqual(["table → cli (table/late.ts → cli/main.ts)"]);
    expect(check.unresolved).toEqual(["table/late.ts: ./missing"]);
    expect(check.fileCycles).toEqual([]);
    // cli → clean → io → table → cli: the dynamic import closes a folder cycle
    expect(check.folderCycles).toEqual([["clean", "io", "table", "cli", "clean"]]);
  });
});
