/** `tsflux --version` prints the packages' version, which is the one in every package.json. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main, VERSION } from "@tsflux/cli";

const root = join(__dirname, "..", "..", "..");
const versionOf = (pkg: string): string => JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")).version;

test.each(["graph", "layers", "optim", "enzyme-compat", "cli"])("VERSION is @tsflux/%s's package.json version", (pkg) => {
  expect(VERSION).toBe(versionOf(pkg));
});

test.each(["--version", "-V"])("tsflux %s prints the version and exits 0", async (flag) => {
  let out = "", err = "";
  const code = await main(["node", "tsflux", flag], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  expect(code).toBe(0);
  expect(out).toBe(`${VERSION}\n`);
  expect(err).toBe("");
});
