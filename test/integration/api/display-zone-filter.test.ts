import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../core/formats/index';
import { ApiError } from '../../../core/api/api-error';
import type { CaseStats, HostCounts, ImportDoneEvent, SessionPage } from '../../../core/api/contract';
import { FlowcaseService } from '../../../core/api/flowcase-service';
import { RecentCases } from '../../../core/store/recent-cases';
import { BREACH, writeBreachCapture } from '../../helpers/breach-capture';
import { tempDir } from '../../helpers/temp';

/**
 * The breach capture (UTC): 09:00 30 refused SYNs, 09:05 the SSH session, 09:20 the transfer
 * out. In New York on 2024-03-12 (EDT, UTC−4) the tables show 05:00, 05:05 and 05:20; a
 * time typed without a zone means what the analyst sees.
 */
describe('filter times without a zone are read in the case display zone', () => {
  let tmp: { dir: string; cleanup: () => void };
  let svc: FlowcaseService;
  let cli: FlowcaseService;
  const BEFORE_0510 = 'before "2024-03-12 05:10"';

  beforeAll(async () => {
    tmp = tempDir('flowcase-zone-');
    const pcap = join(tmp.dir, 'breach.pcap');
    writeBreachCapture(pcap);
    svc = new FlowcaseService({ transport: 'web', recent: new RecentCases(join(tmp.dir, 'home')) });
    await svc.openCase(join(tmp.dir, 'case.duckdb'));
    const done = new Promise<ImportDoneEvent>((resolve) => { const off = svc.on('import.done', (e) => { off(); resolve(e); }); });
    await svc.call('import.start', { paths: [pcap] });
    expect((await done).results[0].ok).toBe(true);
    await svc.call('case.setTimeZone', { timeZone: 'America/New_York' });
  });

  afterAll(async () => {
    await svc?.dispose();
    await cli?.dispose();
    tmp?.cleanup();
  });

  it('flows, overview, pivot and sessions all read "05:10" as 05:10 New York (09:10Z)', async () => {
    const stats = await svc.call('flows.stats', { filter: BEFORE_0510 }) as CaseStats;
    expect(stats.flows).toBe(31); // the 30 refused SYNs and the SSH session, not the transfer at 05:20
    const counts = await svc.call('overview.counts', { filter: BEFORE_0510 }) as HostCounts;
    expect(counts.flows).toBe(31);
    const pivot = await svc.call('pivot.host', { addr: BREACH.victim, filter: BEFORE_0510 }) as { flows: number };
    expect(pivot.flows).toBe(31);
    const sessions = await svc.call('sessions.page', { offset: 0, limit: 100, filter: BEFORE_0510 }) as SessionPage;
    expect(sessions.total).toBe(31);
    // With a zone written, the zone written wins.
    expect((await svc.call('flows.stats', { filter: 'before "2024-03-12 05:10Z"' }) as CaseStats).flows).toBe(0);
    expect((await svc.call('flows.stats', { filter: 'after "2024-03-12 09:10+04:00"' }) as CaseStats).flows).toBe(32);
  });

  it('UTC reads it as 05:10Z: nothing is that early', async () => {
    await svc.call('case.setTimeZone', { timeZone: 'UTC' });
    expect((await svc.call('flows.stats', { filter: BEFORE_0510 }) as CaseStats).flows).toBe(0);
    await svc.call('case.setTimeZone', { timeZone: 'America/New_York' });
  });

  it('a bad time says which zone times are read in', async () => {
    const err = await svc.call('flows.stats', { filter: 'before "noon yesterday"' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain('read in America/New_York');
  });

  it('the CLI prints UTC, so it reads times in UTC', async () => {
    const path = (await svc.call('case.info', {}) as { path: string }).path;
    await svc.closeCase();
    cli = new FlowcaseService({ transport: 'cli', recent: null });
    await cli.openCase(path);
    expect((await cli.call('flows.stats', { filter: BEFORE_0510 }) as CaseStats).flows).toBe(0);
    expect((await cli.call('flows.stats', { filter: 'before "2024-03-12 09:10"' }) as CaseStats).flows).toBe(31);
  });
});
