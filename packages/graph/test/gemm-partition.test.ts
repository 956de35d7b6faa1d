// The 2-D split of a GEMM's C between threads (kernels/wasm/partition.ts), simulated for 1, 2, 3, 4 and 8
// workers over many shapes: every element of C is covered exactly once, cuts fall on micro-tile
// boundaries, and any two parts differ by at most one tile in height and in width.
import { gemmThreadCount, partitionGemm, splitEven } from "../src/kernels/wasm/partition";

const MR = 8;
const NR = 4;
const SHAPES: Array<[number, number]> = [
  [1, 1], [7, 3], [8, 4], [9, 5], [64, 64], [100, 37], [256, 256], [512, 512], [1024, 1024],
  [1024, 16], [16, 1024], [3, 2000], [2000, 3], [530, 131], [33, 29],
];

describe("GEMM partition between threads", () => {
  for (const workers of [1, 2, 3, 4, 8]) {
    test(`${workers} simulated worker(s): exact cover, tile-aligned cuts, balanced within a tile`, () => {
      for (const [m, n] of SHAPES) {
        const parts = partitionGemm(m, n, workers, MR, NR);
        const owner = new Int32Array(m * n).fill(-1);
        parts.forEach((p, id) => {
          expect(p.m0).toBeLessThan(p.m1);
          expect(p.n0).toBeLessThan(p.n1);
          if (p.m0 % MR !== 0 || p.n0 % NR !== 0) throw new Error(`${m}x${n}/${workers}: part ${id} starts off the tile grid`);
          for (let j = p.n0; j < p.n1; j++) {
            for (let i = p.m0; i < p.m1; i++) {
              if (owner[i + j * m] !== -1) throw new Error(`${m}x${n}/${workers}: (${i}, ${j}) in parts ${owner[i + j * m]} and ${id}`);
              owner[i + j * m] = id;
            }
          }
        });
        const uncovered = owner.indexOf(-1);
        if (uncovered >= 0) throw new Error(`${m}x${n}/${workers}: element ${uncovered} in no part`);
        // As many parts as workers whenever a strip split fits (C is that many tiles tall or wide).
        if (Math.ceil(m / MR) >= workers || Math.ceil(n / NR) >= workers) expect(parts.length).toBe(workers);
        expect(parts.length).toBeLessThanOrEqual(workers);
        // Balance: heights (widths) in tiles differ by at most one across parts (the last may be ragged).
        const hTiles = parts.map((p) => Math.ceil((p.m1 - p.m0) / MR));
        const wTiles = parts.map((p) => Math.ceil((p.n1 - p.n0) / NR));
        expect(Math.max(...hTiles) - Math.min(...hTiles)).toBeLessThanOrEqual(1);
        expect(Math.max(...wTiles) - Math.min(...wTiles)).toBeLessThanOrEqual(1);
      }
    });
  }

  test("a square C on 4 and 8 workers is cut into a 2 x 2 and a 2 x 4 grid; tall and wide C into strips", () => {
    const dims = (parts: ReturnType<typeof partitionGemm>) => [new Set(parts.map((p) => p.m0)).size, new Set(parts.map((p) => p.n0)).size];
    expect(dims(partitionGemm(1024, 1024, 4, MR, NR))).toEqual([2, 2]);
    expect(dims(partitionGemm(1024, 1024, 8, MR, NR))).toEqual([2, 4]);
    expect(dims(partitionGemm(1024, 1024, 2, MR, NR))).toEqual([1, 2]);
    expect(dims(partitionGemm(4096, 16, 4, MR, NR))).toEqual([4, 1]);
    expect(dims(partitionGemm(16, 4096, 4, MR, NR))).toEqual([1, 4]);
  });

  test("fewer parts than workers when C has fewer tiles; none for an empty C", () => {
    expect(partitionGemm(8, 4, 8, MR, NR)).toEqual([{ m0: 0, m1: 8, n0: 0, n1: 4 }]);
    expect(partitionGemm(16, 4, 3, MR, NR)).toHaveLength(2);
    expect(partitionGemm(0, 5, 4, MR, NR)).toEqual([]);
  });

  test("splitEven deals whole tiles, the ragged tail last", () => {
    expect(splitEven(21, 2, 4)).toEqual([[0, 12], [12, 21]]);
    expect(splitEven(16, 4, 4)).toEqual([[0, 4], [4, 8], [8, 12], [12, 16]]);
  });

  test("thread count follows the machine, capped and configurable", () => {
    expect(gemmThreadCount(2)).toBe(2);
    expect(gemmThreadCount(64)).toBe(16);
    expect(gemmThreadCount(64, undefined, 8)).toBe(8);
    expect(gemmThreadCount(2, 1)).toBe(1);
    expect(gemmThreadCount(2, 4)).toBe(4);
    expect(gemmThreadCount(2, 0)).toBe(1);
    expect(gemmThreadCount(NaN)).toBe(1);
  });
});
