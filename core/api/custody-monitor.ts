import { verifyCase, type CaseVerification, type CustodyCheck, type VerifyProgress } from '../custody/verify-case';
import type { CaseStore } from '../store/case-store';
import type { CustodyStatus } from './contract/custody';

type Emit = (event: 'custody.progress' | 'custody.done', payload: unknown) => void;

const PROGRESS_EVERY_MS = 200;

/**
 * The custody checks of one service's open case: the file check started in the background
 * when the app opens a case, and checks run on demand. One runs at a time; each result is
 * kept for `custody.status` and, with write access, stored as a `custody.verify` audit entry.
 */
export class CustodyMonitor {
  private running: { ctl: AbortController; done: Promise<CaseVerification | null> } | null = null;
  private progress: VerifyProgress | null = null;
  private last: CaseVerification | null = null;

  constructor(private readonly emit: Emit) {}

  status(): CustodyStatus {
    return { running: !!this.running, progress: this.progress, last: this.last };
  }

  /** Runs the checks (after any run under way) and resolves with the result; null when cancelled. */
  async run(store: CaseStore, checks: CustodyCheck[]): Promise<CaseVerification | null> {
    if (this.running) await this.running.done.catch(() => null);
    const ctl = new AbortController();
    let lastEmit = 0;
    const done = (async () => {
      try {
        const result = await verifyCase(store, {
          checks, signal: ctl.signal,
          onProgress: (p) => {
            this.progress = p;
            const now = Date.now();
            if (now - lastEmit < PROGRESS_EVERY_MS && p.done < p.total) return;
            lastEmit = now;
            this.emit('custody.progress', { ...p, running: true });
          },
        });
        if (ctl.signal.aborted) return null;
        this.last = result;
        if (!store.readOnly) {
          await store.audit('custody.verify', {
            checks: result.checks, ok: result.ok, findings: result.findings.slice(0, 100).map((f) => f.message),
            files: result.files.map((f) => ({ evidenceId: f.evidenceId, status: f.status })),
            chainHead: result.chain.headHash, chainEntries: result.chain.entries,
          }, 'flowcase').catch(() => undefined);
        }
        this.emit('custody.done', result);
        return result;
      } catch (err) {
        if (ctl.signal.aborted) return null;
        throw err;
      } finally {
        if (this.running?.ctl === ctl) this.running = null;
        this.progress = null;
        this.emit('custody.progress', { phase: checks[0], done: 0, total: 0, running: false });
      }
    })();
    this.running = { ctl, done };
    return done;
  }

  /** Starts the checks without waiting (the file check on open). */
  start(store: CaseStore, checks: CustodyCheck[]): void {
    void this.run(store, checks).catch(() => undefined);
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.running.ctl.abort();
    return true;
  }

  /** Stops a check under way and forgets the case's results (the case is closing). */
  async reset(): Promise<void> {
    const r = this.running;
    r?.ctl.abort();
    await r?.done.catch(() => null);
    this.last = null;
    this.progress = null;
  }
}
