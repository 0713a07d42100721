/**
 * Seeded pseudo-random numbers for reproducible synthetic data. The generator is xoshiro128**
 * (Blackman and Vigna), which needs only 32-bit arithmetic and has a period of 2^128 − 1. Its
 * output is predictable by design, so it must never produce anything secret.
 */

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA = 0x9e3779b9;

/** A stream of pseudo-random numbers that is the same for the same seed. */
export class SeededRandom {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** Starts the stream for `seed`, which must be a safe integer (negative seeds are allowed). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(
        `Cannot seed the random generator: seed must be a safe integer: ${seed}`,
      );
    }
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;

    // Each step of this chain is a bijection of the seed word it adds, so different seeds start
    // in different states. The first output comes from #s1, which depends on both seed words.
    // A zero #s0 and #s1 make #s2 non-zero, so the state is never all zero.
    this.#s0 = mix32(low + GOLDEN_GAMMA);
    this.#s1 = mix32((high ^ this.#s0) + 2 * GOLDEN_GAMMA);
    this.#s2 = mix32(this.#s1 + 3 * GOLDEN_GAMMA);
    this.#s3 = mix32(this.#s2 + 4 * GOLDEN_GAMMA);
  }

  /** Returns the next number as an unsigned 32-bit integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9);
    const shifted = s1 << 9;

    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= shifted;
    this.#s3 = rotateLeft(this.#s3, 11);
    return result >>> 0;
  }

  /** Returns a number in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Returns an integer in [0, bound), for bounds up to 2^32. */
  nextInt(bound: number): number {
    return Math.floor(this.nextFloat() * bound);
  }

  /** Returns true with probability `chance` (0–1). */
  nextChance(chance: number): boolean {
    return this.nextFloat() < chance;
  }
}

/** Picks items in proportion to fixed non-negative weights. */
export class WeightedChoice<T> {
  readonly #items: readonly T[];
  readonly #cumulative: Float64Array;

  /** Builds the choice from `[item, weight]` pairs; at least one weight must be positive. */
  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([item, weight], index) => {
      if (!(weight >= 0) || !Number.isFinite(weight)) {
        throw new RangeError(
          `Cannot build a weighted choice: weight must be a finite number >= 0: ${weight} for ${
            String(item)
          }`,
        );
      }
      total += weight;
      cumulative[index] = total;
    });
    if (!(total > 0)) {
      throw new RangeError(
        `Cannot build a weighted choice: weights must sum to more than 0: ${total}`,
      );
    }

    for (let index = 0; index < cumulative.length; index++) cumulative[index] /= total;
    this.#items = entries.map(([item]) => item);
    this.#cumulative = cumulative;
  }

  /** Returns the index of the item that `random` picks. */
  pickIndex(random: SeededRandom): number {
    const target = random.nextFloat();
    const cumulative = this.#cumulative;

    // Binary search for the first cumulative share above the target.
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** Returns the item that `random` picks. */
  pick(random: SeededRandom): T {
    return this.#items[this.pickIndex(random)];
  }

  /** The items, in the order they were given. */
  get items(): readonly T[] {
    return this.#items;
  }
}

/** Murmur3's 32-bit finalizer: a bijection that spreads every input bit over the output. */
function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
