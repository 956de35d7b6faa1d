// What the direct stride-1 conv kernels share (conv-direct-f32.mjs, conv-filter-f32.mjs, conv-data-f32.mjs):
// the word block each call reads (CONV_WORDS, filled by kernels/conv-direct.ts), the sample claiming that
// lets the calling thread and worker lanes run the same call on one batch, and the zero-bordered copy.
import { get, set, i32, inc, locals, whileLoop, ZERO, add, mul, shl2 } from "./wat.mjs";
import { claimedItems, CLAIM_LOCALS as CLAIM, MAX_CLAIM_THREADS } from "./work-claim.mjs";

/** Locals claimedSamples needs (i32). */
export const CLAIM_LOCALS = [...CLAIM, "threads"];

/** Word indices of the parameter block (Int32). */
export const CONV_WORDS = {
  X: 0, XS: 1, W: 2, H: 3, C: 4, LW: 5, LH: 6, WP: 7, HP: 8,
  Y: 9, YS: 10, WO: 11, HO: 12, CO: 13, F: 14, T: 15, KW: 16, KH: 17, BIAS: 18, EPI: 19,
  /** threads sharing the call */
  THREADS: 20,
  /** one claim counter per thread's region (work-claim.mjs), MAX_CLAIM_THREADS of them */
  COUNTERS: 21,
  /** words in all */
  SIZE: 21 + MAX_CLAIM_THREADS,
};

const word = (name) => `(i32.load offset=${4 * CONV_WORDS[name]} ${get("p")})`;
export const PARAMS = `(param $p i32) (param $chunk i32) (param $batch i32) (param $scratch i32) (param $out i32) (param $thread i32)`;

/** `body` for every sample n this call claims (work-claim.mjs; thread count and counters in the word block). */
export function claimedSamples(body) {
  return [
    set("threads", word("THREADS")),
    ...claimedItems({ counters: `(i32.add ${get("p")} ${i32(4 * CONV_WORDS.COUNTERS)})`, item: "n", itemEnd: "nEnd", chunk: "chunk", total: "batch", threads: "threads", thread: "thread" }, body),
  ];
}

export const GEOMETRY = ["x", "xs", "w", "h", "c", "lw", "lh", "wp", "hp", "y", "ys", "wo", "ho", "co", "f", "t", "kw", "kh", "bias", "epi"];
export const loadGeometry = () => GEOMETRY.map((name) => set(name, word(name.toUpperCase())));

/**
 * Copies sample plane `src` ([w, rows, c]) into `scratch` as [wp, rowsP, c] with `lw` zero columns on
 * the left and `top` zero rows on top (zeros everywhere else); leaves `src` pointing at the copy.
 */
export function paddedCopy(rows, rowsP, top) {
  return [
    `(memory.fill ${get("scratch")} ${i32(0)} ${shl2(mul(mul(get("wp"), get(rowsP)), get("c")))})`,
    set("ci", i32(0)),
    whileLoop("copy_c", `(i32.lt_u ${get("ci")} ${get("c")})`, [
      set("r", i32(0)),
      whileLoop("copy_r", `(i32.lt_u ${get("r")} ${get(rows)})`, [
        `(memory.copy ${add(get("scratch"), shl2(add(mul(add(mul(get("ci"), get(rowsP)), get("r"), top), get("wp")), get("lw"))))} ` +
          `${add(get("src"), shl2(mul(add(mul(get("ci"), get(rows)), get("r")), get("w"))))} ${shl2(get("w"))})`,
        inc("r", i32(1)),
      ]),
      inc("ci", i32(1)),
    ]),
    set("src", get("scratch")),
  ];
}


/**
 * The register tile both the forward and the data-gradient kernels run: `vectors` (2 or 1) f32x4 columns
 * of an operand row, or one scalar column (vectors 0), times `cols` filter entries broadcast from `fp`.
 * Returns the accumulator name for (v, j), the statements zeroing them, and one k step's statements
 * given the address `at` of the row's element (the step's pointer increments are the caller's).
 */
export function registerTile(vectors, cols, at) {
  const scalar = vectors === 0, parts = scalar ? 1 : vectors;
  const acc = (v, j) => (scalar ? `q${j}` : `a${v}${j}`);
  const zero = [];
  for (let v = 0; v < parts; v++) for (let j = 0; j < cols; j++) zero.push(set(acc(v, j), scalar ? "(f32.const 0)" : ZERO));
  const step = [];
  for (let v = 0; v < parts; v++) step.push(set(scalar ? "s" : `x${v}`, scalar ? `(f32.load ${at})` : `(v128.load offset=${16 * v} ${at})`));
  for (let j = 0; j < cols; j++) {
    if (scalar) step.push(set(acc(0, j), `(f32.add ${get(acc(0, j))} (f32.mul ${get("s")} (f32.load offset=${4 * j} ${get("fp")})))`));
    else {
      step.push(set("wv", `(v128.load32_splat offset=${4 * j} ${get("fp")})`));
      for (let v = 0; v < parts; v++) step.push(set(acc(v, j), `(f32x4.add ${get(acc(v, j))} (f32x4.mul ${get(`x${v}`)} ${get("wv")}))`));
    }
  }
  return { scalar, parts, acc, zero, step };
}

/** Locals the register tile uses. */
export const TILE_LOCALS = [
  locals(["a00", "a01", "a02", "a03", "a10", "a11", "a12", "a13", "x0", "x1", "wv"], "v128"),
  locals(["s", "q0", "q1", "q2", "q3"], "f32"),
];
