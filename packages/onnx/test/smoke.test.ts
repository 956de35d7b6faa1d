/** @jest-environment ./packages/onnx/test/ort-environment.cjs */
import { Chain, Dense, sigmoid, softmax, randn32 } from "@tsflux/layers";
import { toOnnx } from "@tsflux/onnx";
import { runOrt, relativeError } from "./ort";

test("smoke", async () => {
  const m = Chain(Dense(784, 32, sigmoid), Dense(32, 10), softmax);
  const bytes = toOnnx(m, randn32(784, 1));
  for (const n of [1, 7]) {
    const x = randn32(784, n);
    const [y] = await runOrt(bytes, x);
    console.log(relativeError(y!, m.forward(x).toNdarray()));
  }
});
