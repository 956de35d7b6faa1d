/** ValueSet: membership by value id, growing past its first capacity, against a plain Set. */
import { ValueSet, idBound } from "../src/ir/value-set";
import type { Value } from "../src/ir/graph";
import { mulberry32, seedFrom } from "@tsflux/graph/testing";

const value = (id: number) => ({ id }) as Value;

test("adds and membership agree with a Set of ids, including ids beyond the first capacity", () => {
  const rng = mulberry32(seedFrom("value-set"));
  const set = new ValueSet(10), reference = new Set<number>();
  for (let i = 0; i < 500; i++) {
    const id = Math.floor(rng() * (i < 250 ? 20 : 3000));
    set.add(value(id));
    reference.add(id);
  }
  for (let id = 0; id < 4000; id++) expect(set.has(value(id))).toBe(reference.has(id));
});

test("idBound is one more than the largest id a node reads or writes", () => {
  const nodes = [{ inputs: [value(3), value(41)], output: value(7) }, { inputs: [], output: value(12) }];
  expect(idBound(nodes)).toBe(42);
  expect(idBound([])).toBe(0);
});
