import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../../core/formats/index';
import { ingestFile } from '../../../../core/ingest/ingest-file';
import { formatIpBigInt } from '../../../../core/model/ip';
import { CaseStore } from '../../../../core/store/case-store';
import { pcapFile, pcapngFile, TcpConversation } from '../../../helpers/pcap-writer';
import { tempDir } from '../../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function openCase() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = await CaseStore.open(join(t.dir, 'case.duckdb'));
  cleanups.unshift(() => store.close());
  return { dir: t.dir, store };
}

const conv = new TcpConversation('192.0.2.10', '198.51.100.20', 51515, 443)
  .send('c', 'S').send('s', 'SA').send('c', 'A').send('c', 'PA', 300).send('s', 'PA', 2000).send('c', 'FA').send('s', 'FA').send('c', 'A');

describe('importing packet captures', () => {
  it('ingestFile() sniffs pcap and pcapng and stores one Zeek-style connection per capture', async () => {
    const { dir, store } = await openCase();
    const a = join(dir, 'a.pcap');
    const b = join(dir, 'b.pcapng');
    writeFileSync(a, pcapFile(conv.packets, { linkType: 1 }));
    writeFileSync(b, pcapngFile([{ interfaces: [{ linkType: 1 }], packets: conv.packets }]));
    const ea = await ingestFile(store, a);
    const eb = await ingestFile(store, b);
    expect([ea.format, ea.records, eb.format, eb.records]).toEqual(['pcap', 1, 'pcapng', 1]);
    expect(ea.counters).toMatchObject({ packets: 8, 'ip-packets': 8 });
    const rows = await store.all<{ src_ip: bigint; dst_port: number; packets: bigint; rev_packets: bigint; payload_bytes: bigint; rev_payload_bytes: bigint; state: string; history: string; src_pos: bigint }>(
      'SELECT src_ip, dst_port, packets, rev_packets, payload_bytes, rev_payload_bytes, state, history, src_pos FROM flows ORDER BY flow_id');
    expect(rows.map((r) => [formatIpBigInt(r.src_ip), r.dst_port, Number(r.packets), Number(r.rev_packets), Number(r.payload_bytes), Number(r.rev_payload_bytes), r.state, r.history, Number(r.src_pos)])).toEqual([
      ['192.0.2.10', 443, 5, 3, 300, 2000, 'SF', 'ShADdFf', 24],
      ['192.0.2.10', 443, 5, 3, 300, 2000, 'SF', 'ShADdFf', 48],
    ]);
  });
});
