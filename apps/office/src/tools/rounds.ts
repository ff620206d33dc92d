import type { FastifyBaseLogger } from 'fastify';

interface Loop {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

/**
 * Background work done in rounds: each round runs, then the next comes after its interval, until
 * stopped. A failed round is logged and the next one comes as usual; stopping waits for the rounds
 * under way, so that the database is not closed under them.
 */
export class Rounds {
  readonly #logger: FastifyBaseLogger | undefined;
  readonly #loops: Loop[] = [];
  #stopped = false;

  constructor(logger?: FastifyBaseLogger) {
    this.#logger = logger;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Runs `round` `firstMs` from now, then `everyMs` after each round ends. */
  every(firstMs: number, everyMs: number, what: string, round: () => Promise<void>): void {
    if (this.#stopped) return;
    const loop: Loop = { timer: null, running: null };
    const run = () => {
      loop.timer = null;
      loop.running = round()
        .catch((error: unknown) => this.#logger?.error({ err: error }, `${what} failed; trying again later`))
        .finally(() => {
          loop.running = null;
          if (!this.#stopped) schedule(everyMs);
        });
    };
    const schedule = (ms: number) => {
      loop.timer = setTimeout(run, ms);
      // The server keeps the process alive, not this timer.
      loop.timer.unref();
    };
    this.#loops.push(loop);
    schedule(firstMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const loop of this.#loops) if (loop.timer) clearTimeout(loop.timer);
    await Promise.all(this.#loops.map((loop) => loop.running));
  }
}
