/**
 * Import jobs of one service: each runs after the ones before it (imports on one case never
 * overlap), can be cancelled by id, and all are stopped when the case closes.
 */
export class ImportJobs {
  private readonly running = new Map<string, AbortController>();
  private chain: Promise<unknown> = Promise.resolve();
  private counter = 0;

  /**
   * Queues `work` and returns the job's id at once. When the work is done the job stops
   * being cancellable and `after` reports its result.
   */
  start<T>(
    work: (jobId: string, signal: AbortSignal) => Promise<T>,
    after: (result: T, jobId: string, cancelled: boolean) => Promise<void>,
  ): string {
    const jobId = `job-${++this.counter}-${Date.now().toString(36)}`;
    const ctl = new AbortController();
    this.running.set(jobId, ctl);
    this.chain = this.chain.then(async () => {
      const result = await work(jobId, ctl.signal);
      this.running.delete(jobId);
      await after(result, jobId, ctl.signal.aborted);
    });
    return jobId;
  }

  /** Whether a running or queued job with that id was told to stop. */
  cancel(jobId: string): boolean {
    const ctl = this.running.get(jobId);
    ctl?.abort();
    return !!ctl;
  }

  /** Stops every job and waits until none runs. */
  async stopAll(): Promise<void> {
    for (const ctl of this.running.values()) ctl.abort();
    await this.chain.catch(() => undefined);
  }
}
