/** Enzyme's modes: reverse or forward, with or without the primal result. */
export interface Mode {
  readonly name: "Reverse" | "ReverseWithPrimal" | "Forward" | "ForwardWithPrimal";
  readonly reverse: boolean;
  readonly withPrimal: boolean;
}

function mode<const N extends Mode["name"], const W extends boolean>(name: N, reverse: boolean, withPrimal: W): Mode & { readonly name: N; readonly withPrimal: W } {
  return Object.freeze({ name, reverse, withPrimal, toString: () => name });
}

/** Reverse mode: derivatives of the arguments, without the function's value. */
export const Reverse = mode("Reverse", true, false);
/** Reverse mode that also returns the function's value. */
export const ReverseWithPrimal = mode("ReverseWithPrimal", true, true);
/** Forward mode: the tangent of the result, without the result. */
export const Forward = mode("Forward", false, false);
/** Forward mode that also returns the result. */
export const ForwardWithPrimal = mode("ForwardWithPrimal", false, true);
