/** Files are written whole or not at all (temporary file, then rename), and bad paths fail fast with a named error and no files. */
import fs, { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dense, FileWriteError, checkWritable, loadstate, savestate, state, writeFileAtomic } from "@tsflux/layers";
import { toFlatArray, type NdArray } from "@tsflux/graph";

const tmp = () => mkdtempSync(join(tmpdir(), "tsflux-write-"));
/** Every path under `dir`, relative, sorted (to show nothing was added or left behind). */
const listing = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).sort();
const bytes = (n: number, value: number) => new Uint8Array(n).fill(value);

/** The FileWriteError `f` throws. */
function writeError(f: () => void): FileWriteError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FileWriteError);
    return e as FileWriteError;
  }
  throw new Error("expected a FileWriteError");
}

describe("writeFileAtomic", () => {
  test("replaces an existing file whole, through a new file: the old file's bytes are never written over", () => {
    const dir = tmp(), file = join(dir, "model.safetensors"), oldLink = join(dir, "old-link");
    writeFileSync(file, bytes(100_000, 7));
    chmodSync(file, 0o640);
    linkSync(file, oldLink); // a second name for the old file: in-place writes would show through it
    writeFileAtomic(file, bytes(10, 9));
    expect(readFileSync(file)).toEqual(Buffer.from(bytes(10, 9)));
    expect(readFileSync(oldLink).equals(bytes(100_000, 7))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(listing(dir)).toEqual(["model.safetensors", "old-link"]); // no temporary file left
  });

  test("makes missing folders and writes text", () => {
    const dir = tmp(), file = join(dir, "a", "b", "loss.svg");
    writeFileAtomic(file, "<svg/>\n");
    expect(readFileSync(file, "utf8")).toBe("<svg/>\n");
    expect(listing(dir)).toEqual(["a", join("a", "b"), join("a", "b", "loss.svg")]);
  });

  test("a failure mid-write leaves the old file as it was and no temporary file", () => {
    const dir = tmp(), file = join(dir, "model.safetensors");
    writeFileSync(file, bytes(64, 1));
    const fsync = jest.spyOn(fs, "fsyncSync").mockImplementation(() => {
      throw Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" });
    });
    try {
      const e = writeError(() => writeFileAtomic(file, bytes(1000, 2)));
      expect(e.message).toBe(`cannot write "${file}": input/output error (EIO)`);
      expect(fsync).toHaveBeenCalledTimes(1);
    } finally {
      fsync.mockRestore();
    }
    expect(readFileSync(file)).toEqual(Buffer.from(bytes(64, 1)));
    expect(listing(dir)).toEqual(["model.safetensors"]);
  });
});

describe("bad paths: a FileWriteError naming the file and why, at once, and nothing written", () => {
  const dir = tmp();
  writeFileSync(join(dir, "a-file"), "keep");
  mkdirSync(join(dir, "a-folder", "model.safetensors"), { recursive: true });
  const before = listing(dir);
  const procFolder = `/proc/tsflux-${process.pid}`;
  const cases: [string, string, string][] = [
    ["a folder under a regular file", join(dir, "a-file", "out", "model.safetensors"), `"${join(dir, "a-file")}" is a file, not a folder`],
    ["a regular file as the folder", join(dir, "a-file", "model.safetensors"), `"${join(dir, "a-file")}" is a file, not a folder`],
    ["a file that is a folder", join(dir, "a-folder", "model.safetensors"), "it is a folder"],
    ["a folder /proc does not allow", join(procFolder, "out", "model.safetensors"), `cannot create the folder "${procFolder}": the file system there does not allow new folders (ENOENT)`],
    ["a file /proc does not allow", "/proc/model.safetensors", 'cannot create a file in "/proc": the file system there does not allow new files (ENOENT)'],
  ];

  test.each(cases)("%s: checkWritable", (_what, file, reason) => {
    const e = writeError(() => checkWritable([file]));
    expect(e.message).toBe(`cannot write "${file}": ${reason}`);
    expect(e.file).toBe(file);
    expect(listing(dir)).toEqual(before);
    expect(existsSync(procFolder)).toBe(false);
  });

  test.each(cases)("%s: writeFileAtomic", (_what, file, reason) => {
    expect(writeError(() => writeFileAtomic(file, "x")).message).toBe(`cannot write "${file}": ${reason}`);
    expect(listing(dir)).toEqual(before);
    expect(readFileSync(join(dir, "a-file"), "utf8")).toBe("keep");
  });

  test("checkWritable stops at the first file that cannot be written", () => {
    const good = join(dir, "new", "loss.svg"), bad = join(dir, "a-file", "graph.svg");
    expect(writeError(() => checkWritable([good, bad])).file).toBe(bad);
    expect(listing(dir)).toEqual(before);
  });
});

test("checkWritable leaves nothing behind: the folders it made for the check are removed, existing files are untouched", () => {
  const dir = tmp();
  writeFileSync(join(dir, "loss.svg"), "old");
  checkWritable([join(dir, "x", "y", "model.safetensors"), join(dir, "loss.svg")]);
  expect(listing(dir)).toEqual(["loss.svg"]);
  expect(readFileSync(join(dir, "loss.svg"), "utf8")).toBe("old");
});

describe("savestate writes atomically", () => {
  test("an existing state file is replaced whole by the new state", () => {
    const dir = tmp(), file = join(dir, "model.safetensors");
    writeFileSync(file, bytes(1 << 16, 3)); // longer than the new file: an in-place write would leave its tail
    const model = Dense(3, 2);
    savestate(file, model);
    const loaded = loadstate(file) as { weight: NdArray; bias: NdArray };
    expect(toFlatArray(loaded.weight)).toEqual(toFlatArray((state(model) as { weight: NdArray }).weight));
    expect(listing(dir)).toEqual(["model.safetensors"]);
  });

  test("a path that cannot be written is a FileWriteError; the model and the folder are unchanged", () => {
    const dir = tmp();
    writeFileSync(join(dir, "a-file"), "keep");
    const model = Dense(3, 2);
    const weights = toFlatArray(model.weight as NdArray);
    const file = join(dir, "a-file", "model.safetensors");
    expect(writeError(() => savestate(file, model)).message).toBe(`cannot write "${file}": "${join(dir, "a-file")}" is a file, not a folder`);
    expect(listing(dir)).toEqual(["a-file"]);
    expect(toFlatArray(model.weight as NdArray)).toEqual(weights);
  });
});
