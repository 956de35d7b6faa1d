/**
 * The reverse visitor: walks the nodes between the active inputs and the seeded outputs backwards and
 * emits adjoint nodes (written with ordinary ops, so they can be differentiated again). Versions of a
 * mutated buffer are separate SSA values: an overwrite sends no cotangent to the old contents, and a
 * rule that reads an overwritten value reads a kept copy of it.
 */
import type { Tensor } from "../tensor";
import type { Buffer, Value } from "../ir/graph";
import type { Trace } from "../ir/trace-context";
import { withTrace } from "../ir/trace-context";
import { ActivityError } from "../errors";
import { opDef } from "../ops/table";
import { add } from "../api/elementwise";
import { primalsOf, checkDerivative } from "./primals";
import { Keeper } from "./keep";
import { pruneNew } from "../ir/prune";
import { checkpoint } from "../ir/new-nodes";
import { ValueSet, idBound } from "../ir/value-set";
import { printNode, printValueName } from "../ir/print";

/** Options of `vjp`: the region of the graph to differentiate and buffers whose old versions need not be kept. */
export interface VjpOptions {
  /** First node of the region to differentiate; values defined before it are constants here. */
  from?: number;
  /** Buffers whose overwritten versions may not be kept (DuplicatedNoNeed). */
  noKeep?: ReadonlySet<Buffer>;
}

/**
 * Emits the cotangents of `wrt` given cotangent seeds on some values (the output, and for Enzyme-style
 * calls the latest versions of mutated arguments). Returns null for a `wrt` no seed depends on.
 */
export function emitVjpSeeded(trace: Trace, seeds: ReadonlyMap<Value, Tensor>, wrt: readonly Value[], opts: VjpOptions = {}): (Tensor | null)[] {
  const graph = trace.graph;
  const nodes = graph.nodes.slice(opts.from ?? 0);
  const start = checkpoint(graph);
  const wrtSet = new Set(wrt);
  // activity: what the inputs reach, walking forwards
  const capacity = idBound(nodes);
  const active = new ValueSet(capacity, wrt);
  // indexed loops, as in exec/schedule.ts (whole-graph passes that run mostly unoptimized)
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    for (let k = 0; k < node.inputs.length; k++) {
      if (!active.has(node.inputs[k]!)) continue;
      active.add(node.output);
      break;
    }
  }
  // what reaches a seed, walking backwards (and is active)
  const useful = new ValueSet(capacity, [...seeds.keys()].filter((v) => active.has(v)));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!useful.has(node.output)) continue;
    for (let k = 0; k < node.inputs.length; k++) if (active.has(node.inputs[k]!)) useful.add(node.inputs[k]!);
  }
  for (let i = 0; i < nodes.length; i++) checkConstWrite(nodes[i]!.output, useful, wrtSet);

  const adjoint = new Map<Value, Tensor>([...seeds].filter(([v]) => useful.has(v)));
  const keeper = new Keeper(trace, opts.noKeep);
  withTrace(trace, () => {
    try {
      reverse();
    } finally {
      keeper.flush();
    }
  }, true);
  const result = wrt.map((w) => adjoint.get(w) ?? null);
  // rules emit cotangents for every input; drop those of inputs nothing differentiates
  pruneNew(graph, start, result.filter((g): g is Tensor => g !== null).map((g) => g.value));
  return result;

  function reverse(): void {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      const dy = adjoint.get(node.output);
      if (dy === undefined || !useful.has(node.output)) continue;
      const def = opDef(node.op);
      const before = graph.nodes.length;
      const raw = def.vjp ? def.vjp(primalsOf(trace, node), dy, node.attrs) : def.transpose(dy, node.attrs, node.inputs);
      const grads = keeper.fix(node, before, raw);
      for (let k = 0; k < node.inputs.length; k++) {
        const x = node.inputs[k]!, g = grads[k];
        if (g === null || g === undefined || !useful.has(x)) continue;
        checkDerivative("gradient", node, `input ${k + 1}`, g, x);
        const previous = adjoint.get(x);
        adjoint.set(x, previous === undefined ? g : add(previous, g)); // fan-out: cotangents add up
      }
    }
  }
}

/** Emits the cotangents of `wrt` for `output` seeded with `seed` (see emitVjpSeeded). */
export function emitVjp(trace: Trace, output: Value, wrt: readonly Value[], seed: Tensor, from = 0): (Tensor | null)[] {
  return emitVjpSeeded(trace, new Map([[output, seed]]), wrt, { from });
}

/**
 * Enzyme's "activity of temporary storage": active values written into a Const array that reach the
 * result would silently lose their derivative, so they are an error.
 */
function checkConstWrite(v: Value, useful: ValueSet, wrt: ReadonlySet<Value>): void {
  const b = v.buffer;
  if (v.version === 0 || !b.input || !useful.has(v) || wrt.has(b.versions[0]!)) return;
  const what = b.input.kind === "captured" ? `a captured array (${b.name}), which is Const` : `argument ${b.input.argIndex + 1}${b.input.path ? ` at ${b.input.path}` : ""} (${b.name}), which is Const`;
  throw new ActivityError(
    `${v.producer!.op}: writes values that depend on the differentiated arguments into ${what} (${printValueName(v)}), ` +
      `and they reach the differentiated result, so their derivative would be lost: mark it Duplicated ` +
      `(at ${printNode(v.producer!)})`,
  );
}
