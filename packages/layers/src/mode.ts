/**
 * Train and test mode (Flux's `trainmode!` / `testmode!`, without the `!`: they mutate the model).
 * Every layer in the model with an `active` field (Dropout, BatchNorm, InstanceNorm, GroupNorm) gets
 * `active` set. In the automatic mode (`active === null`) those layers are active while
 * differentiating (`gradient`, `withgradient`, `train`) and inactive in a plain forward call.
 */
import { childrenOf } from "@tsflux/graph";
import { Layer } from "./layers/layer";
import { isTreeNode } from "./tree";

/** `true`/`false`, or `"auto"` to reset to automatic (active while differentiating, inactive otherwise). */
export type Mode = boolean | "auto";

function setActive(model: unknown, active: boolean | null): void {
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (!isTreeNode(x) || seen.has(x)) return;
    seen.add(x);
    if (x instanceof Layer && "active" in x) (x as { active: boolean | null }).active = active;
    for (const [, child] of childrenOf(x)) walk(child);
  };
  walk(model);
}

/** Puts every Dropout and norm layer of `model` in test mode (`mode = true`), training mode (`false`) or automatic; returns `model`. */
export function testmode<T>(model: T, mode: Mode = true): T {
  setActive(model, mode === "auto" ? null : !mode);
  return model;
}

/** Puts every Dropout and norm layer of `model` in training mode (`mode = true`), test mode (`false`) or automatic; returns `model`. */
export function trainmode<T>(model: T, mode: Mode = true): T {
  setActive(model, mode === "auto" ? null : mode);
  return model;
}
