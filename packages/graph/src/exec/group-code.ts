/**
 * The structure a fused group's generated code depends on, as a string: two groups with the same key
 * compile to the same JS loop and the same Wasm module (only the element count and the rows of the
 * [rows, cols] view differ, and both are arguments). Plans cache generated code under it, so the
 * layers of a deep model, all alike, generate their loops once.
 */
import type { Value } from "../ir/graph";
import type { Access } from "../kernels/elementwise";
import { broadcastAccess, constantRoot, isBroadcast, type FusedGroup } from "./fusion";

/**
 * Members (op, attributes, operands, dtype), the stored outputs, and each input's access, dtype and
 * which earlier input holds the same value. Operands are named as the loop names them: a member's
 * output by its position, an input by the position of its flat or constant entry, and a broadcast's
 * operand by the entry it reads with its access.
 */
export function groupCodeKey(group: FusedGroup): string {
  const names = new Map<Value, string>();
  const entries = new Map<Value, { first: number; byAccess: Map<Access, number> }>();
  const inputs: string[] = [];
  group.inputs.forEach((inp, k) => {
    let entry = entries.get(inp.value);
    if (!entry) {
      entry = { first: k, byAccess: new Map() };
      entries.set(inp.value, entry);
    }
    if (!entry.byAccess.has(inp.access)) entry.byAccess.set(inp.access, k);
    if (inp.access === "flat" || constantRoot(inp.value) === inp.value) names.set(inp.value, `i${k}`);
    inputs.push(`${inp.access}:${inp.value.dtype}=${entry.first}`);
  });
  const members: string[] = [];
  group.members.forEach((m, k) => {
    if (isBroadcast(m)) {
      const x = m.inputs[0]!;
      members.push(`${m.op}(i${entries.get(x)?.byAccess.get(broadcastAccess(x.shape, m.output.shape)!)}):${m.output.dtype}`);
    } else {
      const operands = m.inputs.map((x) => names.get(x) ?? names.get(constantRoot(x)!));
      members.push(`${m.op}${attrKey(m.attrs)}(${operands.join(",")}):${m.output.dtype}`);
    }
    names.set(m.output, `m${k}`);
  });
  return `${members.join(";")}|${group.outputs.map((v) => names.get(v)).join(",")}|${inputs.join(",")}`;
}

/** Attributes in a key; NaN and -0 spelled out, since a fill's value is baked into its code. */
function attrKey(attrs: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(attrs);
  if (keys.length === 0) return "";
  return `[${keys.map((k) => `${k}=${typeof attrs[k] === "number" && Object.is(attrs[k], -0) ? "-0" : String(attrs[k])}`).join(",")}]`;
}
