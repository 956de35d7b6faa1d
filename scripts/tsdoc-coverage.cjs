// Which exported functions, classes and constants of the packages' public entries have no TSDoc comment.
// A plain scanner of the TypeScript sources (no compiler API): it follows `export ... from`, `export *` and
// imported-then-exported names to the declaration, and looks for a `/** ... */` right above it (line comments
// in between are allowed). `node scripts/tsdoc-coverage.cjs [--types]` lists them (--types: interfaces and type aliases too).
const { existsSync, readFileSync } = require("node:fs");
const { dirname, join, relative } = require("node:path");

/** The file a module specifier names, or null for a package outside the repository. */
function resolveModule(specifier, fromFile, packagesDir) {
  const scoped = /^@tsflux\/([a-z-]+)(?:\/(.+))?$/.exec(specifier);
  const base = scoped ? join(packagesDir, scoped[1], "src", scoped[2] ?? "") : specifier.startsWith(".") ? join(dirname(fromFile), specifier) : null;
  if (base === null) return null;
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  throw new Error(`${fromFile}: cannot find the module "${specifier}"`);
}

const cache = new Map();
function source(file) {
  if (!cache.has(file)) cache.set(file, readFileSync(file, "utf8"));
  return cache.get(file);
}

/** `{ exported, local, typeOnly }` for each name in a `{ a, type B, c as d }` list. */
function namesOf(list, wholeListIsType) {
  return list.split(",").map((s) => s.trim()).filter(Boolean).map((item) => {
    const typeOnly = wholeListIsType || item.startsWith("type ");
    const [local, exported = local] = item.replace(/^type\s+/, "").split(/\s+as\s+/);
    return { local: local.trim(), exported: exported.trim(), typeOnly };
  });
}

const DECLARATION = String.raw`^(?:export[ \t]+)?(?:declare[ \t]+)?(?:default[ \t]+)?(?:abstract[ \t]+)?(?:async[ \t]+)?(function\*?|class|const|let|var|enum|namespace|interface|type)[ \t]+`;

/** Whether the text just above `index` (skipping line comments) ends a `/** ... *\/` comment. */
function documentedAt(text, index) {
  const lines = text.slice(0, index).split("\n");
  lines.pop(); // the declaration's own line up to the keyword
  while (lines.length > 0 && /^\s*\/\//.test(lines.at(-1))) lines.pop();
  const above = lines.join("\n").trimEnd();
  if (!above.endsWith("*/")) return false;
  return above.slice(above.lastIndexOf("/*")).startsWith("/**");
}

/**
 * Where `name` is declared, following imports and re-exports: `{ file, line, kind, documented }`, or null when
 * it comes from a package outside the repository.
 */
function findDeclaration(name, file, packagesDir, seen = new Set()) {
  const key = `${file}#${name}`;
  if (seen.has(key)) return null;
  seen.add(key);
  const text = source(file);
  const escaped = name.replace(/[$]/g, "\\$");
  const declaration = new RegExp(`${DECLARATION}${escaped}(?![\\w$])`, "m").exec(text);
  if (declaration) {
    const index = declaration.index + declaration[0].length - declaration[0].trimStart().length;
    return { file, line: text.slice(0, index).split("\n").length, kind: declaration[1], documented: documentedAt(text, index) };
  }
  for (const m of text.matchAll(/^(?:import|export)[ \t]+(type[ \t]+)?\{([^}]*)\}[ \t]*from[ \t]*["']([^"']+)["']/gm)) {
    const item = namesOf(m[2], Boolean(m[1])).find((n) => (m[0].startsWith("import") ? n.exported : n.exported) === name);
    if (!item) continue;
    const target = resolveModule(m[3], file, packagesDir);
    return target === null ? null : findDeclaration(item.local, target, packagesDir, seen);
  }
  for (const m of text.matchAll(/^export[ \t]+\*[ \t]+from[ \t]*["']([^"']+)["']/gm)) {
    const target = resolveModule(m[1], file, packagesDir);
    if (target === null) continue;
    const found = exportsOf(target, packagesDir).find((e) => e.name === name);
    if (found) return findDeclaration(name, target, packagesDir, seen);
  }
  throw new Error(`${file}: cannot find where ${name} is declared`);
}

/** The names a module exports: `{ name, file, typeOnly }`, `file` being where the export is written. */
function exportsOf(file, packagesDir) {
  const text = source(file), out = [];
  for (const m of text.matchAll(new RegExp(`^export[ \\t]+(?:declare[ \\t]+)?(?:default[ \\t]+)?(?:abstract[ \\t]+)?(?:async[ \\t]+)?(function\\*?|class|const|let|var|enum|namespace|interface|type)[ \\t]+([\\w$]+)`, "gm"))) {
    out.push({ name: m[2], file, typeOnly: m[1] === "interface" || m[1] === "type" });
  }
  for (const m of text.matchAll(/^export[ \t]+(type[ \t]+)?\{([^}]*)\}/gm)) {
    for (const n of namesOf(m[2], Boolean(m[1]))) out.push({ name: n.exported, file, typeOnly: n.typeOnly });
  }
  for (const m of text.matchAll(/^export[ \t]+\*[ \t]+from[ \t]*["']([^"']+)["']/gm)) {
    const target = resolveModule(m[1], file, packagesDir);
    if (target !== null) out.push(...exportsOf(target, packagesDir).map((e) => ({ ...e, file })));
  }
  return out;
}

/**
 * Every exported function, class and constant of `entry` (with `types`, also interface and type alias) without
 * TSDoc: `{ name, kind, file, line }` (file relative to `root`), sorted.
 */
function undocumentedExports(entry, packagesDir, root, { types = false } = {}) {
  const missing = [];
  for (const { name, typeOnly } of exportsOf(entry, packagesDir)) {
    if (typeOnly && !types) continue;
    const d = findDeclaration(name, entry, packagesDir);
    if (d === null || d.documented || (!types && (d.kind === "interface" || d.kind === "type"))) continue;
    missing.push({ name, kind: d.kind, file: relative(root, d.file), line: d.line });
  }
  const unique = new Map(missing.map((m) => [`${m.file}:${m.line}`, m]));
  return [...unique.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** The public entries: each package's src/index.ts and src/<sub>/index.ts for its subpath exports. */
function publicEntries(root) {
  const packagesDir = join(root, "packages");
  const entries = [];
  for (const pkg of require("node:fs").readdirSync(packagesDir).sort()) {
    const manifest = join(packagesDir, pkg, "package.json");
    if (!existsSync(manifest)) continue;
    for (const subpath of Object.keys(JSON.parse(readFileSync(manifest, "utf8")).exports ?? { ".": null })) {
      const entry = join(packagesDir, pkg, "src", subpath.replace(/^\.\/?/, ""), "index.ts");
      if (existsSync(entry)) entries.push(entry);
    }
  }
  return entries;
}

module.exports = { undocumentedExports, publicEntries };

if (require.main === module) {
  const root = join(__dirname, "..");
  const types = process.argv.includes("--types");
  let count = 0;
  for (const entry of publicEntries(root)) {
    for (const m of undocumentedExports(entry, join(root, "packages"), root, { types })) {
      console.log(`${m.file}:${m.line}  ${m.name}`);
      count++;
    }
  }
  console.log(`${count} exported functions, classes and constants${types ? ", interfaces and types" : ""} without TSDoc`);
}
