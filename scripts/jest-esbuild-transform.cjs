// Jest transform: TypeScript -> CommonJS with esbuild (no type checking; `tsc -b` does that).
const { transformSync, version } = require("esbuild");
const { createHash } = require("node:crypto");

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: filename.endsWith(".tsx") ? "tsx" : "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      sourcefile: filename,
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return createHash("sha1").update(version).update("\0").update(filename).update("\0").update(source).digest("hex");
  },
};
