/**
 * The playground's MNIST-style preprocessing of a drawing, on shapes whose 28x28 result is worked out by
 * hand: a bounding box scaled into 20x20 (aspect ratio kept, pixels averaged), centre of mass moved to the
 * centre of the 28x28 field.
 */
import { toMnistPixels } from "../playground/mnist-pixels";

/** A `size` x `size` black image with the rectangle rows [r0, r1), columns [c0, c1) set to `value`. */
function rectangle(size: number, r0: number, r1: number, c0: number, c1: number, value = 1): Float32Array {
  const ink = new Float32Array(size * size);
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) ink[r * size + c] = value;
  return ink;
}

/** The 28x28 picture with ones exactly on rows [r0, r1), columns [c0, c1). */
const expected = (r0: number, r1: number, c0: number, c1: number) => Array.from(rectangle(28, r0, r1, c0, c1));

describe("toMnistPixels", () => {
  it("returns null for an empty drawing", () => {
    expect(toMnistPixels(new Float32Array(280 * 280), 280, 280)).toBeNull();
  });

  it("scales a tall 40x80 bar to 10x20 and centres it", () => {
    // the 80-pixel side maps onto 20 (4 source pixels each): columns 5-14 of the 20x20 box, all rows;
    // its centre of mass (9.5, 9.5) moves by 4 to (13.5, 13.5)
    const pixels = toMnistPixels(rectangle(280, 30, 110, 100, 140), 280, 280);
    expect(Array.from(pixels!)).toEqual(expected(4, 24, 9, 19));
  });

  it("keeps the aspect ratio of a wide 80x8 bar", () => {
    // 8 rows become 2 (rows 9-10 of the box), 80 columns become 20; shifted by 4 rows and 4 columns
    const pixels = toMnistPixels(rectangle(280, 200, 208, 10, 90), 280, 280);
    expect(Array.from(pixels!)).toEqual(expected(13, 15, 4, 24));
  });

  it("averages the source pixels each output pixel covers", () => {
    // a 40x40 square whose left half is ink 1 and right half ink 0.5: 2x2 source pixels per output pixel
    const ink = rectangle(100, 10, 50, 10, 30);
    for (let r = 10; r < 50; r++) for (let c = 30; c < 50; c++) ink[r * 100 + c] = 0.5;
    const pixels = toMnistPixels(ink, 100, 100)!;
    // centre of mass: column (1 * 4.5 + 0.5 * 14.5) / 1.5 = 7.83, so columns shift by round(13.5 - 7.83) = 6; rows by 4
    const want = new Array<number>(784).fill(0);
    for (let r = 4; r < 24; r++) for (let c = 0; c < 20; c++) want[r * 28 + c + 6] = c < 10 ? 1 : 0.5;
    expect(Array.from(pixels)).toEqual(want);
  });
});
