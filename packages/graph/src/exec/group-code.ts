/**
 * The structure a fused group's generated code depends on, as a string: two groups with the same key
 * compile to the same JS loop and the same Wasm module (only the element count and the rows of the
 * [rows, cols] view differ, and both are arguments). Plans cache generated code under it, so the
 * layers of a deep model, all alike, generate their loops once.
 */
import type { Value } from "../ir/graph";
import { broadcastAccess, constantRoot, inputEntry, isBroadcast, type FusedGroup } from "./fusion";

/**
 * Members (op, attributes, operands, dtype), the stored outputs, and each input's access, dtype and
 * which earlier input holds the same value. Operands are named as the loop names them: a member's
 * output by its position, an input by the position of its flat or constant entry, and a broadcast's
 * operand by the entry it reads with its access.
 */
export function groupCodeKey(group: FusedGroup): string {
  const { inputs, members } = group;
  let key = "";
  for (let k = 0; k < members.length; k++) {
    const m = members[k]!;
    if (k > 0) key += ";";
    if (isBroadcast(m)) {
      const x = m.inputs[0]!;
      key += `${m.op}(i${inputEntry(inputs, x, broadcastAccess(x.shape, m.output.shape)!)}):${m.output.dtype}`;
      continue;
    }
    key += `${m.op}${attrKey(m.attrs)}(`;
    for (let j = 0; j < m.inputs.length; j++) key += (j > 0 ? "," : "") + operandName(group, k, m.inputs[j]!);
    key += `):${m.output.dtype}`;
  }
  key += "|";
  for (let j = 0; j < group.outputs.length; j++) key += (j > 0 ? "," : "") + `m${memberIndex(members, members.length, group.outputs[j]!)}`;
  key += "|";
  for (let k = 0; k < inputs.length; k++) {
    const inp = inputs[k]!;
    key += `${k > 0 ? "," : ""}${inp.access}:${inp.value.dtype}=${inputEntry(inputs, inp.value)}`;
  }
  return key;
}

/** The position, among the first `before` members, of the member computing `v` (-1 if none). */
function memberIndex(members: FusedGroup["members"], before: number, v: Value): number {
  for (let j = before - 1; j >= 0; j--) if (members[j]!.output === v) return j;
  return -1;
}

/** How member `k`'s loop names operand `x`: an earlier member's output, or its flat or constant input entry. */
function operandName(group: FusedGroup, k: number, x: Value): string {
  const j = memberIndex(group.members, k, x);
  if (j >= 0) return `m${j}`;
  const named = (v: Value) => {
    for (let e = group.inputs.length - 1; e >= 0; e--) {
      const inp = group.inputs[e]!;
      if (inp.value === v && (inp.access === "flat" || constantRoot(v) === v)) return `i${e}`;
    }
    return undefined;
  };
  return named(x) ?? String(named(constantRoot(x)!));
}

/** Attributes in a key; NaN and -0 spelled out, since a fill's value is baked into its code. */
function attrKey(attrs: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(attrs);
  if (keys.length === 0) return "";
  return `[${keys.map((k) => `${k}=${typeof attrs[k] === "number" && Object.is(attrs[k], -0) ? "-0" : String(attrs[k])}`).join(",")}]`;
}
