/**
 * Runs heavy outside tools (OCR, office-document conversion) one job at a time in this process:
 * each takes a CPU-second or more and the machine has few cores. Jobs waiting beyond `capacity`
 * are turned away with `busy()` rather than kept for minutes.
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly capacity: number,
    private readonly busy: (waiting: number) => Error,
  ) {}

  run<T>(job: () => Promise<T>): Promise<T> {
    if (this.pending >= this.capacity) return Promise.reject(this.busy(this.pending));
    this.pending++;
    const result = this.tail.then(job);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }
}
