/**
 * Recurrent layers against the cell equations written out here with plain loops over a whole
 * sequence with batch > 1, from zero and from given initial states; gradients through time against
 * Float64 finite differences; Float32 against Float64; shapes and errors.
 */
import { Tensor, sum, mul, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import { compareFloat32, expectClose, gradcheck, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import { GRU, GRUCell, GRUv3, LSTM, LSTMCell, RNN, RNNCell, Recurrence, relu } from "@tsflux/layers";
import { randomizeParams, floatLeaves, withParams } from "./params";

const sig = (v: number) => 1 / (1 + Math.exp(-v));
type Kind = "RNN" | "LSTM" | "GRU" | "GRUv3";

/** Column-major matrix [rows, cols] times column j of x (column-major [cols, n]). */
function matvec(w: number[], rows: number, x: number[], cols: number, j: number): number[] {
  return Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[r + c * rows]! * x[c + j * cols]!;
    return s;
  });
}

/**
 * The Flux 0.16 cell equations, one batch column at a time: params [Wi, Wh, bias (, Wh_h̃)], x
 * [in, len, batch]; returns y [out, len, batch] and the last state(s) [out, batch] each.
 */
function reference(kind: Kind, params: number[][], x: number[], [inDim, len, batch]: readonly [number, number, number], out: number, state0: number[][]): { y: number[]; state: number[][] } {
  const [wi, wh, b, whh] = params as [number[], number[], number[], number[]];
  const gates = { RNN: 1, LSTM: 4, GRU: 3, GRUv3: 3 }[kind];
  const y = new Array<number>(out * len * batch).fill(0);
  const state = state0.map((s) => [...s]);
  for (let n = 0; n < batch; n++) {
    let h = state[0]!.slice(n * out, (n + 1) * out), c = kind === "LSTM" ? state[1]!.slice(n * out, (n + 1) * out) : [];
    for (let t = 0; t < len; t++) {
      const xt = x.slice((t + len * n) * inDim, (t + len * n + 1) * inDim);
      const gx = matvec(wi, gates * out, xt, inDim, 0).map((v, r) => v + b[r]!);
      const gh = matvec(wh, gates * out, h, out, 0);
      const at = (g: number[], k: number, i: number) => g[k * out + i]!;
      let next: number[];
      if (kind === "RNN") next = gx.map((v, i) => Math.tanh(v + gh[i]!));
      else if (kind === "LSTM") {
        const c2 = c.map((cv, i) => sig(at(gx, 1, i) + at(gh, 1, i)) * cv + sig(at(gx, 0, i) + at(gh, 0, i)) * Math.tanh(at(gx, 2, i) + at(gh, 2, i)));
        next = c2.map((cv, i) => sig(at(gx, 3, i) + at(gh, 3, i)) * Math.tanh(cv));
        c = c2;
      } else {
        const r = h.map((_, i) => sig(at(gx, 0, i) + at(gh, 0, i)));
        const z = h.map((_, i) => sig(at(gx, 1, i) + at(gh, 1, i)));
        const rh = h.map((hv, i) => r[i]! * hv);
        const cand = kind === "GRU"
          ? h.map((_, i) => Math.tanh(at(gx, 2, i) + r[i]! * at(gh, 2, i)))
          : matvec(whh, out, rh, out, 0).map((v, i) => Math.tanh(at(gx, 2, i) + v));
        next = h.map((hv, i) => (1 - z[i]!) * cand[i]! + z[i]! * hv);
      }
      h = next;
      h.forEach((v, i) => (y[i + out * (t + len * n)] = v));
    }
    h.forEach((v, i) => (state[0]![i + n * out] = v));
    if (kind === "LSTM") c.forEach((v, i) => (state[1]![i + n * out] = v));
  }
  return { y, state };
}

const build: Record<Kind, (i: number, o: number) => RNN | LSTM | GRU | GRUv3> = {
  RNN: (i, o) => RNN(i, o), LSTM: (i, o) => LSTM(i, o), GRU: (i, o) => GRU(i, o), GRUv3: (i, o) => GRUv3(i, o),
};
const KINDS = Object.keys(build) as Kind[];

describe.each(KINDS)("%s", (kind) => {
  const [inDim, out, len, batch] = [3, 4, 5, 2];
  const rng = mulberry32(seedFrom(`recurrent ${kind}`));
  const layer = randomizeParams(build[kind](inDim, out), rng);
  const params = floatLeaves(layer).map((a) => toFlatArray(a));
  const x = randomArray(rng, [inDim, len, batch], "f64", "unit");
  const states = (kind === "LSTM" ? [0, 1] : [0]).map(() => randomArray(rng, [out, batch], "f64", "unit"));

  test("the whole sequence with batch 2 from the zero state matches the cell equations", () => {
    const y = layer.forward(x);
    expect([...y.shape]).toEqual([out, len, batch]);
    const zeros = states.map(() => new Array(out * batch).fill(0));
    expectClose(y, reference(kind, params, toFlatArray(x), [inDim, len, batch], out, zeros).y, { rtol: 1e-12, atol: 1e-12, what: `${kind} forward` });
  });

  test("from a given initial state, with the last state returned, matches the cell equations", () => {
    const given = kind === "LSTM" ? [states[0]!, states[1]!] : states[0]!;
    const [y, last] = layer.forwardWithState(x, given as never);
    const ref = reference(kind, params, toFlatArray(x), [inDim, len, batch], out, states.map((s) => toFlatArray(s)));
    expectClose(y, ref.y, { rtol: 1e-12, atol: 1e-12, what: `${kind} forward from a state` });
    const lastStates = (kind === "LSTM" ? last : [last]) as Tensor[];
    lastStates.forEach((s, k) => expectClose(s, ref.state[k]!, { rtol: 1e-12, atol: 1e-12, what: `${kind} last state ${k + 1}` }));
    expectClose(layer.forward(x, given as never), ref.y, { rtol: 1e-12, atol: 1e-12, what: `${kind} forward(x, state)` });
  });

  test("a [in, len] sequence gives [out, len], equal to the batch column it matches", () => {
    const x1 = wrapColMajor(Float64Array.from(toFlatArray(x).slice(0, inDim * len)), [inDim, len]);
    const y1 = layer.forward(x1);
    expect([...y1.shape]).toEqual([out, len]);
    expectClose(y1, toFlatArray(layer.forward(x).toNdarray()).slice(0, out * len), { rtol: 1e-12, atol: 1e-12, what: `${kind} unbatched` });
  });

  test("gradients through time of parameters, input and initial state match Float64 finite differences", () => {
    const small = randomizeParams(build[kind](2, 3), mulberry32(seedFrom(`bptt ${kind}`)));
    const ps = floatLeaves(small);
    const xs = randomArray(rng, [2, 3, 2], "f64", "unit");
    const s0 = (kind === "LSTM" ? [0, 1] : [0]).map(() => randomArray(rng, [3, 2], "f64", "unit"));
    const f = (...args: Tensor[]) => {
      const m = withParams(small, args.slice(0, ps.length));
      const st = args.slice(ps.length + 1);
      return m.forward(args[ps.length]!, (kind === "LSTM" ? st : st[0]) as never);
    };
    gradcheck(f, [...ps, xs, ...s0], { what: `${kind} through time` });
    compareFloat32(f, [...ps, xs, ...s0], { what: `${kind} through time` });
  });

  test("a wrong input size is an error naming the layer and the sizes", () => {
    expect(() => layer.forward(randomArray(rng, [inDim + 1, len, batch], "f64"))).toThrow(`${String(layer).split("  ")[0]}: expected a sequence of size [3, len] or [3, len, batch], got x of size [4, 5, 2]`);
  });
});

test("a sequence of 11 steps (split into steps by halves) matches the LSTM equations, and its gradients finite differences", () => {
  const lstm = randomizeParams(LSTM(2, 2), mulberry32(21));
  const ps = floatLeaves(lstm);
  const x = randomArray(mulberry32(22), [2, 11, 1], "f64", "unit");
  const ref = reference("LSTM", ps.map((a) => toFlatArray(a)), toFlatArray(x), [2, 11, 1], 2, [[0, 0], [0, 0]]);
  expectClose(lstm.forward(x), ref.y, { rtol: 1e-12, atol: 1e-12, what: "LSTM over 11 steps" });
  gradcheck((...args: Tensor[]) => withParams(lstm, args.slice(0, ps.length)).forward(args[ps.length]!), [...ps, x], { what: "LSTM over 11 steps" });
});

describe("cells", () => {
  test("a cell call returns [output, state]; LSTMCell's state is [h, c] and its output is h", () => {
    const cell = randomizeParams(LSTMCell(3, 2), mulberry32(7));
    const x = randomArray(mulberry32(8), [3, 4], "f64");
    const [h, [h2, c]] = cell.forward(x);
    expect([...h.shape, ...c.shape]).toEqual([2, 4, 2, 4]);
    expect(toFlatArray(h.toNdarray())).toEqual(toFlatArray(h2.toNdarray()));
    const seq = LSTM(cell).forward(wrapColMajor(Float64Array.from(toFlatArray(x)), [3, 1, 4]));
    expectClose(seq, toFlatArray(h.toNdarray()), { rtol: 0, atol: 0, what: "one LSTM step" });
  });

  test("RNNCell applies its activation; a vector state broadcasts over the batch", () => {
    const cell = randomizeParams(RNNCell(2, 3, relu), mulberry32(9));
    const x = randomArray(mulberry32(10), [2, 2], "f64");
    const h = randomArray(mulberry32(11), [3], "f64");
    const [y] = cell.forward(x, h);
    const [wi, wh, b] = floatLeaves(cell).map((a) => toFlatArray(a));
    const expected = [0, 1].flatMap((n) => matvec(wi!, 3, toFlatArray(x), 2, n).map((v, r) => Math.max(0, v + matvec(wh!, 3, toFlatArray(h), 3, 0)[r]! + b![r]!)));
    expectClose(y, expected, { rtol: 1e-12, atol: 1e-12, what: "RNNCell(relu)" });
  });

  test("Recurrence unrolls any cell with Flux's contract", () => {
    const cell = randomizeParams(GRUCell(2, 3), mulberry32(12));
    const x = randomArray(mulberry32(13), [2, 4, 2], "f64");
    expectClose(Recurrence(cell).forward(x), GRU(cell).forward(x), { rtol: 0, atol: 0, what: "Recurrence(GRUCell) vs GRU" });
    const custom = { initialstates: () => Tensor.concrete(wrapColMajor(new Float64Array(2), [2])), forward: (xt: Tensor, s: Tensor): [Tensor, Tensor] => [mul(xt, 2), s] };
    expectClose(sum(Recurrence(custom).forward(x)), 2 * toFlatArray(x).reduce((a, v) => a + v, 0), { rtol: 1e-12, what: "Recurrence of a plain object" });
  });
});

describe("parameters", () => {
  test.each([
    ["RNN(4 => 6)", RNN(4, 6), 4 * 6 + 36 + 6],
    ["LSTM(3 => 5)", LSTM(3, 5), 4 * (15 + 25 + 5)],
    ["GRU(3 => 5)", GRU(3, 5), 3 * (15 + 25 + 5)],
    ["GRUv3(3 => 5)", GRUv3(3, 5), 3 * (15 + 25 + 5) + 25],
  ])("%s has Flux's parameter count", (_n, layer, count) => {
    expect(floatLeaves(layer).reduce((a, p: NdArray) => a + p.data.length, 0)).toBe(count);
  });
});
