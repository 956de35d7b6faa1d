/** File access for savestate/loadstate under Node; the browser build uses file-system.browser.ts. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Writes `bytes` to `file`, creating its folder. */
export function writeBytes(file: string, bytes: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

/** The bytes of `file`. */
export function readBytes(file: string): Uint8Array {
  return readFileSync(file);
}
