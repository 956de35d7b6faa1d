/** The arena's free-range allocator: the same offsets as a plain best-fit list, in O(log F) per operation. */
import { FreeRanges } from "../src/exec/free-ranges";
import { mulberry32, seedFrom } from "@tsflux/graph/testing";

/** Best fit over a list: the smallest free range large enough, the lowest offset among equals; neighbours merged. */
class BestFitList {
  free: { offset: number; size: number }[] = [];
  top = 0;

  take(size: number): number {
    let best: { offset: number; size: number } | undefined;
    for (const f of this.free) if (f.size >= size && (!best || f.size < best.size || (f.size === best.size && f.offset < best.offset))) best = f;
    if (!best) {
      this.top += size;
      return this.top - size;
    }
    const at = best.offset;
    best.offset += size;
    best.size -= size;
    this.free = this.free.filter((f) => f.size > 0);
    return at;
  }

  release(offset: number, size: number): void {
    this.free.push({ offset, size });
    this.free.sort((a, b) => a.offset - b.offset);
    const merged: { offset: number; size: number }[] = [];
    for (const f of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.offset + last.size === f.offset) last.size += f.size;
      else merged.push({ ...f });
    }
    this.free = merged;
  }
}

test("random takes and releases give the offsets, free count and top of a plain best-fit list", () => {
  const rng = mulberry32(seedFrom("free-ranges"));
  for (let run = 0; run < 20; run++) {
    const ranges = new FreeRanges(), reference = new BestFitList();
    const held: { offset: number; size: number }[] = [];
    for (let op = 0; op < 400; op++) {
      if (held.length > 0 && rng() < 0.45) {
        const [h] = held.splice(Math.floor(rng() * held.length), 1);
        ranges.release(h!.offset, h!.size);
        reference.release(h!.offset, h!.size);
      } else {
        const size = 64 * (1 + Math.floor(rng() * rng() * 12));
        const offset = ranges.take(size);
        expect(offset).toBe(reference.take(size));
        held.push({ offset, size });
      }
      expect(ranges.freeCount).toBe(reference.free.length);
    }
    expect(ranges.top).toBe(reference.top);
  }
});

test("with thousands of free ranges an operation visits O(log F) of them", () => {
  // every other range freed: F fragments that cannot merge, then takes that each search them all
  for (const count of [1000, 8000]) {
    const ranges = new FreeRanges();
    const offsets = Array.from({ length: 2 * count }, (_, i) => ranges.take(64 * (1 + (i % 7))));
    for (let i = 0; i < 2 * count; i += 2) ranges.release(offsets[i]!, 64 * (1 + (i % 7)));
    expect(ranges.freeCount).toBe(count);
    ranges.visits = 0;
    for (let i = 0; i < count; i++) ranges.take(64 * (1 + (i % 7)));
    // a scan of the list would visit about count / 2 ranges per take
    expect(ranges.visits / count).toBeLessThan(6 * Math.log2(count));
  }
});
