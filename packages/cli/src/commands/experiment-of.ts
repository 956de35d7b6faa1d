/** The experiment a loaded file holds: a JSON experiment, or a module's default (or `experiment`) export. */
import { ScriptError } from "../errors";
import { fromJson } from "../experiment/from-json";
import type { Experiment } from "../experiment/types";
import type { loadScript } from "../load-script";

type Loaded = Awaited<ReturnType<typeof loadScript>>;

/** True when a module exports a graph script (`model` and `inputs`) rather than an experiment. */
export function isGraphScript(loaded: Loaded): boolean {
  if (loaded.kind === "json") return false;
  const exports = loaded.value as Record<string, unknown>;
  const script = exports.model === undefined && typeof exports.default === "object" && exports.default !== null ? (exports.default as Record<string, unknown>) : exports;
  return script.model !== undefined && script.inputs !== undefined;
}

/** The experiment of a loaded file; a module may export it or a function returning it. */
export function experimentOf(loaded: Loaded, path: string): Experiment {
  if (loaded.kind === "json") return fromJson(loaded.value, path);
  const exports = loaded.value as { default?: unknown; experiment?: unknown };
  const found = exports.default ?? exports.experiment;
  if (found === undefined) throw new ScriptError(`${path}: export an experiment as the default export (or as \`experiment\`)`);
  const experiment = typeof found === "function" ? (found as () => unknown)() : found;
  if (experiment === null || typeof experiment !== "object") throw new ScriptError(`${path}: the exported experiment is ${experiment === null ? "null" : typeof experiment}, not an object`);
  return experiment as Experiment;
}
