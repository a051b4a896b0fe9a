import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessBreach } from '../../../../core/analysis/timeline/assessment';
import { evidenceCoverage } from '../../../../core/analysis/timeline/coverage';
import { hostIndexIsCurrent, rebuildHostIndex } from '../../../../core/store/host-index';
import { ATTACKER, D1, D2, E1, E2, us, V, victimCase } from '../../../helpers/victim-case';

let c: Awaited<ReturnType<typeof victimCase>>;
beforeAll(async () => { c = await victimCase(); });
afterAll(() => c.cleanup());

describe('assessBreach()', () => {
  it('sums what left the victim after the compromise, by destination, with the sampled part scaled and labelled', async () => {
    const a = await assessBreach(c.store, { hosts: [V], sinceUs: us(1800) });
    expect(a).toMatchObject({ host: V, since: '2024-03-12T09:30:00.000Z', until: '2024-03-12T11:59:01.000Z' });
    // 30 MB to D1 (unsampled), 5 kB recorded to D2 sampled 1:100, and the replies of the SSH, 4444 and HTTP sessions to the attacker.
    expect(a.bytes_out).toBe(30_000_000 + 500_000 + 60_000 + 7_000 + 3_000);
    expect(a.bytes_out_recorded).toBe(30_000_000 + 5_000 + 60_000 + 7_000 + 3_000);
    expect(a.destinations.map((d) => [d.addr, d.bytes, d.flows, d.first, d.last, d.ports])).toEqual([
      [D1, 30_000_000, 3, '2024-03-12T10:10:00.000Z', '2024-03-12T11:02:00.000Z', [443]],
      [D2, 500_000, 5, '2024-03-12T10:15:00.000Z', '2024-03-12T10:15:40.000Z', [53]],
      [ATTACKER, 70_000, 3, '2024-03-12T09:30:00.000Z', '2024-03-12T10:05:00.000Z', [22, 4444, 80]],
    ]);
    expect(a.by_port.map((p) => [p.service, p.bytes])).toEqual([['443/tcp', 30_000_000], ['53/udp', 500_000], ['22/tcp', 60_000], ['4444/tcp', 7_000], ['80/tcp', 3_000]]);
    expect(a.by_hour.map((h) => [h.hour, h.bytes])).toEqual([
      ['2024-03-12T09:00:00.000Z', 63_000], ['2024-03-12T10:00:00.000Z', 20_507_000], ['2024-03-12T11:00:00.000Z', 10_000_000],
    ]);
    expect(a.largest.slice(0, 3).map((l) => [l.peer, l.port, l.bytes])).toEqual([[D1, 443, 10_000_000], [D1, 443, 10_000_000], [D1, 443, 10_000_000]]);
    expect(a.largest[0].uid).toMatch(/^C[0-9A-Z]{13}$/);
  });

  it('states the coverage gap, the silent exporter, sampling, one-directional evidence and the clock offset', async () => {
    const a = await assessBreach(c.store, { hosts: [V], sinceUs: us(1800) });
    expect(a.coverage.gaps.map((g) => [g.source, g.kind, g.from, g.to])).toEqual([
      [`exporter ${E1}`, 'gap', '2024-03-12T10:29:01.000Z', '2024-03-12T10:50:00.000Z'],
      [`exporter ${E2}`, 'silent', '2024-03-12T11:28:00.000Z', '2024-03-12T11:59:01.000Z'],
    ]);
    expect(a.coverage.sampled).toBe(true);
    expect(a.coverage.sampling).toEqual([{ source: `exporter ${E2}`, rate: 100, flows: 5, bytes_recorded: 5_000, bytes_estimated: 500_000 }]);
    expect(a.coverage.one_directional).toEqual([{ source: `exporter ${E2}`, conversations: 5, out_only: 5, in_only: 0 }]);
    expect(a.coverage.clock_offsets).toEqual([{ evidence: 'e2-sampled.nfcapd', offset_us: 2_500_000 }]);
    expect(a.qualifiers.map((q) => q.code)).toEqual(['coverage-gap', 'silent-source', 'sampled', 'one-directional', 'clock-offset', 'internal-networks']);
    expect(a.qualifiers[0].text).toBe(`Exporter ${E1} recorded nothing from 2024-03-12T10:29:01.000Z to 2024-03-12T10:50:00.000Z (21 min) although it otherwise recorded at least every 60 s: traffic in that time is not in its evidence.`);
    expect(a.qualifiers[2].text).toContain('sampled 1 in 100: 5.0 kB recorded in 5 flows is estimated as 500.0 kB (×100)');
  });

  it('prints exactly the contract shape', async () => {
    const a = JSON.parse(JSON.stringify(await assessBreach(c.store, { hosts: [V], sinceUs: us(1800) }))) as Record<string, unknown>;
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['host', 'since', 'bytes_out', 'destinations', 'coverage', 'qualifiers']));
    const d = (a.destinations as Record<string, unknown>[])[0];
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['addr', 'bytes', 'flows', 'first', 'last', 'ports']));
    const cov = a.coverage as Record<string, unknown>;
    expect(Object.keys(cov)).toEqual(expect.arrayContaining(['gaps', 'sampled', 'sampling']));
    expect(Object.keys((cov.gaps as Record<string, unknown>[])[0])).toEqual(expect.arrayContaining(['from', 'to']));
  });

  it('says so when nothing left, and that the evidence was continuous when it was', async () => {
    const a = await assessBreach(c.store, { hosts: ['10.0.0.20'], sinceUs: us(0), untilUs: us(1200) });
    expect(a.bytes_out).toBe(0);
    expect(a.destinations).toEqual([]);
    expect(a.qualifiers.map((q) => q.code)).toEqual(['no-outbound', 'coverage-continuous', 'no-clock-offset', 'internal-networks']);
  });

  it('does not call a source continuous when it has too few records to judge', async () => {
    // Ten minutes: E1 (a record a minute) can be judged, E2 (one every two minutes) cannot.
    const a = await assessBreach(c.store, { hosts: [V], sinceUs: us(1200), untilUs: us(1800) });
    expect(a.qualifiers.map((q) => q.code)).toEqual(['no-outbound', 'coverage-continuous', 'coverage-unjudged', 'clock-offset', 'internal-networks']);
    expect(a.qualifiers[1].text).toBe(`Exporter ${E1} covers the period without a gap longer than 10 min (or 10 times its usual spacing).`);
    expect(a.qualifiers[2].text).toBe(`Exporter ${E2} has records in too few minutes of the period (5 records) to tell a gap from a quiet time: whether it missed traffic cannot be judged.`);
  });

  it('assesses a set of hosts together', async () => {
    const a = await assessBreach(c.store, { hosts: [V, '10.0.0.20'], sinceUs: us(1800) });
    expect(a.host).toBe(`${V},10.0.0.20`);
    expect(a.bytes_out).toBe(30_570_000);
  });
});

describe('assessBreach() over the host index', () => {
  it('gives the same answer from the host index as from a scan of the flows', async () => {
    const before = await assessBreach(c.store, { hosts: [V], sinceUs: us(1800) });
    expect(await hostIndexIsCurrent(c.store)).toBe(false);
    await rebuildHostIndex(c.store);
    expect(await hostIndexIsCurrent(c.store)).toBe(true);
    expect(await assessBreach(c.store, { hosts: [V], sinceUs: us(1800) })).toEqual(before);
  });
});

describe('evidenceCoverage()', () => {
  it('reports a source that starts after the period begins', async () => {
    const cov = await evidenceCoverage(c.store, { fromUs: us(-7200), toUs: us(0) }, [`exporter ${E1}`]);
    expect(cov.gaps.map((g) => [g.kind, g.toUs])).toEqual([['starts-late', us(-3600)]]);
  });
});
