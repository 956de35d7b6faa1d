/** Runs a function with every Dropout-like layer of a model in test mode, then puts each back as it was. */
import { childrenOf, isNdarray } from "@tsflux/graph";
import { testmode } from "@tsflux/layers";

/** `f()` with `model` in test mode (Dropout is the identity); the model's modes are restored afterwards. */
export function inTestMode<T>(model: unknown, f: () => T): T {
  const saved: [object, unknown][] = [];
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== "object" || isNdarray(x) || seen.has(x)) return;
    seen.add(x);
    if ("active" in x) saved.push([x, (x as { active: unknown }).active]);
    for (const [, child] of childrenOf(x)) walk(child);
  };
  walk(model);
  testmode(model);
  try {
    return f();
  } finally {
    for (const [layer, active] of saved) (layer as { active: unknown }).active = active;
  }
}
