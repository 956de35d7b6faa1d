/**
 * The layout measures behind `npm run check:layout`: Tarjan's strongly connected components against a
 * reachability reference, and the import graph, long files and casts of a small source tree.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureSources, stronglyConnectedComponents } from "../layout.cjs";

type Edges = Map<string, string[]>;

/** The components by brute force: u and v share one when each reaches the other. */
function componentsByReachability(edges: Edges): string[][] {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flat()])];
  const reach = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const n of nodes) {
    const todo = [...(edges.get(n) ?? [])];
    while (todo.length > 0) {
      const t = todo.pop()!;
      if (reach.get(n)!.has(t)) continue;
      reach.get(n)!.add(t);
      todo.push(...(edges.get(t) ?? []));
    }
  }
  const seen = new Set<string>(), out: string[][] = [];
  for (const n of nodes) {
    if (seen.has(n)) continue;
    const comp = nodes.filter((m) => m === n ? reach.get(n)!.has(n) : reach.get(n)!.has(m) && reach.get(m)!.has(n));
    comp.forEach((m) => seen.add(m));
    if (comp.length > 0) out.push(comp.sort());
  }
  return out.sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1));
}

test("a hand-made graph: a 3-cycle, a 2-cycle it feeds, a self-loop; trees and isolated nodes are no cycle", () => {
  const edges: Edges = new Map([
    ["a", ["b"]], ["b", ["c"]], ["c", ["a", "d"]], ["d", ["e"]], ["e", ["d", "x"]], ["f", ["f", "a"]], ["g", []], ["h", ["g"]],
  ]);
  expect(stronglyConnectedComponents(edges)).toEqual([["a", "b", "c"], ["d", "e"], ["f"]]);
});

test("random graphs: the same components as the reachability reference", () => {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let trial = 0; trial < 40; trial++) {
    const n = 2 + Math.floor(rand() * 14), p = rand() * 0.3;
    const edges: Edges = new Map();
    for (let i = 0; i < n; i++) {
      edges.set(`n${i}`, Array.from({ length: n }, (_, j) => `n${j}`).filter(() => rand() < p));
    }
    expect(stronglyConnectedComponents(edges)).toEqual(componentsByReachability(edges));
  }
});

test("a cycle through 20000 nodes (iterative: no stack overflow)", () => {
  const n = 20000;
  const edges: Edges = new Map(Array.from({ length: n }, (_, i) => [`m${i}`, [`m${(i + 1) % n}`]]));
  expect(stronglyConnectedComponents(edges)[0]).toHaveLength(n);
});

describe("measureSources on a small tree", () => {
  const dir = mkdtempSync(join(tmpdir(), "layout-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "sub"));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  write("a.ts", `import { b } from "./b";\nexport const a = (x: unknown) => x as unknown as number; // not "as never" here\n`);
  write("b.ts", `import type { S } from "./sub";\nexport const b = 1 as never;\n/* x as never */\n`);
  write("sub/index.ts", `export * from "../a";\nexport type S = string;\n`);
  write("c.ts", `import { a } from "./a.js";\nimport "./missing";\n${"const z = 1;\n".repeat(300)}`);
  write("d.d.ts", `import "./c";\n`);

  test("the cycle through an index file and a type-only import; a file importing into it is not part of it", () => {
    expect(measureSources(dir, 300).largestCycle).toEqual(["a.ts", "b.ts", join("sub", "index.ts")]);
  });
  test("files over the limit, casts outside comments, declaration files skipped", () => {
    const m = measureSources(dir, 300);
    expect(m.files).toBe(4);
    expect(m.longFiles).toEqual([{ file: "c.ts", lines: 302 }]);
    expect(m.casts).toEqual([{ file: "a.ts", count: 1 }, { file: "b.ts", count: 1 }]);
    expect(m.castCount).toBe(2);
  });
});
