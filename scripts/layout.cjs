// Measures the layout of each package's sources: the relative-import graph and its largest cycle (a strongly
// connected component, by Tarjan's algorithm), the files over a line limit, and the casts that silence the
// type checker (`as unknown as`, `as never`). Used by check-layout.mjs; the functions are tested on their own.
"use strict";
const { existsSync, readdirSync, readFileSync, statSync } = require("node:fs");
const { dirname, join, relative, resolve } = require("node:path");

/**
 * The strongly connected components of a directed graph with at least two nodes, or one node with an edge
 * to itself (Tarjan's algorithm, iterative so deep graphs cannot overflow the stack). `edges` maps every
 * node to the nodes it points at; nodes only pointed at count too. Components come out largest first, the
 * nodes of each sorted.
 * @param {ReadonlyMap<string, readonly string[]>} edges
 * @returns {string[][]}
 */
function stronglyConnectedComponents(edges) {
  const nodes = new Set(edges.keys());
  for (const targets of edges.values()) for (const t of targets) nodes.add(t);
  const index = new Map(), low = new Map(), onStack = new Set(), stack = [], components = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame: a node and the position of the next edge to follow from it.
    const frames = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const t = targets[frame.next++];
        if (!index.has(t)) {
          index.set(t, counter);
          low.set(t, counter++);
          stack.push(t);
          onStack.add(t);
          frames.push({ node: t, next: 0 });
        } else if (onStack.has(t)) low.set(frame.node, Math.min(low.get(frame.node), index.get(t)));
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && targets.includes(frame.node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  }
  return components.sort((a, b) => b.length - a.length || (a[0] < b[0] ? -1 : 1));
}

/** Every `.ts` file under `dir` (not declaration files), as absolute paths, sorted. */
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/**
 * The source text without comments, strings kept (so `// as never` in a comment is not counted, and a
 * URL inside a string does not start a comment). Template literals are kept whole, `${...}` included.
 */
function stripComments(text) {
  let out = "", i = 0;
  while (i < text.length) {
    const c = text[i], d = text[i + 1];
    if (c === "/" && d === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && d === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT = /(?:\bimport|\bexport)\s*(?:type\s+)?(?:[\w*{}\s,$]*?\bfrom\s*)?["'](\.{1,2}\/[^"']*)["']|\bimport\s*\(\s*["'](\.{1,2}\/[^"']*)["']\s*\)/g;

/** The relative module specifiers a source file imports or re-exports (type-only imports included). */
function relativeImports(code) {
  const out = [];
  for (const m of code.matchAll(IMPORT)) out.push(m[1] ?? m[2]);
  return out;
}

/** The file a relative specifier names: `x.ts`, `x/index.ts`, or `x.js` written for `x.ts`; null if none. */
function resolveSpecifier(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec.replace(/\.(m|c)?js$/, ""));
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const CASTS = /\bas\s+unknown\s+as\b|\bas\s+never\b/g;

/**
 * The layout of one source folder: its largest import cycle (files relative to `srcDir`), the files over
 * `maxLines` lines with their lengths, and the casts per file.
 */
function measureSources(srcDir, maxLines) {
  const files = sourceFiles(srcDir);
  const edges = new Map(), longFiles = [], casts = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const code = stripComments(text);
    const name = relative(srcDir, file);
    const targets = relativeImports(code).map((s) => resolveSpecifier(file, s)).filter((t) => t !== null);
    edges.set(name, [...new Set(targets.map((t) => relative(srcDir, t)))]);
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > maxLines) longFiles.push({ file: name, lines });
    const count = (code.match(CASTS) ?? []).length;
    if (count > 0) casts.push({ file: name, count });
  }
  const components = stronglyConnectedComponents(edges);
  return {
    files: files.length,
    largestCycle: components[0] ?? [],
    longFiles: longFiles.sort((a, b) => b.lines - a.lines),
    casts,
    castCount: casts.reduce((n, c) => n + c.count, 0),
  };
}

module.exports = { stronglyConnectedComponents, stripComments, relativeImports, measureSources };
