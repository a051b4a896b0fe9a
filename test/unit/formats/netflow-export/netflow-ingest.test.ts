import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../../core/formats/index';
import { ingestFile } from '../../../../core/ingest/ingest-file';
import { formatIpBigInt } from '../../../../core/model/ip';
import { CaseStore } from '../../../../core/store/case-store';
import { HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { Bytes, ipfixMessage, ipfixOptionsTemplateSet, ipfixTemplateSet, records, set, udpPcap, type FieldSpec } from '../../../helpers/netflow-writer';
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

describe('importing NetFlow/IPFIX evidence', () => {
  it('ingestFile() sniffs an export capture as netflow-pcap and stores exporter, sampling and attrs', async () => {
    const { dir, store } = await openCase();
    const fields: FieldSpec[] = [{ id: 8, len: 4 }, { id: 12, len: 4 }, { id: 4, len: 1 }, { id: 1, len: 4 }, { id: 2, len: 4 }, { id: 150, len: 4 }, { id: 61, len: 1 }, { id: 302, len: 1 }];
    const opt = ipfixOptionsTemplateSet(400, [{ id: 302, len: 1 }], [{ id: 34, len: 4 }]);
    const msg = ipfixMessage({ exportTime: 1_700_000_000, domain: 3 }, opt, set(400, new Bytes().u8(1).u32(64).done()), ipfixTemplateSet({ id: 256, fields }),
      set(256, records(fields, [['10.0.0.1', '10.0.0.2', 6, 4000, 10, 1_699_999_990, 1, 1]], true)));
    const path = join(dir, 'exports.pcap');
    writeFileSync(path, udpPcap([{ src: '198.51.100.7', dst: '198.51.100.1', srcPort: 61000, dstPort: 4739, payload: msg }]));
    const ev = await ingestFile(store, path);
    expect(ev.format).toBe('netflow-pcap');
    expect(ev.records).toBe(1);
    expect(ev.counters).toMatchObject({ datagrams: 1, records: 1, templates: 2, 'options-records': 1 });
    const row = await store.one<{ exporter_ip: bigint; sampling: number; bytes: bigint; start_us: bigint; attrs: string }>(
      'SELECT exporter_ip, sampling, bytes, start_us, attrs FROM flows');
    expect(formatIpBigInt(row!.exporter_ip)).toBe('198.51.100.7');
    expect([row!.sampling, Number(row!.bytes), Number(row!.start_us)]).toEqual([64, 4000, 1_699_999_990_000_000]);
    expect(JSON.parse(row!.attrs)).toEqual({ direction: 1 });
  });

  it.skipIf(!HAVE_CORPUS)('ingestFile() imports a softflowd IPFIX file and the v5 export capture of the same traffic', async () => {
    const { store } = await openCase();
    const ipfix = await ingestFile(store, corpus('derived/softflowd/wikipedia.ipfix.ipfix'));
    expect([ipfix.format, ipfix.records, ipfix.rejected]).toEqual(['ipfix', 57, 0]);
    const v5 = await ingestFile(store, corpus('derived/softflowd/wikipedia.nfv5.export.pcap'));
    expect([v5.format, v5.records, v5.rejected]).toEqual(['netflow-pcap', 54, 0]);
    // The v5 export carries IPv4 only (54 of the 57 flows).
    const v4 = await store.value<bigint>(`SELECT count(*) FROM flows WHERE evidence_id = $e AND ip_version = 4`, { e: ipfix.evidenceId });
    expect(Number(v4)).toBe(54);
  });
});
