/**
 * How a fused loop reads a broadcast operand: checked against the definition written out naively (the
 * operand's shape padded with trailing 1s, compared dim by dim) on every pair of shapes up to rank 4
 * with dims 1, 2 and 3.
 */
import { broadcastAccess } from "../src/exec/fusion";

function reference(from: number[], shape: number[]): string | undefined {
  if (from.reduce((a, b) => a * b, 1) === 1) return "scalar";
  const padded = [...from];
  while (padded.length < shape.length) padded.push(1);
  const rest = padded.slice(1);
  if (padded[0] === shape[0] && rest.every((d) => d === 1)) return "col";
  if (padded[0] === 1 && rest.every((d, i) => d === shape[i + 1])) return "row";
  return undefined;
}

function shapesUpTo(rank: number): number[][] {
  let level: number[][] = [[]];
  const all: number[][] = [[]];
  for (let r = 1; r <= rank; r++) {
    level = level.flatMap((s) => [1, 2, 3].map((d) => [...s, d]));
    all.push(...level);
  }
  return all;
}

test("broadcastAccess agrees with the padded-shape definition on every shape pair up to rank 4", () => {
  const shapes = shapesUpTo(4);
  let checked = 0;
  for (const from of shapes) {
    for (const shape of shapes) {
      expect([from, shape, broadcastAccess(from, shape)]).toEqual([from, shape, reference(from, shape)]);
      checked++;
    }
  }
  expect(checked).toBe(121 * 121);
});

test("the accesses a Dense layer's bias, a row vector and a scalar get", () => {
  expect(broadcastAccess([16], [16, 4])).toBe("col");
  expect(broadcastAccess([16, 1], [16, 4])).toBe("col");
  expect(broadcastAccess([1, 4], [16, 4])).toBe("row");
  expect(broadcastAccess([1], [16, 4])).toBe("scalar");
  expect(broadcastAccess([16, 4, 2], [16, 4, 3])).toBeUndefined();
});
