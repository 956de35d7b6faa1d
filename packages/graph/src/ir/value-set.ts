/**
 * A set of one graph's values, as a byte per value id: the membership tests of whole-graph passes
 * (liveness, activity) without hashing every value. Ids are dense per graph, so the array is as long
 * as the graph has values; it grows when a newer value is added.
 */
import type { Graph, Value } from "./graph";

export class ValueSet {
  private bits: Uint8Array;

  /** An empty set sized for ids below `capacity` (it grows past that when needed). */
  constructor(capacity: number, values: Iterable<Value> = []) {
    this.bits = new Uint8Array(Math.max(16, capacity));
    for (const v of values) this.add(v);
  }

  has(v: Value): boolean {
    return this.bits[v.id] === 1;
  }

  add(v: Value): void {
    if (v.id >= this.bits.length) {
      const grown = new Uint8Array(Math.max(2 * this.bits.length, v.id + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[v.id] = 1;
  }
}

/** One more than the largest value id among `nodes`' inputs and outputs: a ValueSet capacity for them. */
export function idBound(nodes: readonly { readonly inputs: readonly Value[]; readonly output: Value }[]): number {
  let bound = 0;
  for (let i = 0; i < nodes.length; i++) {
    const { inputs, output } = nodes[i]!;
    bound = Math.max(bound, output.id + 1);
    for (let k = 0; k < inputs.length; k++) bound = Math.max(bound, inputs[k]!.id + 1);
  }
  return bound;
}

/** One more than the largest value id of `graph` (its inputs, and its nodes' inputs and outputs). */
export function graphIdBound(graph: Graph): number {
  let bound = idBound(graph.nodes);
  for (const v of graph.inputs) bound = Math.max(bound, v.id + 1);
  return bound;
}
