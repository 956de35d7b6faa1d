/** The safetensors format, byte for byte, and model state files that round-trip exactly. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seed, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import {
  Chain, Dense, Dropout, SafetensorsError, StateMismatchError, decodeSafetensors, encodeSafetensors, loadmodel, loadstate, randn32,
  relu, savestate, softmax, state, MODEL_METADATA,
} from "@tsflux/layers";
import { floatLeaves } from "./params";
import { fileBytes } from "./safetensors-file";

const tmp = () => mkdtempSync(join(tmpdir(), "tsflux-safetensors-"));


const f32Bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

describe("encodeSafetensors", () => {
  test("writes the header length, a space-padded JSON header and row-major little-endian data", () => {
    // A[i, j] = 10 i + j for i = 0..1, j = 0..2; column-major storage is 0, 10, 1, 11, 2, 12
    const a = wrapColMajor(new Float32Array([0, 10, 1, 11, 2, 12]), [2, 3]);
    const b = wrapColMajor(new Int32Array([7, -8]), [2]);
    const bytes = encodeSafetensors([["a", a], ["b", b]], { note: "hi" });
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(JSON.parse(headerText)).toEqual({
      __metadata__: { note: "hi" },
      a: { dtype: "F32", shape: [2, 3], data_offsets: [0, 24] },
      b: { dtype: "I32", shape: [2], data_offsets: [24, 32] },
    });
    expect(headerText.trimEnd()).toBe(JSON.stringify(JSON.parse(headerText)));
    const data = bytes.subarray(8 + n);
    expect(data.length).toBe(32);
    expect(Array.from({ length: 6 }, (_, k) => view.getFloat32(8 + n + 4 * k, true))).toEqual([0, 1, 2, 10, 11, 12]);
    expect([view.getInt32(8 + n + 24, true), view.getInt32(8 + n + 28, true)]).toEqual([7, -8]);
  });

  test("refuses a reserved or repeated name", () => {
    const a = randn32(2);
    expect(() => encodeSafetensors([["__metadata__", a]])).toThrow('safetensors: the tensor name "__metadata__" is reserved');
    expect(() => encodeSafetensors([["a", a], ["a", a]])).toThrow('safetensors: the tensor name "a" is used twice');
  });
});

describe("decodeSafetensors", () => {
  test("reads a file written by another tool: row-major data into tsflux arrays", () => {
    const bytes = fileBytes({ w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 16] }, s: { dtype: "F64", shape: [], data_offsets: [16, 24] } },
      new Uint8Array([...f32Bytes([1, 2, 3, 4]), ...new Uint8Array(Float64Array.of(0.5).buffer)]));
    const { tensors, metadata } = decodeSafetensors(bytes);
    const w = tensors.get("w")!;
    expect(w.shape).toEqual([2, 2]);
    expect([w.get(0, 0), w.get(0, 1), w.get(1, 0), w.get(1, 1)]).toEqual([1, 2, 3, 4]);
    expect(toFlatArray(tensors.get("s")!)).toEqual([0.5]);
    expect(metadata).toEqual({});
  });

  test("round-trips every element type, bit for bit, including empty and 3-d arrays", () => {
    const arrays: [string, NdArray][] = [
      ["f32", wrapColMajor(Float32Array.of(0.1, -0, NaN, Infinity, 1e-45, 3.4e38), [3, 2])],
      ["f64", wrapColMajor(Float64Array.of(Math.PI, -1e-300, 5e-324, 2, 3, 4, 5, 6), [2, 2, 2])],
      ["i32", wrapColMajor(Int32Array.of(-2147483648, 2147483647), [2])],
      ["bool", wrapColMajor(Uint8Array.of(1, 0, 1), [1, 3])],
      ["empty", wrapColMajor(new Float32Array(0), [0, 4])],
    ];
    const { tensors } = decodeSafetensors(encodeSafetensors(arrays));
    for (const [name, a] of arrays) {
      const b = tensors.get(name)!;
      expect(b.shape).toEqual(a.shape);
      expect(b.data.constructor).toBe(a.data.constructor);
      expect(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength)).toEqual(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    }
  });

  test.each([
    ["too short", new Uint8Array(4), "safetensors: 4 bytes is too short for a header"],
    ["a header longer than the file", fileBytes({}, new Uint8Array(0)).map((v, i) => (i === 0 ? 200 : v)), "safetensors: the header claims 200 bytes, but only 2 follow"],
    ["a header that is not JSON", (() => { const b = fileBytes({}, new Uint8Array(0)); b[8] = 0x5b; return b; })(), "safetensors: the header is not valid JSON"],
    ["an unknown dtype", fileBytes({ h: { dtype: "F16", shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2)), 'safetensors: tensor "h" has dtype F16; tsflux reads F32, F64, I32, BOOL'],
    ["offsets that do not fit the shape", fileBytes({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), 'safetensors: tensor "w" (F32 [3]) needs 12 bytes, its data_offsets span 8'],
    ["a hole in the data", fileBytes({ w: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), 'safetensors: tensor "w" starts at byte 4 of the data, expected 0 (a hole or an overlap)'],
    ["data no tensor covers", fileBytes({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)), "safetensors: the tensors cover 4 bytes of data, but the file holds 8"],
    ["metadata that is not strings", fileBytes({ __metadata__: { n: 1 } }, new Uint8Array(0)), "safetensors: __metadata__ must map names to strings"],
  ])("%s is a SafetensorsError", (_what, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });
});

describe("savestate and loadstate", () => {
  const model = () => Chain(Dense(4, 8, relu), Dropout(0.1), Dense(8, 3, relu, { bias: false }), softmax);

  test("a saved model loads into a fresh one exactly: same bits, same outputs", () => {
    seed(3);
    const trained = model();
    const file = join(tmp(), "nested", "model.safetensors");
    savestate(file, trained);
    seed(4);
    const fresh = model();
    loadmodel(fresh, loadstate(file));
    floatLeaves(fresh).forEach((a, i) => expect(a.data).toEqual(floatLeaves(trained)[i]!.data));
    const x = randn32(4, 5);
    expect(toFlatArray(fresh.forward(x).toNdarray())).toEqual(toFlatArray(trained.forward(x).toNdarray()));
  });

  test("loadstate gives back the tree state(model) gave, and the file names tensors by path and prints the model", () => {
    const m = model();
    const file = join(tmp(), "model.safetensors");
    savestate(file, m);
    expect(loadstate(file)).toEqual(state(m));
    const { tensors, metadata } = decodeSafetensors(readFileSync(file));
    expect([...tensors.keys()]).toEqual(["layers.0.weight", "layers.0.bias", "layers.2.weight"]);
    expect(metadata[MODEL_METADATA]).toBe(String(m));
    expect(metadata.format).toBe("tsflux");
  });

  test("a file without tsflux's metadata loads by tensor names", () => {
    const m = Chain(Dense(2, 3, relu), Dense(3, 1));
    const file = join(tmp(), "plain.safetensors");
    writeFileSync(file, encodeSafetensors([
      ["layers.0.weight", m.layers[0].weight], ["layers.0.bias", m.layers[0].bias as NdArray],
      ["layers.1.weight", m.layers[1].weight], ["layers.1.bias", m.layers[1].bias as NdArray],
    ]));
    const fresh = loadmodel(Chain(Dense(2, 3, relu), Dense(3, 1)), loadstate(file));
    expect(toFlatArray(fresh.layers[1].weight)).toEqual(toFlatArray(m.layers[1].weight));
  });

  test("loading a file saved from another architecture is a StateMismatchError", () => {
    const file = join(tmp(), "other.safetensors");
    savestate(file, Chain(Dense(4, 6, relu), Dropout(0.1), Dense(6, 3, relu, { bias: false }), softmax));
    expect(() => loadmodel(model(), loadstate(file))).toThrow(StateMismatchError);
    expect(() => loadmodel(model(), loadstate(file))).toThrow("loadmodel: model.layers[0].weight: tried to load an array of size [6, 4] into one of size [8, 4]");
  });

  test("a corrupt file is a SafetensorsError naming the problem", () => {
    const file = join(tmp(), "corrupt.safetensors");
    savestate(file, model());
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    expect(() => loadstate(file)).toThrow(/^safetensors: tensor "layers\.2\.weight" \(F32 \[3, 8\]\) ends at byte \d+ of the data, but the file holds \d+ bytes of data$/);
  });
});
