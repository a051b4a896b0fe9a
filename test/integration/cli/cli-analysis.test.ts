import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlowcase } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';
import { syntheticConn, writeZeekConnLog } from '../../helpers/zeek-log-writer';

const t = tempDir();
const casePath = join(t.dir, 'c.duckdb');
const N = 400;
beforeAll(async () => {
  const log = join(t.dir, 'conn.log');
  await writeZeekConnLog(log, N);
  const r = await runFlowcase(['import', casePath, log]);
  expect(r.code).toBe(0);
});
afterAll(() => t.cleanup());

describe('flowcase pivot', () => {
  it('prints the pivot JSON contract with peers and ports that match the imported connections', async () => {
    // 192.0.2.1 answered every 200th connection (i % 200 === 0) on port 22 (i % 4 === 0).
    const expected = Array.from({ length: N }, (_, i) => syntheticConn(i)).filter((c) => c.resp === '192.0.2.1');
    const r = await runFlowcase(['pivot', casePath, '192.0.2.1', '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(Object.keys(p)).toEqual(expect.arrayContaining(['host', 'first_seen', 'last_seen', 'flows', 'packets_out', 'packets_in', 'bytes_out', 'bytes_in', 'peers', 'ports']));
    expect(p.host).toBe('192.0.2.1');
    expect(p.flows).toBe(expected.length);
    expect(p.packets_in).toBe(expected.reduce((a, c) => a + c.origPkts, 0));
    expect(p.bytes_out).toBe(expected.reduce((a, c) => a + c.respIpBytes, 0));
    expect(p.peers.map((x: { addr: string }) => x.addr).sort()).toEqual(expected.map((c) => c.orig).sort());
    expect(p.ports).toEqual([expect.objectContaining({ port: 22, proto: 6, role: 'server', flows: expected.length })]);
  });

  it('rejects something that is not an address with a clear message', async () => {
    const r = await runFlowcase(['pivot', casePath, 'not-an-ip']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'not-an-ip' is not an IP address");
  });
});

describe('flowcase sessions', () => {
  it('writes a Zeek conn.log that Flowcase (and Zeek tools) read back with the same uids and states', async () => {
    const r = await runFlowcase(['sessions', casePath, '--format', 'zeek']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('#separator \\x09');
    expect(lines.find((l) => l.startsWith('#fields'))).toContain('id.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto');
    const data = lines.filter((l) => !l.startsWith('#'));
    expect(data).toHaveLength(N);
    const back = join(t.dir, 'roundtrip.conn.log');
    writeFileSync(back, r.stdout);
    const other = join(t.dir, 'other.duckdb');
    const imp = JSON.parse((await runFlowcase(['import', other, back, '--json'])).stdout);
    expect(imp.evidence[0]).toMatchObject({ format: 'zeek-conn', records: N, rejected: 0 });
  });

  it('filters by state and by the filter language', async () => {
    const udp = await runFlowcase(['sessions', casePath, '--filter', 'proto udp', '--format', 'json']);
    const rows = JSON.parse(udp.stdout);
    expect(rows).toHaveLength(N / 4); // every 4th connection is DNS over UDP
    // Zeek's conn.log names (#11).
    expect(rows.every((s: { proto: string; 'id.resp_p': number }) => s.proto === 'udp' && s['id.resp_p'] === 53)).toBe(true);
    const none = JSON.parse((await runFlowcase(['sessions', casePath, '--state', 'REJ', '--format', 'json'])).stdout);
    expect(none).toEqual([]);
    const bad = await runFlowcase(['sessions', casePath, '--state', 'NOPE']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown conn_state NOPE');
  });
});
