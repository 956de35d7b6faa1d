/**
 * What Flux differentiates when f returns more than a number: the first element of an array, or the
 * `loss` field (else the first field) of an object; the rest is auxiliary output.
 */
import { Tensor } from "@tsflux/graph";
import { ArgumentError } from "./errors";

export function pickLoss(name: string, result: unknown): Tensor {
  let loss = result;
  if (Array.isArray(result)) loss = result[0];
  else if (result !== null && typeof result === "object" && !(result instanceof Tensor)) {
    const o = result as Record<string, unknown>;
    loss = "loss" in o ? o.loss : Object.values(o)[0];
  }
  if (!(loss instanceof Tensor) || loss.shape.reduce((a, d) => a * d, 1) !== 1) {
    const got = loss instanceof Tensor ? `an array of shape [${loss.shape.join(", ")}]` : loss === undefined ? "nothing" : typeof loss;
    throw new ArgumentError(
      `\`${name}(f, xs...)\` expects that \`y = f(xs...)\` is a real number, or else an array or object whose first element ` +
        `(or \`loss\` field) is a real number; got ${got}`,
    );
  }
  return loss;
}

/** The value `withgradient` reports: numbers for scalar tensors, arrays for the rest, structure kept. */
export function plainValue(x: unknown): unknown {
  if (x instanceof Tensor) return x.shape.reduce((a, d) => a * d, 1) === 1 && x.shape.length === 0 ? Number(x) : x.toNdarray();
  if (Array.isArray(x)) return x.map(plainValue);
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plainValue(v)]));
  }
  return x;
}
