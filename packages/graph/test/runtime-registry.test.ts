/** One runtime per process: a second, different copy of @tsflux/graph is reported once; the same one never. */
import { Tensor, VERSION } from "@tsflux/graph";
import { registerRuntime } from "../src/runtime-registry";

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

test("the loaded runtime is registered, and registering it again says nothing", () => {
  const slot = (globalThis as Record<symbol, { version: string; tensorClass: object }[]>)[Symbol.for("tsflux.graph.runtime")]!;
  expect(slot[0]).toEqual({ version: VERSION, tensorClass: Tensor });
  registerRuntime(VERSION, Tensor);
  expect(warn).not.toHaveBeenCalled();
});

test("another copy (another Tensor class) gets one warning naming both versions", () => {
  class OtherTensor {}
  registerRuntime("0.0.9", OtherTensor);
  registerRuntime("0.0.9", OtherTensor);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0]![0]).toBe(
    `tsflux: a second copy of @tsflux/graph (0.0.9) was loaded next to ${VERSION}; tensors, models and arrays of one are not those of the other. Install one copy (npm dedupe) and let bundlers resolve it once.`,
  );
});
