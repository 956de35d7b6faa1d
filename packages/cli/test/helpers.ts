/** Test helpers: an output that collects text, and temporary folders and files. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io, Output } from "@tsflux/cli";

export interface Collected extends Output {
  text: string;
}

/** An Output that keeps what is written (not a terminal, so no progress bars). */
export function collector(): Collected {
  const out = { text: "", write: (s: string) => { out.text += s; return true; } };
  return out;
}

export function collectingIo(): Io & { stdout: Collected; stderr: Collected } {
  return { stdout: collector(), stderr: collector() };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "tsflux-cli-"));
}

/** Writes `text` to `name` in a new temporary folder and returns the path. */
export function tempFile(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** A small JSON experiment: 256 training and 128 test digits, a 784-32-10 MLP, two epochs. */
export const SMALL_EXPERIMENT = {
  name: "tiny",
  seed: 3,
  model: { Chain: [{ Dense: [784, 32, "relu"] }, { Dense: [32, 10] }] },
  data: { mnist: { train: 256, test: 128 } },
  loss: "logitcrossentropy",
  optimiser: { Adam: [0.003] },
  epochs: 2,
  batchsize: 32,
};
