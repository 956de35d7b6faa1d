/**
 * Loop fusion: chains of elementwise nodes of one shape become one generated loop, reading their
 * outside inputs once and writing only the values something outside the chain needs. A broadcastTo
 * feeding the chain is read in place (a column vector, a row vector or a scalar) instead of being
 * materialised, and a constant is read once per run from its cell in the plan's constant table (so a
 * new value needs no new code).
 */
import type { Node, Value } from "../ir/graph";
import { opDef } from "../ops/table";
import { numel, sameShape, type Shape } from "../shape";
import { loopFactory, type Access, type Loop, type LoopSpec } from "../kernels/elementwise";

export interface FusedGroup {
  readonly members: Node[];
  /** Values computed outside the group that the loop reads, with how it reads them. */
  readonly inputs: { value: Value; access: Access }[];
  /** Member outputs that must be stored (used after the group, or plan outputs). */
  readonly outputs: Value[];
  readonly shape: Shape;
}

/** The access pattern of a broadcast source inside a loop over `shape` viewed as [rows, cols]. */
export function broadcastAccess(from: Shape, shape: Shape): Access | undefined {
  if (numel(from) === 1) return "scalar";
  // `from` padded with trailing 1s: a column when only its first dim is not 1, a row when its first is 1 and the rest match
  const first = from[0] ?? 1;
  let col = first === shape[0], row = first === 1;
  for (let i = 1; i < Math.max(from.length, shape.length); i++) {
    const d = i < from.length ? from[i]! : 1;
    if (d !== 1) col = false;
    if (d !== shape[i]) row = false;
  }
  return col ? "col" : row ? "row" : undefined;
}

/** Whether a node's output aliases its first input (its op block says `alias`): plans never run it. */
export function isAlias(node: Node): boolean {
  return opDef(node.op).alias === true;
}

/** Whether fused loops read the node's input through a broadcast access instead of running it. */
export function isBroadcast(node: Node): boolean {
  return opDef(node.op).broadcast === true;
}

/** The constant node's output whose value `v` holds when it is that output or a reshape/broadcast/copy of it. */
export function constantRoot(v: Value): Value | undefined {
  const p = v.producer;
  if (!p) return undefined;
  const def = opDef(p.op);
  if (def.constant) return v;
  if (def.keepsConstant) return constantRoot(p.inputs[0]!);
  return undefined;
}

/** The constant a value holds when it is a constant node's output or a reshape/broadcast/copy of one. */
export function constantOf(v: Value): number | undefined {
  const root = constantRoot(v)?.producer;
  return root ? opDef(root.op).constant!(root.attrs) : undefined;
}

function isElementwise(node: Node): boolean {
  if (constantOf(node.output) !== undefined || isAlias(node)) return false; // literals and aliases, never members
  if (isBroadcast(node)) return broadcastAccess(node.inputs[0]!.shape, node.output.shape) !== undefined;
  return opDef(node.op).scalar !== undefined;
}

/**
 * Most members a group may have. A longer chain is split: its loop would be one long function, and a
 * group's stored outputs are Wasm parameters too (engines take at most 1000).
 */
export const MAX_GROUP_MEMBERS = 256;
/** Most outside operands a group may read: each stays live until the group runs, and is a Wasm parameter. */
export const MAX_GROUP_INPUTS = 64;

/** A group being built: its members, the outside operands they read (an upper bound), and whether it is closed. */
class OpenGroup {
  readonly members: Node[] = [];
  inputReads = 0;
  /** Set once a node outside the group has read one of its values: later nodes may not join it. */
  closed = false;
}

/**
 * Groups the elementwise nodes of `nodes` (in order). A node joins the group of one of its inputs when
 * the shapes agree and no value of the group is needed, outside it, before this node runs: that is, no
 * node seen so far outside the group reads a member. Each node is looked at once (linear time). Per-node
 * facts live in arrays indexed by value id (below `idBound`). Returns the group of each grouped node, by its output's id.
 */
export function findGroups(nodes: readonly Node[], outputs: { has(v: Value): boolean }, idBound: number): readonly (FusedGroup | undefined)[] {
  const openOf = new Array<OpenGroup | undefined>(idBound);
  const readOutside = new Uint8Array(idBound);
  const open: OpenGroup[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    let group: OpenGroup | undefined;
    if (isElementwise(node)) {
      for (let k = 0; k < node.inputs.length; k++) {
        const g = openOf[node.inputs[k]!.id];
        if (g && !g.closed && sameShape(g.members[0]!.output.shape, node.output.shape) && fits(g, node, openOf)) {
          group = g;
          break;
        }
      }
      if (!group) {
        group = new OpenGroup();
        open.push(group);
      }
      group.inputReads += outsideReads(node, group, openOf);
      group.members.push(node);
      openOf[node.output.id] = group;
    }
    for (let k = 0; k < node.inputs.length; k++) {
      const x = node.inputs[k]!;
      const producerGroup = openOf[x.id];
      if (producerGroup && producerGroup !== group) {
        producerGroup.closed = true;
        readOutside[x.id] = 1;
      }
    }
  }
  const groupOf = new Array<FusedGroup | undefined>(idBound);
  for (const g of open) {
    const described = describeGroup(g, openOf, (v) => outputs.has(v) || readOutside[v.id] === 1);
    for (const m of g.members) groupOf[m.output.id] = described;
  }
  return groupOf;
}

/** How many operands `node` reads from outside `group` (an upper bound on the loop inputs it adds). */
function outsideReads(node: Node, group: OpenGroup, openOf: readonly (OpenGroup | undefined)[]): number {
  let reads = 0;
  for (let k = 0; k < node.inputs.length; k++) if (openOf[node.inputs[k]!.id] !== group) reads++;
  return reads;
}

function fits(group: OpenGroup, node: Node, openOf: readonly (OpenGroup | undefined)[]): boolean {
  return group.members.length < MAX_GROUP_MEMBERS && group.inputReads + outsideReads(node, group, openOf) <= MAX_GROUP_INPUTS;
}

/** An outside value a group's loop reads, and how. */
class LoopInput {
  constructor(readonly value: Value, readonly access: Access) {}
}

class Group implements FusedGroup {
  constructor(readonly members: Node[], readonly inputs: LoopInput[], readonly outputs: Value[], readonly shape: Shape) {}
}

/** The position of the first of a group's `inputs` reading `value` (with `access`, when given); -1 if none. */
export function inputEntry(inputs: FusedGroup["inputs"], value: Value, access?: Access): number {
  for (let k = 0; k < inputs.length; k++) if (inputs[k]!.value === value && (access === undefined || inputs[k]!.access === access)) return k;
  return -1;
}

/**
 * The loop inputs of a group (each value once per access) and the member outputs `needed` outside it.
 * Indexed loops and no closures: this runs once per group, mostly before the engine optimizes it.
 */
function describeGroup(group: OpenGroup, openOf: readonly (OpenGroup | undefined)[], needed: (v: Value) => boolean): FusedGroup {
  const { members } = group;
  const inputs: LoopInput[] = [];
  for (let j = 0; j < members.length; j++) {
    const m = members[j]!;
    if (isBroadcast(m)) {
      const x = m.inputs[0]!;
      const access = broadcastAccess(x.shape, m.output.shape)!;
      if (inputEntry(inputs, x, access) < 0) inputs.push(new LoopInput(x, access));
      continue;
    }
    for (let k = 0; k < m.inputs.length; k++) {
      const x = m.inputs[k]!;
      const constant = constantRoot(x);
      if (constant !== undefined) {
        if (inputEntry(inputs, constant) < 0) inputs.push(new LoopInput(constant, "scalar")); // its cell in the constant table
        continue;
      }
      if (openOf[x.id] === group || inputEntry(inputs, x, "flat") >= 0) continue;
      inputs.push(new LoopInput(x, "flat"));
    }
  }
  const stored: Value[] = [];
  for (let j = 0; j < members.length; j++) if (needed(members[j]!.output)) stored.push(members[j]!.output);
  return new Group(members, inputs, stored, members[members.length - 1]!.output.shape);
}

const groupLoops = new Map<string, (n: number, rows: number) => Loop>();

/**
 * The loop of a group. With `key` (exec/group-code.ts's groupCodeKey of the group) the generated code is
 * cached under it, so groups of one structure generate it once.
 */
export function compileGroup(group: FusedGroup, key?: string): Loop {
  const n = numel(group.shape), rows = group.shape[0] ?? 1;
  let factory = key === undefined ? undefined : groupLoops.get(key);
  if (!factory) {
    factory = loopFactory(groupLoopSpec(group));
    if (key !== undefined) groupLoops.set(key, factory);
  }
  return factory(n, group.inputs.some((i) => i.access === "col" || i.access === "row") ? rows : n);
}

/** The loop of a group as a spec: each member becomes a local computed from its operands. */
export function groupLoopSpec(group: FusedGroup): LoopSpec {
  const names = new Map<Value, string>();
  const broadcastIndex = new Map<Value, Map<Access, number>>();
  group.inputs.forEach((inp, k) => {
    if (inp.access === "flat" || constantRoot(inp.value) === inp.value) names.set(inp.value, `in${k}`);
    const byAccess = broadcastIndex.get(inp.value) ?? new Map<Access, number>();
    if (!byAccess.has(inp.access)) byAccess.set(inp.access, k);
    broadcastIndex.set(inp.value, byAccess);
  });
  const statements: string[] = [];
  group.members.forEach((m, k) => {
    const local = `v${k}`;
    let expr: string;
    if (isBroadcast(m)) {
      const access = broadcastAccess(m.inputs[0]!.shape, m.output.shape)!;
      expr = `in${broadcastIndex.get(m.inputs[0]!)!.get(access)!}`;
    } else {
      const args = m.inputs.map((x) => names.get(x) ?? names.get(constantRoot(x)!)!);
      expr = opDef(m.op).scalar!(args, m.attrs, m.output.dtype);
    }
    statements.push(`const ${local} = ${m.output.dtype === "f32" ? `Math.fround(${expr})` : expr};`);
    names.set(m.output, local);
  });
  return {
    inputs: group.inputs.map((i) => ({ dtype: i.value.dtype, access: i.access })),
    statements,
    outputs: group.outputs.map((v) => ({ dtype: v.dtype, expr: names.get(v)! })),
    ...(group.inputs.some((i) => i.access === "col" || i.access === "row") ? { rows: group.shape[0] ?? 1 } : {}),
  };
}
