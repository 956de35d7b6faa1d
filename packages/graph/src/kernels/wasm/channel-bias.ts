/**
 * A per-channel bias and activation applied in place to Float32 planes in the WebAssembly heap:
 * y[c*P + p] = act(y[c*P + p] + b[c]) for c < C, p < P, four at a time with SIMD and a scalar tail.
 * relu is `x < 0 ? 0 : x` exactly (a lane below zero is cleared, so -0 and NaN pass through), the add
 * one float32 rounding: the same values as a broadcast add followed by relu.
 */
import { moduleBytes, op, u32, I32, F32, V128, type Bytes } from "./encoder";
import { wasmAvailable, instantiateOnHeap } from "./runtime";

type Run = (...args: number[]) => void;

// parameters: y0, b0 (byte pointers), channels, plane (elements); locals
const [Y0, B0, CH, PLANE] = [0, 1, 2, 3];
const [C, P, AT] = [4, 5, 6];
const [BS, V] = [7, 8];
const [BV, VV] = [9, 10];

const get = op.get, set = op.set, k = op.i32;
const i32GeS: Bytes = [0x4e];
const i32GtS: Bytes = [0x4a];
const v128AndNot: Bytes = [0xfd, ...u32(0x4f)];
const add = (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...op.i32Add];
const until = (done: Bytes, body: Bytes): Bytes => [...op.block, ...op.loop, ...done, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end];

function program(relu: boolean): Bytes {
  const vecAct = relu ? [...get(VV), ...get(VV), ...op.f32(0), ...op.f32x4Splat, ...op.f32x4Lt, ...v128AndNot] : get(VV);
  const scalarAct = relu ? [...op.f32(0), ...get(V), ...get(V), ...op.f32(0), ...op.f32Lt, ...op.select] : get(V);
  const vector = [
    ...get(AT), ...get(AT), ...op.v128Load, ...get(BV), ...op.f32x4Add, ...set(VV), ...vecAct, ...op.v128Store,
    ...add(get(AT), k(16)), ...set(AT), ...add(get(P), k(4)), ...set(P),
  ];
  const scalar = [
    ...get(AT), ...op.f32Load, ...get(BS), ...op.f32Add, ...set(V), ...get(AT), ...scalarAct, ...op.f32Store,
    ...add(get(AT), k(4)), ...set(AT), ...add(get(P), k(1)), ...set(P),
  ];
  const channel = [
    ...get(B0), ...op.f32Load, ...set(BS), ...get(BS), ...op.f32x4Splat, ...set(BV), ...k(0), ...set(P),
    ...until([...add(get(P), k(4)), ...get(PLANE), ...i32GtS], vector),
    ...until([...get(P), ...get(PLANE), ...i32GeS], scalar),
    ...add(get(B0), k(4)), ...set(B0), ...add(get(C), k(1)), ...set(C),
  ];
  return [...get(Y0), ...set(AT), ...k(0), ...set(C), ...until([...get(C), ...get(CH), ...i32GeS], channel)];
}

let modules: { identity: Run; relu: Run } | null | undefined;

function compile(): { identity: Run; relu: Run } | null {
  if (modules !== undefined) return modules;
  if (!wasmAvailable()) return (modules = null);
  const build = (relu: boolean): Run => instantiateOnHeap(moduleBytes(4, [[3, I32], [2, F32], [2, V128]], program(relu), 65536));
  return (modules = { identity: build(false), relu: build(true) });
}

/**
 * Adds bias b[c] to plane c of `channels` consecutive planes of `plane` elements at heap byte offset
 * `y`, then applies relu when asked; `b` is the bias's heap byte offset. Returns false when Wasm is
 * unavailable (the caller runs the JS loop).
 */
export function wasmChannelBias(y: number, b: number, channels: number, plane: number, relu: boolean): boolean {
  const m = compile();
  if (!m) return false;
  (relu ? m.relu : m.identity)(y, b, channels, plane);
  return true;
}
