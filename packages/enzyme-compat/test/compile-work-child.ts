// Child process of compile-linearity.test.ts (run with scripts/run-ts.mjs): counts the work (work-counter.ts)
// of tracing a gradient, emitting its adjoints, compiling the plan and the whole first `gradient` call, for
// models of two sizes (layers, time steps or in-place updates), and prints { scenario: { phase: [work at size n, work at size 4n] } } as JSON.
import { setGraphChecks, sum, copy, mulAssign, sigmoid, compile, type Graph, type NdArray, type Tensor } from "@tsflux/graph";
import { Chain, Dense, LSTM, tanh, randn32 } from "@tsflux/layers";
import { Duplicated, Const, gradient, gradientGraph } from "@tsflux/enzyme-compat";
import { countWork } from "./work-counter";

setGraphChecks(true);

interface Scenario {
  /** A model of size `n` (layers or time steps), its input, and its loss. */
  make(n: number): { model: object; x: NdArray; loss: (m: never, x: Tensor) => Tensor };
}

const scenarios: Record<string, Scenario> = {
  "Dense(16, 16, tanh) chain": {
    make: (n) => ({
      model: Chain(...Array.from({ length: n }, () => Dense(16, 16, tanh))),
      x: randn32(16, 4),
      loss: ((m: Chain, x: Tensor) => sum(m.forward(x))) as (m: never, x: Tensor) => Tensor,
    }),
  },
  "LSTM(16, 16) unrolled": {
    make: (n) => ({
      model: LSTM(16, 16),
      x: randn32(16, n, 4),
      loss: ((m: LSTM, x: Tensor) => sum(m.forward(x))) as (m: never, x: Tensor) => Tensor,
    }),
  },
  "in-place updates (kept copies)": {
    make: (n) => ({
      model: Dense(16, 16),
      x: randn32(16, 4),
      loss: ((m: Dense, x: Tensor) => {
        const s = copy(m.forward(x));
        for (let i = 0; i < n; i++) mulAssign(s, sigmoid(s)); // each update's derivative reads the value it overwrote
        return sum(s);
      }) as (m: never, x: Tensor) => Tensor,
    }),
  },
};

function phases(scenario: Scenario, n: number): Record<string, number> {
  const { model, x, loss } = scenario.make(n);
  const traced = countWork(() => gradientGraph(loss, Duplicated(model as never), Const(x)) as Graph);
  const compiled = countWork(() => compile(traced.result, traced.result.outputs).dispose());
  const fresh = scenario.make(n);
  const first = countWork(() => gradient(fresh.loss, Duplicated(fresh.model as never), Const(fresh.x)));
  return { "trace + adjoints": traced.work, compile: compiled.work, "first gradient call": first.work };
}

const [small, large] = [Number(process.argv[2] ?? 16), 4 * Number(process.argv[2] ?? 16)];
const report: Record<string, Record<string, [number, number]>> = {};
for (const [name, scenario] of Object.entries(scenarios)) {
  phases(scenario, 2); // caches of generated loops and Wasm modules filled before counting
  const a = phases(scenario, small), b = phases(scenario, large);
  report[name] = Object.fromEntries(Object.keys(a).map((phase) => [phase, [a[phase]!, b[phase]!]]));
}
// the counter's own check: a search per element is quadratic
const control = (m: number) => countWork(() => {
  const xs = Array.from({ length: m }, (_, i) => i);
  xs.forEach((x) => xs.indexOf(x));
}).work;
report["control: indexOf per element"] = { quadratic: [control(small * 50), control(large * 50)] };
process.stdout.write(JSON.stringify(report));
