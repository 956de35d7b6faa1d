/** OptimiserChain: rules applied in order, each transforming the step of the one before. */
import type { NdArray } from "@tsflux/graph";
import { OptimiserError } from "../errors";
import { isRule, type Rule } from "../rule";
import type { Step } from "../step";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

class OptimiserChainRule implements Rule<unknown[]> {
  readonly opts: readonly Rule[];
  // The members never change, so the flags are computed once (update reads them on every step).
  readonly #stateless: boolean;
  readonly #mayThrow: boolean;
  readonly #needsScratch: boolean;

  constructor(opts: readonly Rule[]) {
    opts.forEach((o, i) => {
      if (!isRule(o)) throw new OptimiserError(`OptimiserChain: argument ${i} is not a rule (got ${String(o)})`);
    });
    this.opts = Object.freeze([...opts]);
    this.#stateless = opts.every((o) => o.stateless);
    this.#mayThrow = opts.some((o) => o.mayThrow);
    this.#needsScratch = opts.length > 1 || opts.some((o) => o.needsScratch);
    Object.freeze(this);
  }

  get kind(): string { return "OptimiserChain"; }
  get stateless(): boolean { return this.#stateless; }
  get mayThrow(): boolean { return this.#mayThrow; }
  get needsScratch(): boolean { return this.#needsScratch; }

  /** A tuple of the members' states. */
  init(x: NdArray): unknown[] {
    return this.opts.map((o) => o.init(x));
  }

  /**
   * Stage j reads the previous stage's step and writes its own into one buffer (`out` when the chain is
   * itself a stage, else `scratch`); the last stage puts its step where the chain's goes. A stage that
   * makes no step (AccumGrad) ends the chain, leaving later stages' states untouched. `s` is restored.
   */
  apply(states: unknown[], s: Step): boolean {
    const k = this.opts.length, g = s.g, go = s.go, out = s.out;
    if (k === 0) {
      for (let i = 0; i < s.n; i++) s.put(i, g[go + i]!);  // dx′ = g  (the empty chain is Descent(1))
      return true;
    }
    const buf = out ?? s.scratch;
    let stepped = true;
    for (let j = 0; j < k && stepped; j++) {
      s.out = j === k - 1 ? out : buf;
      stepped = this.opts[j]!.apply(states[j], s);
      s.g = buf;
      s.go = 0;
    }
    s.g = g;
    s.go = go;
    s.out = out;
    return stepped;
  }

  /**
   * Raises what `apply` would raise, changing no state: the stateless stages run into `s.scratch` (they
   * throw like their `apply` does), and the first stateful or last stage is checked on what reaches it. A
   * stage that may throw after a stateful one cannot be reached without changing state, so only `apply`
   * checks it. `s` is restored.
   */
  check(states: unknown[], s: Step): void {
    const g = s.g, go = s.go, out = s.out, last = this.opts.length - 1;
    for (let j = 0; j <= last; j++) {
      const o = this.opts[j]!;
      if (o.stateless && j < last) {
        s.out = s.scratch;
        o.apply(states[j], s);
        s.g = s.scratch;
        s.go = 0;
        continue;
      }
      if (o.mayThrow) o.check(states[j], s);
      break;
    }
    s.g = g;
    s.go = go;
    s.out = out;
  }

  adjust(change: number | Readonly<Record<string, unknown>>): Rule<unknown[]> {
    return new OptimiserChainRule(this.opts.map((o) => o.adjust(change)));
  }

  toString(): string {
    return `OptimiserChain(${this.opts.map(String).join(", ")})`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** The type of `OptimiserChain(...)`. */
export type OptimiserChain = OptimiserChainRule;

/**
 * Composes rules: each transforms the step of the one before, in order, e.g.
 * `OptimiserChain(ClipGrad(1), WeightDecay(), Adam())`. `OptimiserChain()` subtracts the raw gradient.
 * @example
 * String(OptimiserChain(ClipGrad(1), Descent(0.1)))   // "OptimiserChain(ClipGrad(delta=1.0), Descent(0.1))"
 */
export function OptimiserChain(...opts: Rule[]): OptimiserChain {
  return new OptimiserChainRule(opts);
}
