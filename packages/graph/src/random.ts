/** tsflux's global random generator (mulberry32), seedable for reproducible runs. */
export class RandomGenerator {
  private state: number;

  constructor(seed = 0x2f6b1d) {
    this.state = seed >>> 0;
  }

  /** Restarts the sequence from `seed`. */
  seed(seed: number): void {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/** The generator used by `randomUniform` nodes and by layers' initialisers unless given another. */
export const globalRng = new RandomGenerator();

/** Seeds the global generator (as Julia's Random.seed!). */
export function seed(value: number): void {
  globalRng.seed(value);
}
