// The page's side of digits.bin (see digits-file.mjs for the format): pixels as floats in [0, 1], labels 0-9.
const PIXELS = 28 * 28;

/** Fetches and unpacks the digits: `{ train, test }`, each `{ pixels: Float32Array (784 per digit), labels: Uint8Array, count }`. */
export async function loadDigits(url = "digits.bin") {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`playground: could not load ${url} (${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const view = new DataView(bytes.buffer);
  const train = view.getUint32(0, true), test = view.getUint32(4, true), count = train + test;
  const part = (first, n) => {
    const pixels = new Float32Array(n * PIXELS), at = 8 + count + first * PIXELS;
    for (let p = 0; p < pixels.length; p++) pixels[p] = bytes[at + p] / 255;
    return { pixels, labels: bytes.slice(8 + first, 8 + first + n), count: n };
  };
  return { train: part(0, train), test: part(train, test) };
}
