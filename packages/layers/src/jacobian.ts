/** Flux's `jacobian` (Zygote's): the Jacobian of a function of arrays, one matrix per argument. */
import { Tensor, vjp, wrapColMajor, toFlatArray, type NdArray, type TensorLike } from "@tsflux/graph";

/**
 * `jacobian(f, ...xs)`: for y = f(xs...), one matrix [length(y), length(x)] per argument x, with
 * J[i, j] = ∂y[i]/∂x[j] (reverse mode, one row per element of y; arrays in column-major order).
 *
 * @example
 * jacobian((x) => mul(x, x), x)[0];  // diagonal, 2x on the diagonal
 */
export function jacobian(f: (...xs: Tensor[]) => Tensor, ...xs: TensorLike[]): NdArray[] {
  const y = f(...xs.map((x) => (x instanceof Tensor ? x : Tensor.concrete(x as NdArray))));
  const m = y.shape.reduce((p, d) => p * d, 1);
  const dtype = y.dtype === "f32" ? Float32Array : Float64Array;
  const sizes = xs.map((x) => (typeof x === "number" ? 1 : x.shape.reduce((p, d) => p * d, 1)));
  const jacobians = sizes.map((n) => new dtype(m * n));
  for (let i = 0; i < m; i++) {
    const seed = new dtype(m);
    seed[i] = 1;
    vjp(f, xs, wrapColMajor(seed, y.shape)).grads.forEach((g, k) => {
      toFlatArray(g.toNdarray()).forEach((v, j) => (jacobians[k]![i + m * j] = v));
    });
  }
  return jacobians.map((data, k) => wrapColMajor(data, [m, sizes[k]!]));
}
