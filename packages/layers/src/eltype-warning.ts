/** Flux's one-time warning (`@warn ... maxlog=1`) when a Float32 layer is given Float64 input, which it converts. */
let shown = false;

/** Warns once per process that Float64 input to a Float32 layer is converted (as Flux's `_match_eltype`). */
export function warnFloat64Input(size: readonly number[]): void {
  if (shown) return;
  shown = true;
  console.warn(`Layer with Float32 parameters got Float64 input.\n  The input will be converted, but any earlier layers may be very slow.\n  size(x) = [${size.join(", ")}]`);
}

/** Lets the warning show again (for tests of the warning itself). */
export function resetFloat64Warning(): void {
  shown = false;
}
