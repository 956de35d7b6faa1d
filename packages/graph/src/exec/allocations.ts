/** Counts every typed array tsflux allocates, so tests can prove a warm plan allocates nothing. */
let count = 0;
let bytes = 0;

export function recordAllocation(byteLength: number): void {
  count++;
  bytes += byteLength;
}

/** Number of typed arrays (arenas, staging buffers, eager results, kernel scratch) allocated so far. */
export function allocationCount(): number {
  return count;
}

/** Total bytes of those allocations. */
export function allocatedBytes(): number {
  return bytes;
}
