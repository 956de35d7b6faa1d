/**
 * Flux's show for a Duplicated model: the model block inside `Duplicated(`, then `# norm(∇) ≈ ...` (the
 * 2-norm of the trainable shadow, rounded to 3 significant digits), and a Total line whose bytes count
 * the arrays of both the model and its shadow.
 */
import { leaves, toFlatArray } from "@tsflux/graph";
import { bigShow, trainables } from "@tsflux/layers";
import { juliaFloat } from "@tsflux/optim";

/** Julia's round(x; sigdigits=3). */
export function roundSignificant(x: number, digits = 3): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/** The text Flux shows for a Duplicated model: the model, the gradient's norm and the bytes of both. */
export function showDuplicated(dup: { readonly val: unknown; readonly dval: unknown }): string {
  let squares = 0;
  for (const a of trainables(dup.dval)) for (const v of toFlatArray(a)) squares += v * v;
  const norm = juliaFloat(roundSignificant(Math.sqrt(squares)));
  const arrays = new Set([...leaves(dup.val), ...leaves(dup.dval)].map((l) => l.value));
  const bytes = [...arrays].reduce((n, a) => n + a.data.BYTES_PER_ELEMENT * a.shape.reduce((p, d) => p * d, 1), 0);
  return bigShow(dup.val, { pre: `${dup.constructor.name}(`, post: `  # norm(∇) ≈ ${norm}\n) `, bytes });
}
