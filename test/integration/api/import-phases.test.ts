import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import type { ImportDoneEvent, ImportProgressEvent } from '../../../core/api/contract';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { RecentCases } from '../../../core/store/recent-cases';
import { applyEvent, foreignJob } from '../../../renderer/features/import/use-import';
import { writeBreachCapture } from '../../helpers/breach-capture';
import { tempDir } from '../../helpers/temp';

/**
 * An import is finished when the tables derived from its flows are built, not when its
 * last file is stored: the progress says so with a 'deriving' phase per derived table.
 */
describe('import progress: files stored, then the derived tables, then done', () => {
  let tmp: { dir: string; cleanup: () => void };
  let svc: FlowcaseService;
  const events: ImportProgressEvent[] = [];
  let done: ImportDoneEvent;

  beforeAll(async () => {
    tmp = tempDir('flowcase-phases-');
    const pcap = join(tmp.dir, 'breach.pcap');
    writeBreachCapture(pcap);
    svc = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(tmp.dir, 'home')) });
    await svc.openCase(join(tmp.dir, 'case.duckdb'));
    svc.on('import.progress', (e) => {
      events.push(e);
    });
    const finished = new Promise<ImportDoneEvent>((resolve) => { const off = svc.on('import.done', (e) => { off(); resolve(e); }); });
    await svc.call('import.start', { paths: [pcap] });
    done = await finished;
  });

  afterAll(async () => {
    await svc?.dispose();
    tmp?.cleanup();
  });

  it("reports 'deriving' for the overlap check, the host index, the sessions, the flow bins, the address context and the detections after the file is stored", () => {
    expect(done.results[0].ok).toBe(true);
    const phases = events.map((e) => (e.phase === 'deriving' ? `deriving ${e.step}` : e.phase));
    const stored = phases.lastIndexOf('done');
    expect(stored).toBeGreaterThanOrEqual(0);
    const after = phases.slice(stored + 1);
    expect(after).toEqual([
      'deriving overlapping evidence', 'deriving host index', 'deriving sessions', 'deriving flow bins', 'deriving address context', 'deriving detections',
    ]);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ phase: 'deriving', stepIndex: 5, stepCount: 6, records: done.results[0].records });
  });

  it('the UI state keeps the job running through the deriving phase and finishes it only on import.done', () => {
    let job = foreignJob(done.jobId);
    for (const e of events) job = applyEvent(job, { kind: 'progress', e });
    expect(job.running).toBe(true);
    expect(job.deriving?.step).toBe('detections');
    expect(job.files).toHaveLength(1); // the deriving events are not a file
    expect(job.files[0].phase).toBe('done');
    job = applyEvent(job, { kind: 'done', e: done });
    expect(job).toMatchObject({ running: false, deriving: null });
  });
});
