import { Semaphore } from 'async-mutex';

/** The library walks its budget unit by unit on every release: bytes are counted in units of 64 KiB. */
const UNIT = 64 * 1024;
const unitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / UNIT));

/**
 * How many bytes of sent packages one hub process checks and stores at once; the rest wait their
 * turn, in the order they came, with their bytes received. Under load, packages taken in faster
 * than the recipients fetch them only pile up, undelivered, while they hold the cores that the
 * deliveries need; with the budget, a sender waits for the answer instead, and what the hub
 * accepts leaves as fast as it came. A package larger than the whole budget waits until it can
 * have all of it.
 */
export class IntakeBudget {
  readonly #units: Semaphore;
  readonly #total: number;

  constructor(bytes: number) {
    this.#total = unitsOf(bytes);
    this.#units = new Semaphore(this.#total);
  }

  /** Waits for its share of the budget for a package of `bytes`; the function returned gives it back (once, however often called). */
  async take(bytes: number): Promise<() => void> {
    const [, release] = await this.#units.acquire(Math.min(this.#total, unitsOf(bytes)));
    return release;
  }
}
