/**
 * A minimal WebAssembly binary encoder: enough to build, at run time, a module that imports the shared
 * heap and exports one function. Used for fused elementwise loops, whose code depends on the graph.
 */

export type Bytes = number[];

/** Unsigned LEB128. */
export function u32(v: number): Bytes {
  const out: Bytes = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function s32(v: number): Bytes {
  const out: Bytes = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const name = (s: string): Bytes => [...u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const vec = (items: Bytes[]): Bytes => [...u32(items.length), ...items.flat()];
const section = (id: number, body: Bytes): Bytes => [id, ...u32(body.length), ...body];

export const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;

/** Instructions used by the loops (opcodes from the WebAssembly core and SIMD specifications). */
export const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], end: [0x0b],
  br: (depth: number) => [0x0c, ...u32(depth)],
  brIf: (depth: number) => [0x0d, ...u32(depth)],
  get: (i: number) => [0x20, ...u32(i)],
  set: (i: number) => [0x21, ...u32(i)],
  i32: (v: number) => [0x41, ...s32(v)],
  f32: (v: number) => {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return [0x43, ...b];
  },
  select: [0x1b],
  i32Add: [0x6a], i32Mul: [0x6c], i32And: [0x71], i32Shl: [0x74], i32GeU: [0x4f],
  f32Load: [0x2a, 2, 0], f32Store: [0x38, 2, 0],
  f32Eq: [0x5b], f32Ne: [0x5c], f32Lt: [0x5d], f32Gt: [0x5e], f32Le: [0x5f], f32Ge: [0x60],
  f32Abs: [0x8b], f32Neg: [0x8c], f32Sqrt: [0x91], f32Add: [0x92], f32Sub: [0x93], f32Mul: [0x94], f32Div: [0x95],
  f32Min: [0x96], f32Max: [0x97],
  v128Load: [0xfd, ...u32(0x00), 0, 0], v128Store: [0xfd, ...u32(0x0b), 0, 0],
  f32x4Splat: [0xfd, ...u32(0x13)], bitselect: [0xfd, ...u32(0x52)],
  f32x4Eq: [0xfd, ...u32(0x41)], f32x4Ne: [0xfd, ...u32(0x42)], f32x4Lt: [0xfd, ...u32(0x43)],
  f32x4Gt: [0xfd, ...u32(0x44)], f32x4Le: [0xfd, ...u32(0x45)], f32x4Ge: [0xfd, ...u32(0x46)],
  f32x4Abs: [0xfd, ...u32(0xe0)], f32x4Neg: [0xfd, ...u32(0xe1)], f32x4Sqrt: [0xfd, ...u32(0xe3)],
  f32x4Add: [0xfd, ...u32(0xe4)], f32x4Sub: [0xfd, ...u32(0xe5)], f32x4Mul: [0xfd, ...u32(0xe6)],
  f32x4Div: [0xfd, ...u32(0xe7)], f32x4Min: [0xfd, ...u32(0xe8)], f32x4Max: [0xfd, ...u32(0xe9)],
};

/**
 * A module importing `env.memory` (shared, at most `maxPages`) and exporting `run`, whose parameters
 * are `params` i32s, with the given extra locals (grouped by type) and body instructions.
 */
export function moduleBytes(params: number, locals: readonly [count: number, type: number][], body: Bytes, maxPages: number): Uint8Array {
  const type = section(1, vec([[0x60, ...vec(Array.from({ length: params }, () => [I32])), 0]]));
  const imports = section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x03, ...u32(1), ...u32(maxPages)]]));
  const funcs = section(3, vec([u32(0)]));
  const exports = section(7, vec([[...name("run"), 0x00, ...u32(0)]]));
  const code = [...vec(locals.map(([n, t]) => [...u32(n), t])), ...body, ...op.end];
  const codeSection = section(10, vec([[...u32(code.length), ...code]]));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...codeSection]);
}
