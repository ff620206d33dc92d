/**
 * The pause of a worker between rounds that found nothing to do: it ends after `ms`, or at once
 * when someone rings because work has arrived. A ring while nobody waits is kept for the next
 * wait: it may have come while the worker was looking for work, too late for what it looked at.
 */
export class Doorbell {
  #ring: (() => void) | null = null;
  #rung = false;

  async wait(ms: number): Promise<void> {
    if (this.#rung) {
      this.#rung = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#ring = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#ring = null;
  }

  ring(): void {
    if (this.#ring) this.#ring();
    else this.#rung = true;
  }
}
