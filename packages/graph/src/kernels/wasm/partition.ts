/**
 * How a GEMM's C (m x n, column-major) is split between threads, and how many threads there are.
 *
 * C is cut into a pr x pc grid of rectangles (pr * pc = the thread count). Row cuts fall on multiples
 * of the micro-tile height MR and column cuts on multiples of its width NR, and the tiles are dealt as
 * evenly as possible, so any two parts differ by at most one tile row in height and one tile column in
 * width. Among the grids, the one whose largest part has the least work wins (balance), then the one
 * with the smallest largest part perimeter mp + np: each part packs its own mp x k slice of op(A) and
 * k x np slice of op(B), so square-ish parts duplicate the least packing. Ties go to more column parts
 * (a column block of column-major C is contiguous memory). When C has fewer tiles than threads, fewer
 * parts are returned.
 */

/** One thread's share: C[m0:m1, n0:n1]. */
export interface GemmPart {
  m0: number;
  m1: number;
  n0: number;
  n1: number;
}

/** Cuts [0, len) into `parts` ranges on multiples of `unit`, tile counts differing by at most one. */
export function splitEven(len: number, parts: number, unit: number): Array<[number, number]> {
  const tiles = Math.ceil(len / unit);
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const count = Math.floor(tiles / parts) + (p < tiles % parts ? 1 : 0);
    const end = Math.min(len, start + count * unit);
    out.push([start, end]);
    start = end;
  }
  return out;
}

/**
 * The 2-D partition of an m x n C into at most `threads` parts for a micro-tile of mr x nr (see the
 * file comment). Returns [] when C is empty.
 */
export function partitionGemm(m: number, n: number, threads: number, mr: number, nr: number): GemmPart[] {
  if (m <= 0 || n <= 0) return [];
  const rowTiles = Math.ceil(m / mr);
  const colTiles = Math.ceil(n / nr);
  let want = Math.max(1, Math.min(Math.floor(threads), rowTiles * colTiles));
  for (; want > 1; want--) {
    let best: { pr: number; pc: number; work: number; perimeter: number } | null = null;
    for (let pr = 1; pr <= want; pr++) {
      if (want % pr !== 0) continue;
      const pc = want / pr;
      if (pr > rowTiles || pc > colTiles) continue;
      const mp = Math.ceil(rowTiles / pr) * mr;
      const np = Math.ceil(colTiles / pc) * nr;
      const cand = { pr, pc, work: mp * np, perimeter: mp + np };
      const better = best === null || cand.work < best.work ||
        (cand.work === best.work && (cand.perimeter < best.perimeter || (cand.perimeter === best.perimeter && cand.pc > best.pc)));
      if (better) best = cand;
    }
    if (best) return grid(m, n, best.pr, best.pc, mr, nr);
  }
  return [{ m0: 0, m1: m, n0: 0, n1: n }];
}

/** The pr x pc grid's parts, column block by column block. */
function grid(m: number, n: number, pr: number, pc: number, mr: number, nr: number): GemmPart[] {
  const rows = splitEven(m, pr, mr);
  const parts: GemmPart[] = [];
  for (const [n0, n1] of splitEven(n, pc, nr)) for (const [m0, m1] of rows) parts.push({ m0, m1, n0, n1 });
  return parts;
}

/** Default cap on GEMM threads: beyond this, memory bandwidth and packing duplication eat the gain. */
export const MAX_GEMM_THREADS = 16;

/**
 * GEMM threads (the caller plus workers) for a machine with `available` hardware threads
 * (os.availableParallelism()), an optional requested count and a cap: min(requested ?? available, cap), at least 1.
 */
export function gemmThreadCount(available: number, requested?: number, cap = MAX_GEMM_THREADS): number {
  const want = requested ?? available;
  if (!Number.isFinite(want) || want < 1) return 1;
  return Math.max(1, Math.min(Math.floor(want), Math.floor(cap)));
}
