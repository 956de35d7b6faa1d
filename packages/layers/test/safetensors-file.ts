/** Safetensors files as another writer makes them, for the tests that read them. */

/** A file: the 8-byte little-endian header length, the header JSON (unpadded) and the data bytes. */
export function fileBytes(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
