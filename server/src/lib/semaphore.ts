/**
 * At most `concurrency` tasks at once, at most `queue` more waiting; beyond that `run` rejects at once with
 * `onFull()`. Used to keep memory-hard password hashing (argon2: 64 MiB and a libuv thread each) from starving
 * every other request when many logins arrive together.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** highest number of tasks seen running at once (tests and diagnostics) */
  peak = 0;

  constructor(
    private concurrency: number,
    private queue: number,
    private readonly onFull: () => Error,
  ) {}

  /** Changes the limits (the app applies its configuration at build time); running tasks are unaffected. */
  configure(concurrency: number, queue: number): void {
    this.concurrency = concurrency;
    this.queue = queue;
    this.drain();
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw this.onFull();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      this.active--;
      this.drain();
    }
  }

  // A waiter is handed the slot directly (active stays counted), so a newcomer cannot overtake the queue.
  private drain(): void {
    while (this.active < this.concurrency && this.waiting.length) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}
