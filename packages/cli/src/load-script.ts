/**
 * Loading the files the commands are given: JSON is parsed; TypeScript and JavaScript modules are
 * bundled with esbuild (their relative imports included) and evaluated here. Inside them `@tsflux/*`
 * imports resolve to the very modules this command runs with, so layers, tensors and traces are shared
 * (one `Chain` class, one trace context); other packages resolve from the script's own folder.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, resolve } from "node:path";
import { ScriptError } from "./errors";
import { sharedModules } from "./shared-modules";

const MODULE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/** Evaluates CommonJS `code` as the module at `file`, with `require` resolving from the file's folder. */
function evaluate(code: string, file: string): Record<string, unknown> {
  const shared = sharedModules();
  const resolveFromFile = createRequire(file);
  const require = (id: string): unknown => (Object.hasOwn(shared, id) ? shared[id] : resolveFromFile(id));
  const module = { exports: {} as Record<string, unknown> };
  // new Function runs in this realm (so typed arrays and classes are the ones the command checks against)
  const run = new Function("exports", "require", "module", "__filename", "__dirname", `${code}\n//# sourceURL=${file}`);
  run(module.exports, require, module, file, dirname(file));
  return module.exports;
}

/** The exports of a TS/JS module, or the value of a JSON file; a missing or broken file is a ScriptError. */
export async function loadScript(path: string): Promise<{ file: string; kind: "json" | "module"; value: unknown }> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ScriptError(`cannot find "${path}"`);
  if (!statSync(file).isFile()) throw new ScriptError(`"${path}" is not a file`);
  const ext = extname(file).toLowerCase();
  if (ext === ".json") {
    try {
      return { file, kind: "json", value: JSON.parse(readFileSync(file, "utf8")) };
    } catch (e) {
      throw new ScriptError(`"${path}" is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!MODULE_EXTENSIONS.includes(ext)) throw new ScriptError(`"${path}": expected a .ts, .js or .json file (or ${MODULE_EXTENSIONS.slice(1).join(", ")})`);
  let code: string;
  try {
    const { build } = require("esbuild") as typeof import("esbuild"); // loaded on the first script, not with the CLI
    const result = await build({
      entryPoints: [file], bundle: true, write: false, platform: "node", target: "node20", format: "cjs",
      packages: "external", logLevel: "silent",
    });
    code = result.outputFiles[0]!.text;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors ?? [];
    const where = (l: { file: string; line: number; column: number }) => `${resolve(l.file) === file ? path : l.file}:${l.line}:${l.column + 1}`;
    const detail = errors.map((m) => (m.location ? `${where(m.location)}: ${m.text}` : m.text)).join("; ");
    throw new ScriptError(`cannot compile "${path}": ${detail || (e as Error).message}`);
  }
  return { file, kind: "module", value: evaluate(code, file) };
}
