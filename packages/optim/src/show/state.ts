/** A Leaf's optimiser state as Julia's compact `show` writes it: tuples, arrays, numbers, `nothing`. */
import { isNdarray } from "@tsflux/graph";
import { juliaArray, juliaFloat, juliaTuple } from "./julia";

/**
 * Writes a rule's state: an ndarray as a Julia array (`Float32[0.0, 0.0]`), a raw Float64Array (the βt
 * powers) as a tuple of floats in the parameter's type, a number as an Int (step counters), `false`,
 * `null` as `nothing`, and a JS array or a state object as a tuple of its values, in order.
 */
export function showState(state: unknown, f32: boolean): string {
  if (state === null || state === undefined) return "nothing";
  if (typeof state === "boolean") return String(state);
  if (typeof state === "number") return Number.isInteger(state) ? String(state) : juliaFloat(state, { f32, compact: true });
  if (isNdarray(state)) return juliaArray(state, true);
  if (state instanceof Float64Array || state instanceof Float32Array) {
    return juliaTuple(Array.from(state, (v) => juliaFloat(v, { f32, compact: true })));
  }
  if (Array.isArray(state)) return juliaTuple(state.map((s) => showState(s, f32)));
  if (typeof state === "object") return juliaTuple(Object.values(state).map((s) => showState(s, f32)));
  return String(state);
}
