/**
 * Every export of the packages' public entries (functions, classes, constants, interfaces, types) has a TSDoc
 * comment (`node scripts/tsdoc-coverage.cjs --types` lists the ones that lack it); and the
 * scanner behind that (scripts/tsdoc-coverage.cjs) finds declarations through re-exports, `export *` and
 * imports, on a small source tree written here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { publicEntries, undocumentedExports } from "../tsdoc-coverage.cjs";

const root = join(__dirname, "..", "..");

describe("TSDoc on the public API", () => {
  it("documents every exported function, class, constant, interface and type", () => {
    const entries = publicEntries(root);
    expect(entries.length).toBeGreaterThanOrEqual(6);
    const missing = entries.flatMap((entry: string) => undocumentedExports(entry, join(root, "packages"), root, { types: true }));
    expect(missing.map((m: { file: string; line: number; name: string }) => `${m.file}:${m.line} ${m.name}`)).toEqual([]);
  });
});

describe("the TSDoc scanner", () => {
  let dir: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tsdoc-scan-"));
    write("packages/a/package.json", JSON.stringify({ exports: { ".": {}, "./extra": {} } }));
    write("packages/a/src/index.ts", [
      "/** Documented here. */",
      "export function documented(): void {}",
      "export const bare = 1;",
      'export { fromFile, renamed as alias, type Shape } from "./file";',
      'export * from "./star";',
      'import { viaImport } from "./file";',
      "export { viaImport };",
      'export { fromOther } from "@tsflux/b";',
      'export { external } from "some-package";',
      "export interface Undocumented { x: number }",
    ].join("\n"));
    write("packages/a/src/file.ts", [
      "/** A doc comment, then a line comment. */",
      "// eslint-disable-next-line",
      "export class fromFile {}",
      "/* not TSDoc */",
      "export function renamed() {}",
      "export type Shape = number[];",
      "function inner() {",
      "  const viaImport = 2;",
      "}",
      "export const viaImport = 3;",
    ].join("\n"));
    write("packages/a/src/star/index.ts", "/** Yes. */\nexport async function starDocumented() {}\nexport abstract class StarBare {}\n");
    write("packages/a/src/extra/index.ts", "export let extraBare = 0;\n");
    write("packages/b/package.json", JSON.stringify({ exports: { ".": {} } }));
    write("packages/b/src/index.ts", "/** From b. */\nexport const fromOther = 1;\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scan = (entry: string, types = false) =>
    undocumentedExports(join(dir, entry), join(dir, "packages"), dir, { types }).map((m: { file: string; line: number; name: string; kind: string }) => `${m.file}:${m.line} ${m.kind} ${m.name}`);

  it("lists the public entries from each package's exports", () => {
    expect(publicEntries(dir).map((e: string) => e.slice(dir.length + 1))).toEqual(["packages/a/src/index.ts", "packages/a/src/extra/index.ts", "packages/b/src/index.ts"]);
  });

  it("finds undocumented declarations through re-exports, export * and imports", () => {
    expect(scan("packages/a/src/index.ts")).toEqual([
      "packages/a/src/file.ts:5 function alias",
      "packages/a/src/file.ts:10 const viaImport",
      "packages/a/src/index.ts:3 const bare",
      "packages/a/src/star/index.ts:3 class StarBare",
    ]);
    expect(scan("packages/a/src/extra/index.ts")).toEqual(["packages/a/src/extra/index.ts:1 let extraBare"]);
  });

  it("counts interfaces and type aliases only when asked", () => {
    expect(scan("packages/a/src/index.ts", true)).toEqual([
      "packages/a/src/file.ts:5 function alias",
      "packages/a/src/file.ts:6 type Shape",
      "packages/a/src/file.ts:10 const viaImport",
      "packages/a/src/index.ts:3 const bare",
      "packages/a/src/index.ts:10 interface Undocumented",
      "packages/a/src/star/index.ts:3 class StarBare",
    ]);
  });
});
