/** Loading scripts: TS and JS modules share the command's @tsflux modules; other packages resolve from the script. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as layers from "@tsflux/layers";
import { ScriptError, loadScript } from "@tsflux/cli";
import { tempFile } from "./helpers";

const root = join(__dirname, "..", "..", "..");

test("a TypeScript module gets the very @tsflux modules the command runs with", async () => {
  const file = tempFile("shared.ts", 'export { Chain } from "@tsflux/layers";\nimport { Dense } from "@tsflux/layers";\nexport const d: Dense = Dense(2, 3);\n');
  const { kind, value } = await loadScript(file);
  const exports = value as { Chain: unknown; d: unknown };
  expect(kind).toBe("module");
  expect(exports.Chain).toBe(layers.Chain);
  expect(exports.d).toBeInstanceOf(layers.Layer);
  expect(Object.getPrototypeOf(exports.d)).toBe(Object.getPrototypeOf(layers.Dense(1, 1)));
});

describe("packages other than @tsflux resolve from the script's folder", () => {
  const script = 'import ndarray from "ndarray";\nexport default ndarray(new Float64Array([1, 2]), [2]).get(1);\n';

  test("an ES module in JavaScript inside the project sees the project's packages", async () => {
    mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
    const file = join(mkdtempSync(join(root, "node_modules", ".cache", "tsflux-cli-test-")), "plain.mjs");
    writeFileSync(file, script);
    expect((await loadScript(file)).value).toMatchObject({ default: 2 });
  });

  test("the same script in a folder outside the project does not", async () => {
    await expect(loadScript(tempFile("plain.mjs", script))).rejects.toThrow("Cannot find module 'ndarray'");
  });
});

test("JSON is parsed", async () => {
  expect(await loadScript(tempFile("x.json", '{ "a": [1, 2] }'))).toEqual({ file: expect.stringMatching(/x\.json$/), kind: "json", value: { a: [1, 2] } });
});

test("a relative path is read from the working folder", async () => {
  await expect(loadScript(join("no", "such.ts"))).rejects.toThrow(new ScriptError(`cannot find "${join("no", "such.ts")}"`));
});
