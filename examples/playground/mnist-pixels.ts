// A drawing turned into an MNIST-style digit, as MNIST's own preprocessing did: the ink's bounding box is
// scaled (keeping its aspect ratio) to fit a 20x20 box, by averaging the pixels each output pixel covers;
// the result is put in a 28x28 field and shifted so that its centre of mass is at the centre.

/** `ink` (values in [0, 1], `width` x `height`, row by row) as 784 pixels in [0, 1], or null when nothing is drawn. */
export function toMnistPixels(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  let top = height, bottom = -1, left = width, right = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (ink[r * width + c]! <= 0.05) continue;
      top = Math.min(top, r);
      bottom = Math.max(bottom, r);
      left = Math.min(left, c);
      right = Math.max(right, c);
    }
  }
  if (bottom < 0) return null;
  // a square around the box, centred on it, mapped onto 20x20
  const side = Math.max(bottom - top, right - left) + 1;
  const r0 = (top + bottom + 1 - side) / 2, c0 = (left + right + 1 - side) / 2;
  const sum = new Float64Array(400), count = new Float64Array(400);
  for (let r = Math.max(0, Math.floor(r0)); r < Math.min(height, r0 + side); r++) {
    for (let c = Math.max(0, Math.floor(c0)); c < Math.min(width, c0 + side); c++) {
      const u = Math.min(19, Math.floor(((r - r0) * 20) / side)), v = Math.min(19, Math.floor(((c - c0) * 20) / side));
      if (u < 0 || v < 0) continue;
      sum[u * 20 + v]! += ink[r * width + c]!;
      count[u * 20 + v]!++;
    }
  }
  const box = Array.from(sum, (s, i) => (count[i]! > 0 ? s / count[i]! : 0));
  // centre of mass of the 20x20 box, placed at the centre of the 28x28 field
  let mass = 0, rowMass = 0, colMass = 0;
  box.forEach((v, i) => {
    mass += v;
    rowMass += v * Math.floor(i / 20);
    colMass += v * (i % 20);
  });
  const shiftRow = Math.round(13.5 - rowMass / mass), shiftCol = Math.round(13.5 - colMass / mass);
  const out = new Float32Array(784);
  box.forEach((v, i) => {
    const r = Math.floor(i / 20) + shiftRow, c = (i % 20) + shiftCol;
    if (r >= 0 && r < 28 && c >= 0 && c < 28) out[r * 28 + c] = Math.min(1, v);
  });
  return out;
}
