// Relaxed SIMD (f32x4.relaxed_madd) GEMM: the module selection rule, the engine probe, and the relaxed
// binary's results. The relaxed path runs where the engine validates it: in this process when it does
// (Node 22+), and in a child process started with --experimental-wasm-relaxed-simd where that flag exists.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chooseKernelsFlavor, relaxedSimdSupported, wasmKernelsFlavor } from "../src/kernels/wasm/select-module";
import { wasmAvailable } from "../src/kernels/wasm/runtime";

const relaxedBinary = join(__dirname, "..", "wasm", "build", "kernels-relaxed.wasm");

/** Whether this engine compiles the relaxed kernels binary (an independent check of the probe). */
function engineCompilesRelaxed(): boolean {
  try {
    const wa = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
    new wa.Module(readFileSync(relaxedBinary));
    return true;
  } catch {
    return false;
  }
}

describe("relaxed SIMD GEMM selection", () => {
  test("the rule: relaxed only when preferred and supported", () => {
    expect(chooseKernelsFlavor(true, true)).toBe("relaxed");
    expect(chooseKernelsFlavor(true, false)).toBe("plain");
    expect(chooseKernelsFlavor(false, true)).toBe("plain");
    expect(chooseKernelsFlavor(false, false)).toBe("plain");
  });

  test("the probe follows the engine's validate, and a throwing validate means unsupported", () => {
    expect(relaxedSimdSupported({ validate: () => true })).toBe(true);
    expect(relaxedSimdSupported({ validate: () => false })).toBe(false);
    expect(relaxedSimdSupported({ validate: () => { throw new Error("no"); } })).toBe(false);
  });

  test("in this engine, the probe agrees with compiling the relaxed binary, and the runtime used it", () => {
    expect(existsSync(relaxedBinary)).toBe(true);
    expect(relaxedSimdSupported()).toBe(engineCompilesRelaxed());
    expect(wasmAvailable()).toBe(true);
    expect(wasmKernelsFlavor()).toBe(engineCompilesRelaxed() ? "relaxed" : "plain");
  });

  test("the relaxed binary's GEMM and epilogue match a float64 reference (where relaxed SIMD can run)", () => {
    const child = (flags: string[]): string =>
      execFileSync(process.execPath, [...flags, join(__dirname, "relaxed-gemm-child.cjs"), relaxedBinary], { encoding: "utf8", stdio: "pipe" });
    let out: string;
    try {
      out = child(["--experimental-wasm-relaxed-simd"]); // Node 20/21 (V8 11.x); a no-op where relaxed SIMD ships
    } catch {
      out = child([]); // an engine that no longer knows the flag
    }
    const verdict = JSON.parse(out) as { ran: boolean; worst?: number; cases?: number };
    if (!verdict.ran) {
      // Neither this engine nor its flag runs relaxed SIMD: the plain path is the only one, and is in use.
      expect(engineCompilesRelaxed()).toBe(false);
      return;
    }
    expect(verdict.cases).toBe(7 * 4 * 2);
    expect(verdict.worst).toBeLessThanOrEqual(1e-5);
  });
});
