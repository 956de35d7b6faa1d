/** gradient, withgradient, Enzyme.gradient and autodiff inside a function that is itself differentiated. */
import { sum, mul, abs2, toFlatArray, leaves, Tensor, type NdArray } from "@tsflux/graph";
import { Dense, Chain, sigmoid, tanh, f64 } from "@tsflux/layers";
import { gradient, withgradient, autodiff, Enzyme, Duplicated, Const, Active, Reverse } from "@tsflux/enzyme-compat";
import { expectClose, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";

const rng = mulberry32(seedFrom("enzyme second order"));
const model = f64(Chain(Dense(3, 4, tanh), Dense(4, 2, sigmoid)));
const x = randomArray(rng, [3, 2], "f64", "unit");
type Grad = { layers: { weight: NdArray | Tensor }[] };

/** The outer gradient of `outer` with respect to every parameter, against central finite differences. */
function checkAgainstFiniteDifferences(outer: (m: Chain, x: Tensor) => Tensor): void {
  const [g] = gradient(outer, Duplicated(model), Const(x));
  const analytic = leaves(g, { floatOnly: true }).map((l) => toFlatArray(l.value));
  leaves(model, { floatOnly: true }).forEach(({ value: a }, k) => {
    const numeric = toFlatArray(a).map((_, i) => {
      const saved = a.data[i]!;
      a.data[i] = saved + 1e-6;
      const plus = Number(outer(model, Tensor.concrete(x)));
      a.data[i] = saved - 1e-6;
      const minus = Number(outer(model, Tensor.concrete(x)));
      a.data[i] = saved;
      return (plus - minus) / 2e-6;
    });
    expectClose(analytic[k]!, numeric, { rtol: 1e-3, atol: 1e-5, what: `parameter array ${k + 1}` });
  });
}

test("Flux's gradient of a Duplicated model inside a loss (a weight-gradient penalty)", () => {
  checkAgainstFiniteDifferences((m, x) => {
    const [g] = gradient((mm: Chain, xx: Tensor) => sum(mm.forward(xx)), Duplicated(m), Const(x)) as unknown as [Grad];
    return sum(abs2(g.layers[0]!.weight));
  });
});

test("Enzyme.gradient with respect to the input inside a loss (API.md's gradient penalty)", () => {
  checkAgainstFiniteDifferences((m, x) => {
    const [gx] = Enzyme.gradient(Reverse, (xx: Tensor) => sum(m.forward(xx)), x) as [Tensor | NdArray];
    return sum(abs2(gx));
  });
});

test("withgradient inside a loss: its value and gradient are graph values too", () => {
  checkAgainstFiniteDifferences((m, x) => {
    const { val, grad } = withgradient((xx: Tensor, mm: Chain) => sum(mm.forward(xx)), Duplicated(x, mul(x, 0)), Const(m));
    return mul(sum(abs2(grad[0] as unknown as Tensor)), val as unknown as Tensor); // symbolic inside a traced function
  });
});

test("autodiff with Active arguments inside a traced function", () => {
  // inner(p, q) = p q³: d/dq = 3 p q²; outer(a) = 3 a · a² = 3a³ at p = q = a, so d outer/da = 9a²
  const outer = (a: Tensor) => {
    const [[, dq]] = autodiff(Reverse, (p: Tensor, q: Tensor) => mul(p, mul(q, mul(q, q))), Active, Active(a), Active(a)) as [[Tensor, Tensor]];
    return dq;
  };
  const [[d]] = autodiff(Reverse, outer, Active, Active(0.7)) as [[number]];
  expectClose(d, 9 * 0.49, { rtol: 1e-12 });
});
