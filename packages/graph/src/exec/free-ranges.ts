/**
 * The free space of a growing byte range, for the arena's liveness allocator. `take` is best fit: the
 * smallest free range that is large enough, the lowest offset among equals, carved from its start; when
 * none fits the range grows at the top. `release` returns a range and merges it with free neighbours.
 * Both cost O(log F) for F free ranges: free ranges sit in a treap ordered by (size, offset) and in two
 * maps by start and end, so no operation scans the free list.
 */

/** A free range, and its node in the treap. */
interface FreeRange {
  offset: number;
  size: number;
  readonly priority: number;
  left: FreeRange | null;
  right: FreeRange | null;
}

/** Whether `a` comes before `b` in best-fit order: smaller first, then lower offset. */
function before(a: FreeRange, b: FreeRange): boolean {
  return a.size < b.size || (a.size === b.size && a.offset < b.offset);
}

/** Best-fit allocator over a byte range that grows at `top` (see the file's header). */
export class FreeRanges {
  /** End of the space handed out so far: the bytes the arena needs. */
  top = 0;
  /** Treap nodes visited by every operation so far (the allocator's work, for tests of its growth). */
  visits = 0;
  private root: FreeRange | null = null;
  private readonly byStart = new Map<number, FreeRange>();
  private readonly byEnd = new Map<number, FreeRange>();
  private seed = 0x2545f491;

  /** The offset of `size` fresh bytes. */
  take(size: number): number {
    const fit = this.smallestAtLeast(size);
    if (!fit) {
      const at = this.top;
      this.top += size;
      return at;
    }
    this.remove(fit);
    if (fit.size > size) this.add(fit.offset + size, fit.size - size);
    return fit.offset;
  }

  /** Frees `size` bytes at `offset` (a range `take` handed out and nobody freed since). */
  release(offset: number, size: number): void {
    const left = this.byEnd.get(offset), right = this.byStart.get(offset + size);
    if (left) {
      this.remove(left);
      offset = left.offset;
      size += left.size;
    }
    if (right) {
      this.remove(right);
      size += right.size;
    }
    this.add(offset, size);
  }

  /** How many free ranges there are. */
  get freeCount(): number {
    return this.byStart.size;
  }

  private smallestAtLeast(size: number): FreeRange | null {
    let best: FreeRange | null = null;
    for (let t = this.root; t; ) {
      this.visits++;
      if (t.size >= size) {
        best = t;
        t = t.left;
      } else t = t.right;
    }
    return best;
  }

  private add(offset: number, size: number): void {
    const range: FreeRange = { offset, size, priority: this.nextPriority(), left: null, right: null };
    this.byStart.set(offset, range);
    this.byEnd.set(offset + size, range);
    const [lo, hi] = this.split(this.root, range);
    this.root = this.merge(this.merge(lo, range), hi);
  }

  private remove(range: FreeRange): void {
    this.byStart.delete(range.offset);
    this.byEnd.delete(range.offset + range.size);
    this.root = this.without(this.root, range);
  }

  /** The treap `t` without `range` (which it holds). */
  private without(t: FreeRange | null, range: FreeRange): FreeRange | null {
    if (!t) return null;
    this.visits++;
    if (t === range) return this.merge(t.left, t.right);
    if (before(range, t)) t.left = this.without(t.left, range);
    else t.right = this.without(t.right, range);
    return t;
  }

  /** Splits `t` into the ranges before `key` and the rest. */
  private split(t: FreeRange | null, key: FreeRange): [FreeRange | null, FreeRange | null] {
    if (!t) return [null, null];
    this.visits++;
    if (before(t, key)) {
      const [lo, hi] = this.split(t.right, key);
      t.right = lo;
      return [t, hi];
    }
    const [lo, hi] = this.split(t.left, key);
    t.left = hi;
    return [lo, t];
  }

  /** Joins two treaps where every range of `a` comes before every range of `b`. */
  private merge(a: FreeRange | null, b: FreeRange | null): FreeRange | null {
    if (!a) return b;
    if (!b) return a;
    this.visits++;
    if (a.priority > b.priority) {
      a.right = this.merge(a.right, b);
      return a;
    }
    b.left = this.merge(a, b.left);
    return b;
  }

  /** xorshift32: deterministic priorities, so a layout never depends on the run. */
  private nextPriority(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }
}
