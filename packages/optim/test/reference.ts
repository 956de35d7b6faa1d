/**
 * Independent Float64 reimplementations of Optimisers.jl's rules (src/rules.jl, 0.4.x), written from the
 * Julia source with plain loops over number arrays. Each `step` returns the dx′ that Optimisers.jl
 * subtracts from x, or null when the rule makes no step. Bias corrections use Math.pow(β, t) with a step
 * counter, not the package's running βt products, so the two computations are independent.
 */
export type Vec = number[];

export interface RefRule {
  init(x: Vec): unknown;
  step(state: unknown, x: Vec, g: Vec): Vec | null;
}

const zeros = (x: Vec): Vec => x.map(() => 0);
const fill = (x: Vec, v: number): Vec => x.map(() => v);

function ref<S>(init: (x: Vec) => S, step: (s: S, x: Vec, g: Vec) => Vec | null): RefRule {
  return { init, step: (s, x, g) => step(s as S, x, g) };
}

export const refDescent = (eta = 0.1): RefRule => ref(() => null, (_s, _x, g) => g.map((gi) => eta * gi));

export const refMomentum = (eta = 0.01, rho = 0.9): RefRule =>
  ref((x) => ({ v: zeros(x) }), (s, _x, g) => {
    s.v = s.v.map((v, i) => rho * v + eta * g[i]!);
    return [...s.v];
  });

export const refNesterov = (eta = 0.001, rho = 0.9): RefRule =>
  ref((x) => ({ v: zeros(x) }), (s, _x, g) => {
    const dx = s.v.map((v, i) => -(rho ** 2) * v + (1 + rho) * eta * g[i]!);
    s.v = s.v.map((v, i) => rho * v - eta * g[i]!);
    return dx;
  });

export const refRMSProp = (eta = 0.001, rho = 0.9, eps = 1e-8, centred = false): RefRule =>
  ref((x) => ({ q: zeros(x), l: zeros(x) }), (s, _x, g) => {
    s.q = s.q.map((q, i) => rho * q + (1 - rho) * g[i]! ** 2);
    if (centred) s.l = s.l.map((l, i) => rho * l + (1 - rho) * g[i]!);
    return g.map((gi, i) => (gi * eta) / (Math.sqrt(s.q[i]! - s.l[i]! ** 2) + eps));
  });

export const refRprop = (eta = 1e-3, ell: [number, number] = [0.5, 1.2], gamma: [number, number] = [1e-6, 50]): RefRule =>
  ref((x) => ({ prev: zeros(x), step: fill(x, eta) }), (s, _x, g) => {
    const dx: Vec = [];
    for (let i = 0; i < g.length; i++) {
      const p = s.prev[i]! * g[i]!;
      if (p > 0) s.step[i] = Math.min(s.step[i]! * ell[1], gamma[1]);
      else if (p < 0) s.step[i] = Math.max(s.step[i]! * ell[0], gamma[0]);
      s.prev[i] = p < 0 ? 0 : g[i]!;
      dx.push(s.step[i]! * Math.sign(s.prev[i]!));
    }
    return dx;
  });

interface Moments { m: Vec; v: Vec; t: number }
const moments = (x: Vec): Moments => ({ m: zeros(x), v: zeros(x), t: 0 });
function advance(s: Moments, g: Vec, b1: number, b2: number): void {
  s.t += 1;
  s.m = s.m.map((m, i) => b1 * m + (1 - b1) * g[i]!);
  s.v = s.v.map((v, i) => b2 * v + (1 - b2) * g[i]! ** 2);
}

export const refAdam = (eta = 0.001, [b1, b2] = [0.9, 0.999], eps = 1e-8): RefRule =>
  ref(moments, (s, _x, g) => {
    advance(s, g, b1, b2);
    return s.m.map((m, i) => (m / (1 - b1 ** s.t) / (Math.sqrt(s.v[i]! / (1 - b2 ** s.t)) + eps)) * eta);
  });

export const refRAdam = (eta = 0.001, [b1, b2] = [0.9, 0.999], eps = 1e-8): RefRule =>
  ref(moments, (s, _x, g) => {
    advance(s, g, b1, b2);
    const t = s.t, rhoInf = 2 / (1 - b2) - 1;
    const rho = rhoInf - (2 * t * b2 ** t) / (1 - b2 ** t);
    if (rho <= 4) return s.m.map((m) => (m / (1 - b1 ** t)) * eta);
    const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
    return s.m.map((m, i) => (m / (1 - b1 ** t) / (Math.sqrt(s.v[i]! / (1 - b2 ** t)) + eps)) * eta * r);
  });

export const refAdaMax = (eta = 0.001, [b1, b2] = [0.9, 0.999], eps = 1e-8): RefRule =>
  ref((x) => ({ m: zeros(x), u: zeros(x), t: 0 }), (s, _x, g) => {
    s.t += 1;
    s.m = s.m.map((m, i) => b1 * m + (1 - b1) * g[i]!);
    s.u = s.u.map((u, i) => Math.max(b2 * u, Math.abs(g[i]!)));
    return s.m.map((m, i) => ((eta / (1 - b1 ** s.t)) * m) / (s.u[i]! + eps));
  });

export const refOAdam = (eta = 0.001, [b1, b2] = [0.5, 0.9], eps = 1e-8): RefRule =>
  ref((x) => ({ ...moments(x), term: zeros(x) }), (s, _x, g) => {
    advance(s, g, b1, b2);
    const prev = s.term;
    s.term = s.m.map((m, i) => (eta * m) / (1 - b1 ** s.t) / (Math.sqrt(s.v[i]! / (1 - b2 ** s.t)) + eps));
    return s.term.map((t, i) => 2 * t - prev[i]!);
  });

export const refAdaGrad = (eta = 0.1, eps = 1e-8): RefRule =>
  ref((x) => ({ acc: fill(x, eps) }), (s, _x, g) => {
    s.acc = s.acc.map((a, i) => a + g[i]! ** 2);
    return g.map((gi, i) => (gi * eta) / (Math.sqrt(s.acc[i]!) + eps));
  });

export const refAdaDelta = (rho = 0.9, eps = 1e-8): RefRule =>
  ref((x) => ({ acc: zeros(x), dacc: zeros(x) }), (s, _x, g) => {
    s.acc = s.acc.map((a, i) => rho * a + (1 - rho) * g[i]! ** 2);
    const dx = g.map((gi, i) => (gi * Math.sqrt(s.dacc[i]! + eps)) / Math.sqrt(s.acc[i]! + eps));
    s.dacc = s.dacc.map((d, i) => rho * d + (1 - rho) * dx[i]! ** 2);
    return dx;
  });

export const refAMSGrad = (eta = 0.001, [b1, b2] = [0.9, 0.999], eps = 1e-8): RefRule =>
  ref((x) => ({ m: fill(x, eps), v: fill(x, eps), vhat: fill(x, eps) }), (s, _x, g) => {
    s.m = s.m.map((m, i) => b1 * m + (1 - b1) * g[i]!);
    s.v = s.v.map((v, i) => b2 * v + (1 - b2) * g[i]! ** 2);
    s.vhat = s.vhat.map((h, i) => Math.max(h, s.v[i]!));
    return s.m.map((m, i) => (eta * m) / (Math.sqrt(s.vhat[i]!) + eps));
  });

export const refNAdam = (eta = 0.001, [b1, b2] = [0.9, 0.999], eps = 1e-8): RefRule =>
  ref(moments, (s, _x, g) => {
    advance(s, g, b1, b2);
    const t = s.t;
    return s.m.map((m, i) =>
      (((b1 * m) / (1 - b1 ** (t + 1)) + ((1 - b1) * g[i]!) / (1 - b1 ** t)) / (Math.sqrt((s.v[i]! * b2) / (1 - b2 ** t)) + eps)) * eta);
  });

export const refAdamW = (eta = 0.001, [b1, b2] = [0.9, 0.999], lambda = 0, eps = 1e-8, couple = true): RefRule =>
  ref(moments, (s, x, g) => {
    advance(s, g, b1, b2);
    const a = s.m.map((m, i) => m / (1 - b1 ** s.t) / (Math.sqrt(s.v[i]! / (1 - b2 ** s.t)) + eps));
    return a.map((ai, i) => (couple ? eta * (ai + lambda * x[i]!) : eta * ai + lambda * x[i]!));
  });

export const refAdaBelief = (eta = 0.001, [b1, b2] = [0.9, 0.999], eps = 1e-16): RefRule =>
  ref((x) => ({ m: zeros(x), s: zeros(x), t: 0 }), (st, _x, g) => {
    st.t += 1;
    st.m = st.m.map((m, i) => b1 * m + (1 - b1) * g[i]!);
    st.s = st.s.map((s, i) => b2 * s + (1 - b2) * (g[i]! - st.m[i]!) ** 2 + eps);
    return st.m.map((m, i) => (eta * m) / (1 - b1 ** st.t) / (Math.sqrt(st.s[i]! / (1 - b2 ** st.t)) + eps));
  });

export const refLion = (eta = 0.001, [b1, b2] = [0.9, 0.999]): RefRule =>
  ref((x) => ({ m: zeros(x) }), (s, _x, g) => {
    s.m = s.m.map((m, i) => b2 * g[i]! + (1 - b2) * m);
    return g.map((gi, i) => eta * Math.sign((b2 - b1) * gi + b1 * s.m[i]!));
  });

export const refWeightDecay = (lambda = 5e-4): RefRule => ref(() => null, (_s, x, g) => g.map((gi, i) => gi + lambda * x[i]!));

export const refSignDecay = (lambda = 1e-3): RefRule => ref(() => null, (_s, x, g) => g.map((gi, i) => gi + lambda * Math.sign(x[i]!)));

export const refClipGrad = (delta = 10): RefRule => ref(() => null, (_s, _x, g) => g.map((gi) => Math.min(Math.max(gi, -delta), delta)));

export const refClipNorm = (omega = 10, p = 2): RefRule =>
  ref(() => null, (_s, _x, g) => {
    const a = g.map(Math.abs);
    const norm = p === Infinity ? Math.max(...a) : p === 1 ? a.reduce((s, v) => s + v, 0) : a.reduce((s, v) => s + v ** p, 0) ** (1 / p);
    return g.map((gi) => gi * Math.min(omega / norm, 1));
  });

export const refAccumGrad = (n: number): RefRule =>
  ref((x) => ({ acc: zeros(x), counter: 1 }), (s, _x, g) => {
    s.acc = s.counter === 1 ? g.map((gi) => gi / n) : s.acc.map((a, i) => a + g[i]! / n);
    if (s.counter < n) {
      s.counter += 1;
      return null;
    }
    s.counter = 1;
    return [...s.acc];
  });

export const refChain = (...rules: RefRule[]): RefRule =>
  ref((x) => rules.map((r) => r.init(x)), (states, x, g) => {
    let dx: Vec | null = g;
    for (let j = 0; j < rules.length && dx !== null; j++) dx = rules[j]!.step(states[j], x, dx);
    return dx;
  });
