// jax-js (Wasm backend) on the benchmark workloads: one jit-compiled function per training step that
// computes the loss, its gradient and the Adam update (jax-js has no optimiser package on npm).
import { ADAM } from "../common.mjs";

globalThis.navigator ??= {}; // jax-js probes navigator.gpu; Node 20 has no navigator
const jax = await import("@jax-js/jax");
const { numpy: np, nn, jit, valueAndGrad, init, defaultDevice } = jax;

export async function ready() {
  await init("wasm");
  defaultDevice("wasm");
}

const arr = (data, shape) => np.array(data, { shape });

function params(layers) {
  return layers.map((l) => ({ w: arr(l.weight, [l.inDim, l.outDim]), b: arr(l.bias, [l.outDim]) }));
}

function forward(ps, x, activations) {
  let h = x;
  ps.forEach(({ w, b }, k) => {
    h = activations[k](np.add(np.matmul(h, w), b));
  });
  return h;
}

const id = (t) => t;

/** A training step for W1 or W2; Adam's bias correction is folded into a step size passed each call. */
export function trainStep({ layers, data }, kind) {
  let ps = params(layers);
  let m = ps.map(({ w, b }) => ({ w: np.zerosLike(w.ref), b: np.zerosLike(b.ref) }));
  let v = ps.map(({ w, b }) => ({ w: np.zerosLike(w.ref), b: np.zerosLike(b.ref) }));
  const x = arr(data.x, [data.n, layers[0].inDim]);
  const y = arr(data.y, [data.n, layers[layers.length - 1].outDim]);
  const loss = kind === "W1"
    ? (p, x, y) => np.square(np.subtract(nn.softmax(forward(p, x, [nn.sigmoid, id]), -1), y)).sum()
    : (p, x, y) => np.negative(np.multiply(y, nn.logSoftmax(forward(p, x, [nn.relu, nn.relu, id]), -1)).sum()).div(data.n);
  const { beta1, beta2, epsilon, eta } = ADAM;
  const update = (p, g, m1, v1, scale) => {
    const mNew = np.add(np.multiply(m1, beta1), np.multiply(g.ref, 1 - beta1));
    const vNew = np.add(np.multiply(v1, beta2), np.multiply(np.square(g), 1 - beta2));
    const pNew = np.subtract(p, np.divide(np.multiply(mNew.ref, scale.ref), np.add(np.sqrt(vNew.ref), epsilon)));
    return [pNew, mNew, vNew];
  };
  const step = jit((p, m, v, x, y, scale) => {
    const [value, g] = valueAndGrad(loss)(jax.tree.map((a) => a.ref, p), x, y);
    const out = p.map((pl, k) => {
      const [w, mw, vw] = update(pl.w, g[k].w, m[k].w, v[k].w, scale);
      const [b, mb, vb] = update(pl.b, g[k].b, m[k].b, v[k].b, scale);
      return { p: { w, b }, m: { w: mw, b: mb }, v: { w: vw, b: vb } };
    });
    scale.dispose();
    return [value, out.map((o) => o.p), out.map((o) => o.m), out.map((o) => o.v)];
  });
  let t = 0;
  return {
    firstLoss: () => loss(jax.tree.map((a) => a.ref, ps), x.ref, y.ref).js(),
    step: async () => {
      t++;
      const scale = np.array(eta * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t));
      const [value, p2, m2, v2] = step(ps, m, v, x.ref, y.ref, scale);
      ps = p2;
      m = m2;
      v = v2;
      await value.data();
    },
  };
}

export function gemm({ a, b }, n) {
  const A = arr(a, [n, n]), B = arr(b, [n, n]);
  const f = jit((a, b) => np.matmul(a, b));
  return async () => {
    const c = await f(A.ref, B.ref).blockUntilReady(); // computed, not read back
    c.dispose();
  };
}

export function inference({ layers }, x, n) {
  const ps = params(layers);
  const X = arr(x, [n, layers[0].inDim]);
  const f = jit((p, x) => forward(p, x, [nn.relu, nn.relu, id]));
  return async () => {
    await f(jax.tree.map((a) => a.ref, ps), X.ref).data();
  };
}

/**
 * W6: the LSTM written out over the time steps inside one jit of valueAndGrad plus Adam (jax-js has no
 * recurrent layer): gates input, forget, cell, output from x Wi + h Wh + b with the [in, 4h] kernels.
 */
export function lstmTrainStep({ wi, wh, bias, x, y }, { features, hidden, len, batch }) {
  let ps = { wi: arr(wi, [features, 4 * hidden]), wh: arr(wh, [hidden, 4 * hidden]), b: arr(bias, [4 * hidden]) };
  const zeros = () => ({ wi: np.zeros([features, 4 * hidden]), wh: np.zeros([hidden, 4 * hidden]), b: np.zeros([4 * hidden]) });
  let m = zeros(), v = zeros();
  const X = arr(x, [batch, len, features]), Y = arr(y, [batch, len, hidden]);
  const H = hidden;
  const loss = (p, x, y) => {
    const gx = np.reshape(np.matmul(np.reshape(x, [batch * len, features]), p.wi), [batch, len, 4 * H]);
    let h = np.zeros([batch, H]), c = np.zeros([batch, H]);
    const ys = [];
    for (let t = 0; t < len; t++) {
      const g = np.add(np.add(gx.ref.slice([], t, []), np.matmul(h, p.wh.ref)), p.b.ref);
      const i = nn.sigmoid(g.ref.slice([], [0, H])), f = nn.sigmoid(g.ref.slice([], [H, 2 * H]));
      const cc = np.tanh(g.ref.slice([], [2 * H, 3 * H])), o = nn.sigmoid(g.slice([], [3 * H, 4 * H]));
      c = np.add(np.multiply(f, c), np.multiply(i, cc));
      h = np.multiply(o, np.tanh(c.ref));
      ys.push(h.ref);
    }
    gx.dispose();
    c.dispose();
    h.dispose();
    p.wh.dispose();
    p.b.dispose();
    return np.square(np.subtract(np.stack(ys, 1), y)).mean();
  };
  const { beta1, beta2, epsilon } = ADAM;
  const adam = (p, g, m1, v1, scale) => {
    const mNew = np.add(np.multiply(m1, beta1), np.multiply(g.ref, 1 - beta1));
    const vNew = np.add(np.multiply(v1, beta2), np.multiply(np.square(g), 1 - beta2));
    const pNew = np.subtract(p, np.divide(np.multiply(mNew.ref, scale.ref), np.add(np.sqrt(vNew.ref), epsilon)));
    return [pNew, mNew, vNew];
  };
  const step = jit((p, m, v, x, y, scale) => {
    const [value, g] = valueAndGrad(loss)(jax.tree.map((a) => a.ref, p), x, y);
    const out = {};
    for (const k of ["wi", "wh", "b"]) out[k] = adam(p[k], g[k], m[k], v[k], scale);
    scale.dispose();
    const pick = (j) => ({ wi: out.wi[j], wh: out.wh[j], b: out.b[j] });
    return [value, pick(0), pick(1), pick(2)];
  });
  let t = 0;
  return {
    firstLoss: () => loss(jax.tree.map((a) => a.ref, ps), X.ref, Y.ref).js(),
    step: async () => {
      t++;
      const scale = np.array(ADAM.eta * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t));
      const [value, p2, m2, v2] = step(ps, m, v, X.ref, Y.ref, scale);
      ps = p2;
      m = m2;
      v = v2;
      await value.data();
    },
  };
}
