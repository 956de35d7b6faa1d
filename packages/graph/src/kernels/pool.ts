/**
 * Pooling loops (NNlib's pooling_direct), on data padded to three spatial dims. Windows are scanned
 * with the first spatial dim innermost; positions in the padding are skipped.
 */
import type { TypedArray } from "../dtype";
import type { PoolAttrs } from "../ops/conv-geometry";
import { spatialOutput } from "../ops/conv-geometry";
import { perDtype } from "./monomorphic";
import { allocLongLived, heapOffset } from "../memory";
import { wasmPool } from "./wasm/pool";

/** The loop geometry of a pooling: three spatial dims, and the number of (channel, sample) planes. */
export interface PoolGeometry {
  readonly inS: number[];
  readonly outS: number[];
  readonly k: number[];
  readonly stride: number[];
  readonly lo: number[];
  readonly planes: number;
}

const to3 = (xs: readonly number[], fill: number): number[] => [0, 1, 2].map((i) => xs[i] ?? fill);

/** Geometry of a pooling with attributes `a` of data of shape `x`. */
export function poolGeometry(x: readonly number[], a: PoolAttrs): PoolGeometry {
  const nsp = x.length - 2;
  const outS = spatialOutput("pool", x.slice(0, nsp), a.window, { ...a, dilation: a.window.map(() => 1) });
  return {
    inS: to3(x.slice(0, nsp), 1), outS: to3(outS, 1), k: to3(a.window, 1), stride: to3(a.stride, 1),
    lo: to3(a.pad.filter((_, i) => i % 2 === 0), 0), planes: x[nsp]! * x[nsp + 1]!,
  };
}

/**
 * A pooling's loop data: the packed geometry for the JS loop (in, out, window, stride, low pad: 3
 * each, then planes), and the window table for the Wasm loop (per output position of a plane: first
 * in-bounds element, nw, nh, nd), which lives in the heap.
 */
export interface PoolPlan {
  readonly G: Int32Array;
  readonly table: Int32Array;
  readonly count: number;
}

/** The loop data of a geometry (see PoolPlan). */
export function packPool(g: PoolGeometry): PoolPlan {
  const [W, H, D] = g.inS as [number, number, number], [Wo, Ho, Do] = g.outS as [number, number, number];
  const span = (o: number, i: 0 | 1 | 2, n: number): [number, number] => {
    const s = o * g.stride[i]! - g.lo[i]!;
    return [Math.max(s, 0), Math.max(0, Math.min(s + g.k[i]!, n) - Math.max(s, 0))];
  };
  const rows: number[] = [];
  for (let od = 0; od < Do; od++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
    const [d0, nd] = span(od, 2, D), [h0, nh] = span(oh, 1, H), [w0, nw] = span(ow, 0, W);
    rows.push((d0 * H + h0) * W + w0, nw, nh, nd);
  }
  const table = allocLongLived("i32", rows.length) as Int32Array;
  table.set(rows);
  return { G: Int32Array.from([...g.inS, ...g.outS, ...g.k, ...g.stride, ...g.lo, g.planes]), table, count: rows.length / 4 };
}

/** The Wasm loop for Float32 arrays in the heap; false when it cannot run. */
function inWasm(mode: 0 | 1 | 2, plan: PoolPlan, x: TypedArray, xOff: number, o: TypedArray | Int32Array, oOff: number, v: number): boolean {
  if (!(x instanceof Float32Array)) return false;
  const px = heapOffset(x, xOff), po = heapOffset(o, oOff), pt = heapOffset(plan.table, 0);
  if (px < 0 || po < 0 || pt < 0) return false;
  const [W, H, D] = [plan.G[0]!, plan.G[1]!, plan.G[2]!];
  return wasmPool(mode, pt, plan.count, plan.G[15]!, W * H * D, W * H, W, px, po, v);
}

type PoolLoop = (mode: number, G: Int32Array, x: TypedArray, xOff: number, y: TypedArray, yOff: number, at: Int32Array, v: number) => void;

/**
 * Every window of every plane, with its in-bounds range (self-contained: perDtype compiles a copy per
 * element type). mode 0: `at[o]` = flat index of the first element above `v` (-floatmax) scanning with
 * dim 1 innermost and a strict `>`, or -1; mode 1: y[o] = v * Σ window; mode 2: x[window] += v * y[o].
 */
const poolLoop = perDtype<PoolLoop>(function poolLoop(mode, G, x, xOff, y, yOff, at, v) {
  const W = G[0]!, H = G[1]!, D = G[2]!, Wo = G[3]!, Ho = G[4]!, Do = G[5]!, kw = G[6]!, kh = G[7]!, kd = G[8]!;
  const sw = G[9]!, sh = G[10]!, sd = G[11]!, lw = G[12]!, lh = G[13]!, ld = G[14]!, planes = G[15]!;
  const HW = H * W;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const x0 = p * HW * D;
    for (let od = 0; od < Do; od++) {
      const ds = od * sd - ld, d0 = ds > 0 ? ds : 0, d1 = ds + kd < D ? ds + kd : D;
      for (let oh = 0; oh < Ho; oh++) {
        const hs = oh * sh - lh, h0 = hs > 0 ? hs : 0, h1 = hs + kh < H ? hs + kh : H;
        for (let ow = 0; ow < Wo; ow++, o++) {
          const ws = ow * sw - lw, w0 = ws > 0 ? ws : 0, w1 = ws + kw < W ? ws + kw : W;
          if (mode === 0) {
            let m = v, best = -1;
            for (let d = d0; d < d1; d++) for (let h = h0; h < h1; h++) {
              const row = x0 + d * HW + h * W;
              for (let w = w0; w < w1; w++) {
                const e = x[xOff + row + w]!;
                if (e > m) {
                  m = e;
                  best = row + w;
                }
              }
            }
            at[o] = best;
          } else if (mode === 1) {
            let s = 0;
            for (let d = d0; d < d1; d++) for (let h = h0; h < h1; h++) {
              const row = xOff + x0 + d * HW + h * W;
              for (let w = w0; w < w1; w++) s += x[row + w]!;
            }
            y[yOff + o] = s * v;
          } else {
            const e = y[yOff + o]! * v;
            for (let d = d0; d < d1; d++) for (let h = h0; h < h1; h++) {
              const row = xOff + x0 + d * HW + h * W;
              for (let w = w0; w < w1; w++) x[row + w]! += e;
            }
          }
        }
      }
    }
  }
});

const kindOf = (a: TypedArray) => (a instanceof Float32Array ? "f32" : "f64");
const NO_INDEX = new Int32Array(0);

/**
 * For every output, the flat input index of its window's first maximum (strict `>` scan from
 * -floatmax, as NNlib), or -1 when no element exceeds -floatmax (empty, all -Inf or NaN).
 */
export function argmaxWindows(plan: PoolPlan, x: TypedArray, xOff: number, floor: number, out: Int32Array): void {
  if (!inWasm(0, plan, x, xOff, out, 0, floor)) poolLoop(kindOf(x))(0, plan.G, x, xOff, x, 0, out, floor);
}

/** Σ of each window's in-bounds elements times `scale` (meanpool with scale = 1 / prod(window)). */
export function windowSums(plan: PoolPlan, x: TypedArray, xOff: number, y: TypedArray, yOff: number, scale: number): void {
  if (!inWasm(1, plan, x, xOff, y, yOff, scale)) poolLoop(kindOf(x))(1, plan.G, x, xOff, y, yOff, NO_INDEX, scale);
}

/** Adds `dy[o] * scale` to every in-bounds element of window o (the adjoint of windowSums). */
export function windowSpread(plan: PoolPlan, dy: TypedArray, dyOff: number, dx: TypedArray, dxOff: number, scale: number): void {
  if (!inWasm(2, plan, dx, dxOff, dy, dyOff, scale)) poolLoop(kindOf(dx))(2, plan.G, dx, dxOff, dy, dyOff, NO_INDEX, scale);
}
