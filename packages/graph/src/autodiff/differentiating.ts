/**
 * Whether code runs inside a differentiated call (`gradient`, `withgradient`, `train`, `autodiff` in
 * reverse mode). Layers read it to decide what Flux's automatic mode means: Dropout and the norms are
 * active while differentiating and inactive in a plain forward call.
 */
let depth = 0;

/** True while a differentiated function is being traced or run. */
export function isDifferentiating(): boolean {
  return depth > 0;
}

/** Runs `fn` with isDifferentiating() true (nests; restored on exit and on error). */
export function whileDifferentiating<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}
