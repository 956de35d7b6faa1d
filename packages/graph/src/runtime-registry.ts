/**
 * One tsflux runtime per process. Each copy of @tsflux/graph that loads registers its Tensor class in a
 * process-wide slot (keyed by `Symbol.for`, so every copy finds the same slot); a second, different
 * copy (another version, or a bundle of its own) gets one warning, since tensors, models and the
 * WebAssembly heap of one copy are not those of the other. The published builds share one runtime
 * between `import`, `require` and `@tsflux/graph/testing`, so a correct install never warns.
 */
import { Tensor } from "./tensor";

/** The version of the tsflux packages (all are released together). */
export const VERSION = "0.1.0";

const SLOT = Symbol.for("tsflux.graph.runtime");

interface Registration {
  readonly version: string;
  readonly tensorClass: object;
}

/** Registers a runtime; warns (once per extra copy) when another one is already registered. */
export function registerRuntime(version: string, tensorClass: object): void {
  const scope = globalThis as { [SLOT]?: Registration[] };
  const known = (scope[SLOT] ??= []);
  if (known.some((r) => r.tensorClass === tensorClass)) return;
  known.push({ version, tensorClass });
  if (known.length > 1) {
    console.warn(
      `tsflux: a second copy of @tsflux/graph (${version}) was loaded next to ${known[0]!.version}; ` +
        "tensors, models and arrays of one are not those of the other. Install one copy (npm dedupe) and let bundlers resolve it once.",
    );
  }
}

registerRuntime(VERSION, Tensor);
