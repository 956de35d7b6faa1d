/**
 * Keeping overwritten values (as Enzyme caches them). A derivative rule reads primal values b@v; if an
 * in-place op later defined b@v+1, the planner may have reused b's storage, so the rule must read a
 * copy of b@v made just before that overwrite. Buffers whose old versions may not be kept
 * (DuplicatedNoNeed) raise VersionError instead, before anything runs.
 */
import { Tensor } from "../tensor";
import { VersionError } from "../errors";
import type { Buffer, Node, Value } from "../ir/graph";
import type { Trace } from "../ir/trace-context";
import { printNode, printValueName } from "../ir/print";
import { recordInserted } from "../ir/new-nodes";

export class Keeper {
  private readonly kept = new Map<Value, Value>();
  /** Copies not yet in the graph's node list, with the node each must precede. */
  private readonly pending: { copy: Node; writer: Node }[] = [];

  constructor(private readonly trace: Trace, private readonly noKeep: ReadonlySet<Buffer> = new Set()) {}

  /**
   * After `node`'s rule emitted the nodes from position `emittedFrom` on and returned `results`,
   * redirects reads of overwritten primals to kept copies.
   */
  fix(node: Node, emittedFrom: number, results: readonly (Tensor | null)[]): readonly (Tensor | null)[] {
    if (!this.overwritten(node.output) && !node.inputs.some((v) => this.overwritten(v))) return results;
    const primals = new Set<Value>([...node.inputs, node.output].filter((v) => this.overwritten(v)));
    const nodes = this.trace.graph.nodes, end = nodes.length;
    for (let i = emittedFrom; i < end; i++) {
      const inputs = nodes[i]!.inputs as Value[];
      inputs.forEach((x, k) => {
        if (primals.has(x)) inputs[k] = this.keep(node, x);
      });
    }
    return results.map((r) => (r !== null && r.isSymbolic && primals.has(r.value) ? Tensor.pinned(this.trace, this.keep(node, r.value)) : r));
  }

  private overwritten(v: Value): boolean {
    return v.buffer.versions.length > v.version + 1;
  }

  private keep(reader: Node, v: Value): Value {
    const known = this.kept.get(v);
    if (known) return known;
    const writer = v.buffer.versions[v.version + 1]!.producer!;
    if (this.noKeep.has(v.buffer)) {
      const name = v.buffer.name ?? printValueName(v.buffer.versions[0]!);
      throw new VersionError(
        `${reader.op} (derivative of ${printNode(reader)}) needs ${printValueName(v)} of buffer ${name}, but ${writer.op} overwrote it ` +
          `(${printNode(writer)}), and no copy of ${name} may be kept because it is DuplicatedNoNeed; ` +
          `mark it Duplicated, or copy the value before the ${writer.op}`,
      );
    }
    const graph = this.trace.graph;
    const copy = graph.addNode("copy", [v], {}, v);
    graph.nodes.pop(); // placed before its writer by flush()
    this.pending.push({ copy: copy.producer!, writer });
    recordInserted(graph, copy.producer!);
    this.kept.set(v, copy);
    return copy;
  }

  /**
   * Puts the copies made since the last flush into the graph, each just before the node that overwrote
   * its value (several before one writer in the order they were made), in one pass over the nodes.
   */
  flush(): void {
    if (this.pending.length === 0) return;
    const before = new Map<Node, Node[]>();
    for (const { copy, writer } of this.pending) {
      const list = before.get(writer);
      if (list) list.push(copy);
      else before.set(writer, [copy]);
    }
    this.pending.length = 0;
    const nodes = this.trace.graph.nodes;
    const old = nodes.splice(0, nodes.length);
    for (const node of old) {
      const copies = before.get(node);
      if (copies) nodes.push(...copies);
      nodes.push(node);
    }
    nodes.forEach((n, i) => ((n as { index: number }).index = i));
  }
}
