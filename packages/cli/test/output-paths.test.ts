/**
 * `tsflux train` checks its output paths before training: a clear `error:` line, exit 1, nothing on
 * stdout (training never began) and no files; existing outputs are replaced whole (temporary file, then rename).
 */
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors } from "@tsflux/layers";
import { main } from "@tsflux/cli";
import { SMALL_EXPERIMENT, collectingIo, tempDir, tempFile } from "./helpers";

const run = (...args: string[]) => {
  const io = collectingIo();
  return main(["node", "tsflux", ...args], io).then((code) => ({ code, out: io.stdout.text, err: io.stderr.text }));
};
/** Every path under `dir`, relative, sorted. */
const listing = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).sort();

const experiment = tempFile("tiny.json", JSON.stringify({ ...SMALL_EXPERIMENT, data: { mnist: { train: 64, test: 32 } }, epochs: 1 }));

describe("an output folder that cannot be made or written: error before training, exit 1, no files", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "a-file"), "keep");
  mkdirSync(join(dir, "folders", "model.safetensors"), { recursive: true });
  const before = listing(dir);
  const procFolder = `/proc/tsflux-${process.pid}`;

  test.each([
    ["a folder under a regular file", join(dir, "a-file", "out"), `error: cannot write "${join(dir, "a-file", "out", "model.safetensors")}": "${join(dir, "a-file")}" is a file, not a folder\n`],
    ["a regular file", join(dir, "a-file"), `error: cannot write "${join(dir, "a-file", "model.safetensors")}": "${join(dir, "a-file")}" is a file, not a folder\n`],
    ["a folder where model.safetensors goes", join(dir, "folders"), `error: cannot write "${join(dir, "folders", "model.safetensors")}": it is a folder\n`],
    ["a folder under /proc", join(procFolder, "out"), `error: cannot write "${join(procFolder, "out", "model.safetensors")}": cannot create the folder "${procFolder}": the file system there does not allow new folders (ENOENT)\n`],
    ["/proc itself", "/proc", 'error: cannot write "/proc/model.safetensors": cannot create a file in "/proc": the file system there does not allow new files (ENOENT)\n'],
  ])("%s", async (_what, outDir, message) => {
    const { code, out, err } = await run("train", experiment, "--out-dir", outDir);
    expect(err).toBe(message);
    expect(code).toBe(1);
    expect(out).toBe(""); // not even the experiment's header: training never began
    expect(listing(dir)).toEqual(before);
    expect(readFileSync(join(dir, "a-file"), "utf8")).toBe("keep");
    expect(existsSync(procFolder)).toBe(false);
  });

  test("tsflux graph --out to such a path", async () => {
    const file = join(dir, "a-file", "graph.svg");
    const { code, out, err } = await run("graph", experiment, "--out", file);
    expect(err).toBe(`error: cannot write "${file}": "${join(dir, "a-file")}" is a file, not a folder\n`);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(listing(dir)).toEqual(before);
  });

  test("as a process: exit 1, the one line on stderr, no stack trace", () => {
    const root = join(__dirname, "..", "..", "..");
    const r = spawnSync(process.execPath, [join(root, "scripts/run-ts.mjs"), join(root, "packages/cli/src/cli.ts"), "train", experiment, "--out-dir", join(procFolder, "out")], {
      cwd: root, encoding: "utf8", timeout: 60_000,
    });
    expect(r.stderr).toBe(`error: cannot write "${join(procFolder, "out", "model.safetensors")}": cannot create the folder "${procFolder}": the file system there does not allow new folders (ENOENT)\n`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
  });
});

test("existing outputs are replaced whole, through new files, and no temporary file is left", async () => {
  const outDir = tempDir();
  const old = Buffer.alloc(1 << 18, 0x41); // longer than every new file
  for (const name of ["model.safetensors", "loss.svg", "graph.svg"]) {
    writeFileSync(join(outDir, name), old);
    linkSync(join(outDir, name), join(outDir, `${name}.old`)); // a second name for the old file: in-place writes would show through it
  }
  const { code, err } = await run("train", experiment, "--out-dir", outDir);
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(listing(outDir)).toEqual(["graph.svg", "graph.svg.old", "loss.svg", "loss.svg.old", "model.safetensors", "model.safetensors.old"]);
  for (const name of ["model.safetensors", "loss.svg", "graph.svg"]) expect(readFileSync(join(outDir, `${name}.old`)).equals(old)).toBe(true);
  expect([...decodeSafetensors(readFileSync(join(outDir, "model.safetensors"))).tensors.keys()]).toEqual(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]);
  for (const name of ["loss.svg", "graph.svg"]) expect(readFileSync(join(outDir, name), "utf8").trimEnd()).toMatch(/<\/svg>$/);
});
