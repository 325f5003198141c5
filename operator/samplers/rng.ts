/**
 * Deterministic random numbers, derived rather than carried (style.md, "Randomness is derived"):
 * every draw stream is a pure function of `(seed, trial index, purpose)`, so a restarted operator
 * replays exactly the same plan, and results never depend on the order in which trials were
 * asked for.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG: 128-bit state, passes
 * PractRand to 2^40+), seeded through a 32-bit avalanche hash of the key.
 */

/** murmur3-style finaliser: spreads every input bit over the 32-bit output. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashes a key made of numbers and strings into four 32-bit words. */
function hashKey(parts: readonly (number | string)[]): [number, number, number, number] {
  const words = [0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x6a09e667];
  let h = 0x811c9dc5;
  const feed = (x: number) => {
    h = mix32((h ^ x) + 0x9e3779b9);
    for (let i = 0; i < 4; i++) words[i] = mix32((words[i] as number) ^ h ^ (i * 0x27d4eb2f));
  };
  for (const part of parts) {
    if (typeof part === 'number') {
      // Split doubles so that large seeds and fractional values all count.
      const hi = Math.floor(part / 2 ** 32);
      feed(hi >>> 0);
      feed(part >>> 0);
      feed(0x5bd1e995);
    } else {
      for (let i = 0; i < part.length; i++) feed(part.charCodeAt(i));
      feed(0x1b873593 ^ part.length);
    }
  }
  return words as [number, number, number, number];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /** A stream keyed by any mix of numbers and strings, e.g. `new Rng(seed, index, 'tpe')`. */
  constructor(...key: (number | string)[]) {
    [this.a, this.b, this.c, this.d] = hashKey(key);
    for (let i = 0; i < 12; i++) this.nextUint32(); // warm up away from the seeding
  }

  /** An independent child stream; the parent's state is untouched. */
  derive(...key: (number | string)[]): Rng {
    return new Rng(this.a, this.b, this.c, this.d, ...key);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new RangeError(`int(n) needs n >= 1, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Marsaglia's polar method, caching the second value). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
  choice(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
