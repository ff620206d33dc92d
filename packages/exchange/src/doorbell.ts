/**
 * The pause of a worker between rounds that found nothing to do: it ends after `ms`, or at once
 * when someone rings because work has arrived. A ring while nobody waits is not kept: the worker
 * is busy then and looks for work before it waits again.
 */
export class Doorbell {
  #ring: (() => void) | null = null;

  async wait(ms: number): Promise<void> {
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
    this.#ring?.();
  }
}
