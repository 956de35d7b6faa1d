// jax-js on the convolutional workloads (NCHW, the same buffers as tsflux's WHCN): lax.conv, max pooling as
// a reshape and max, one jit of valueAndGrad plus a hand-written Adam (as in jaxjs.mjs).
import { ADAM } from "../common.mjs";
import { crossCorOIHW } from "../conv-common.mjs";

globalThis.navigator ??= {};
const jax = await import("@jax-js/jax");
const { numpy: np, nn, lax, jit, valueAndGrad } = jax;

const arr = (data, shape) => np.array(data, { shape });

/** 2x2 max pooling, stride 2, of [n, c, h, w]. */
const maxpool2 = (h, [n, c, H, W]) => np.max(h.reshape([n, c, H / 2, 2, W / 2, 2]), [3, 5]);

/** W5: LeNet-5 training step. */
export function lenetStep({ convs, dense, data }) {
  const n = data.n;
  let ps = [
    ...convs.flatMap((c) => [arr(crossCorOIHW(c), [c.cout, c.cin, c.k, c.k]), arr(c.bias, [1, c.cout, 1, 1])]),
    ...dense.flatMap((l) => [arr(l.weight, [l.inDim, l.outDim]), arr(l.bias, [l.outDim])]),
  ];
  let m = ps.map((p) => np.zerosLike(p.ref)), v = ps.map((p) => np.zerosLike(p.ref));
  const x = arr(data.x, [n, 1, 28, 28]), y = arr(data.y, [n, 10]);
  const loss = (p, x, y) => {
    let h = maxpool2(nn.relu(np.add(lax.conv(x, p[0], [1, 1], "VALID"), p[1])), [n, 6, 24, 24]);
    h = maxpool2(nn.relu(np.add(lax.conv(h, p[2], [1, 1], "VALID"), p[3])), [n, 16, 8, 8]);
    h = h.reshape([n, 256]);
    h = nn.relu(np.add(np.matmul(h, p[4]), p[5]));
    h = nn.relu(np.add(np.matmul(h, p[6]), p[7]));
    h = np.add(np.matmul(h, p[8]), p[9]);
    return np.negative(np.multiply(y, nn.logSoftmax(h, -1)).sum()).div(n);
  };
  const { beta1, beta2, epsilon } = ADAM;
  const step = jit((p, m, v, x, y, scale) => {
    const [value, g] = valueAndGrad(loss)(jax.tree.map((a) => a.ref, p), x, y);
    const out = p.map((pk, k) => {
      const mNew = np.add(np.multiply(m[k], beta1), np.multiply(g[k].ref, 1 - beta1));
      const vNew = np.add(np.multiply(v[k], beta2), np.multiply(np.square(g[k]), 1 - beta2));
      const pNew = np.subtract(pk, np.divide(np.multiply(mNew.ref, scale.ref), np.add(np.sqrt(vNew.ref), epsilon)));
      return [pNew, mNew, vNew];
    });
    scale.dispose();
    return [value, out.map((o) => o[0]), out.map((o) => o[1]), out.map((o) => o[2])];
  });
  let t = 0;
  return {
    firstLoss: () => loss(jax.tree.map((a) => a.ref, ps), x.ref, y.ref).js(),
    step: async () => {
      t++;
      const scale = np.array(ADAM.eta * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t));
      const [value, p2, m2, v2] = step(ps, m, v, x.ref, y.ref, scale);
      ps = p2;
      m = m2;
      v = v2;
      await value.data();
    },
  };
}

/** The conv-layer row: lax.conv 3x3 with padding 1, NCHW [32, 64, 32, 32]. */
export function convLayer3x3({ filter, x }) {
  const X = arr(x, [32, 64, 32, 32]), W = arr(crossCorOIHW(filter), [64, 64, 3, 3]);
  const f = jit((a, b) => lax.conv(a, b, [1, 1], [[1, 1], [1, 1]]));
  return async () => {
    const c = await f(X.ref, W.ref).blockUntilReady();
    c.dispose();
  };
}
