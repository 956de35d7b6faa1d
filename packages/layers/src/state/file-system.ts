/** File access for savestate/loadstate under Node; the browser build uses file-system.browser.ts. */
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../files/write-atomic";

/** Writes `bytes` to `file` atomically (a temporary file renamed over it), creating its folder. */
export function writeBytes(file: string, bytes: Uint8Array): void {
  writeFileAtomic(file, bytes);
}

/** The bytes of `file`. */
export function readBytes(file: string): Uint8Array {
  return readFileSync(file);
}
