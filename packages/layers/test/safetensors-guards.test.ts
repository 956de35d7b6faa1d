/** State files cannot reach prototypes (unsafe names refused on save and load), and an oversized tensor is named. */
import { kMaxLength } from "node:buffer";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { toFlatArray, type NdArray } from "@tsflux/graph";
import { Chain, Dense, SafetensorsError, decodeSafetensors, encodeSafetensors, loadmodel, loadstate, savestate, STATE_METADATA } from "@tsflux/layers";
import { floatLeaves } from "./params";
import { fileBytes } from "./safetensors-file";

const tmp = () => mkdtempSync(join(tmpdir(), "tsflux-guards-"));
const f32 = (values: number[]) => ndarray(Float32Array.from(values), [values.length]) as unknown as NdArray;


/** The SafetensorsError `f` throws. */
function safetensorsError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return (e as Error).message;
  }
  throw new Error("expected a SafetensorsError");
}

/** What every object inherits, to show a load changed nothing there. */
const prototypeSnapshot = () => ({ names: Object.getOwnPropertyNames(Object.prototype).sort(), polluted: ({} as Record<string, unknown>).polluted });

const UNSAFE_NAMES: [string, string][] = [
  ["__proto__", "__proto__"], ["__proto__.polluted", "__proto__"], ["layers.constructor.weight", "constructor"],
  ["constructor.prototype.polluted", "constructor"], ["layers.0.prototype", "prototype"],
];
const unsafeMessage = (name: string, part: string) => `safetensors: the tensor name "${name}" has the part "${part}", which would reach objects' prototypes when loaded; tsflux refuses it`;

describe("names that reach prototypes are refused", () => {
  test.each(UNSAFE_NAMES)("on save: %s", (name, part) => {
    expect(safetensorsError(() => encodeSafetensors([["ok", f32([1])], [name, f32([2])]]))).toBe(unsafeMessage(name, part));
  });

  test.each(UNSAFE_NAMES)("on load of a crafted file: %s (nothing inherited changes)", (name, part) => {
    const before = prototypeSnapshot();
    const bytes = fileBytes({ [name]: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(Float32Array.of(1).buffer));
    expect(safetensorsError(() => decodeSafetensors(bytes))).toBe(unsafeMessage(name, part));
    const file = join(tmp(), "crafted.safetensors");
    writeFileSync(file, bytes);
    expect(safetensorsError(() => loadstate(file))).toBe(unsafeMessage(name, part));
    expect(prototypeSnapshot()).toEqual(before);
  });

  test.each(["__proto__", "constructor", "prototype"])("a state tree in the metadata with the key %s is refused; the model and the file are unchanged", (key) => {
    const before = prototypeSnapshot();
    const skeleton = JSON.stringify({ weight: { $tensor: "w" }, [key]: { polluted: { $tensor: "w" } } });
    const bytes = fileBytes({ __metadata__: { [STATE_METADATA]: skeleton }, w: { dtype: "F32", shape: [1, 1], data_offsets: [0, 4] } }, new Uint8Array(Float32Array.of(5).buffer));
    const file = join(tmp(), "crafted.safetensors");
    writeFileSync(file, bytes);
    const model = Dense(1, 1);
    const weights = floatLeaves(model).map((a) => toFlatArray(a));
    expect(safetensorsError(() => loadmodel(model, loadstate(file)))).toBe(
      `safetensors: the state in the metadata has the key "${key}", which would reach objects' prototypes; tsflux refuses it`,
    );
    expect(floatLeaves(model).map((a) => toFlatArray(a))).toEqual(weights);
    expect(readFileSync(file)).toEqual(Buffer.from(bytes));
    expect(prototypeSnapshot()).toEqual(before);
  });

  test("savestate of a model with such a field writes nothing and leaves an existing file as it was", () => {
    const file = join(tmp(), "model.safetensors");
    writeFileSync(file, "the old file");
    const model = { layers: Chain(Dense(2, 2)), ["constructor"]: f32([1, 2]) };
    expect(safetensorsError(() => savestate(file, model))).toBe(unsafeMessage("constructor", "constructor"));
    expect(readFileSync(file, "utf8")).toBe("the old file");
  });
});

describe("an oversized tensor is named", () => {
  test("on save, before anything is allocated: a broadcast view too large for one buffer", () => {
    const huge = ndarray(new Float32Array(1), [2 ** 26, 2 ** 26, 2 ** 26], [0, 0, 0], 0) as unknown as NdArray; // 2^78 elements
    const message = safetensorsError(() => encodeSafetensors([["small", f32([1, 2, 3])], ["huge", huge]]));
    expect(message).toBe(
      `safetensors: tensor "huge" (F32 [67108864, 67108864, 67108864]) is too large to save: the data would take ${12 + 2 ** 80} bytes, more than the ${kMaxLength} one buffer can hold`,
    );
  });

  test("on load: a tensor whose data runs past the end of the file", () => {
    const bytes = fileBytes({
      small: { dtype: "F32", shape: [1], data_offsets: [0, 4] },
      big: { dtype: "F32", shape: [2 ** 20, 2 ** 20], data_offsets: [4, 4 + 2 ** 42] },
    }, new Uint8Array(8));
    expect(safetensorsError(() => decodeSafetensors(bytes))).toBe(`safetensors: tensor "big" (F32 [1048576, 1048576]) ends at byte ${4 + 2 ** 42} of the data, but the file holds 8 bytes of data`);
  });
});
