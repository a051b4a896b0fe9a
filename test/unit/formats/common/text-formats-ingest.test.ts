import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError, ingestFile } from '../../../../core/ingest/ingest-file';
import { sniffFormat } from '../../../../core/formats/index';
import { CaseStore } from '../../../../core/store/case-store';
import { CORPUS_SKIP_REASON, HAVE_CORPUS, corpus } from '../../../helpers/corpus';
import { tempDir } from '../../../helpers/temp';

const HAVE_BZIP2 = spawnSync('bzip2', ['--help']).status === 0;
const HAVE_ZSTD = spawnSync('zstd', ['--version']).status === 0;

let dir: string;
let cleanup: () => void;
let store: CaseStore;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('flowcase-text-'));
  store = await CaseStore.open(join(dir, 'case.duckdb'));
});
afterEach(() => {
  store.close();
  cleanup();
});

const IPAUDIT = '010.010.040.058 082.054.137.189 6 3897 4662 867794 19677218 8633 15657 08:00:02.7605 08:30:01.1104 2 2\n';
const VPC = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 1 eni-1 10.0.0.1 10.0.0.2 1 443 6 4 208 1754321693 1754321724 ACCEPT OK\n2 1 eni-1 - - - - - - - 1754324989 1754325020 - NODATA';

describe('ingestFile() with the text formats', () => {
  it('imports a gzip IPAudit file named like IPAudit-Web saves it, date from the name', async () => {
    const path = join(dir, '2006-03-27-08_00.txt.gz');
    writeFileSync(path, gzipSync(Buffer.from(IPAUDIT)));
    const ev = await ingestFile(store, path);
    expect([ev.format, ev.records, ev.firstUs]).toEqual(['ipaudit', 1, Date.UTC(2006, 2, 27, 8, 0, 2) * 1000 + 760500]);
    expect(ev.facts).toMatchObject({ dateSource: 'file-name', timeZone: 'UTC' });
    const row = await store.one<{ bytes: bigint; rev_bytes: bigint; attrs: string }>('SELECT bytes, rev_bytes, attrs FROM flows');
    expect([Number(row!.bytes), Number(row!.rev_bytes), JSON.parse(row!.attrs).local]).toEqual([867794, 19677218, 'dst']);
  });

  it('refuses an IPAudit file without a date with the reason, and takes it with the date option', async () => {
    const path = join(dir, 'audit.txt');
    writeFileSync(path, IPAUDIT);
    const err = await ingestFile(store, path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).code).toBe('decode-failed');
    expect((err as Error).message).toContain("'date' (YYYY-MM-DD)");
    const ev = await ingestFile(store, path, { decodeOptions: { date: '2006-03-27', timeZone: 'America/New_York' } });
    expect(ev.firstUs).toBe(Date.UTC(2006, 2, 27, 13, 0, 2) * 1000 + 760500);
  });

  it('imports a VPC flow log as S3 delivers it (gzip, no trailing newline), NODATA counted', async () => {
    const path = join(dir, '123456789012_vpcflowlogs_eu-central-1_fl-1_20250804T1535Z_hash.log.gz');
    writeFileSync(path, gzipSync(Buffer.from(VPC)));
    const ev = await ingestFile(store, path);
    expect([ev.format, ev.records, ev.rejected, ev.counters['nodata-rows']]).toEqual(['vpc-flow', 1, 0, 1]);
    expect(await store.value<string>('SELECT label FROM flows')).toBe('ACCEPT');
  });

  it('ends the import of a broken gzip file with the compressed position, leaving the case unchanged', async () => {
    const big = Array.from({ length: 20000 }, (_, i) => `2 1 eni-1 10.0.${i >> 8}.${i & 255} 10.0.0.2 ${i} 443 6 4 208 1754321693 1754321724 ACCEPT OK`).join('\n');
    const gz = gzipSync(Buffer.from(`${VPC.split('\n')[0]}\n${big}\n`));
    const path = join(dir, 'broken.log.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const err = await ingestFile(store, path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/gzip stream is broken near compressed byte \d+/);
    expect(Number(await store.value('SELECT count(*) FROM flows'))).toBe(0);
  });

  it.skipIf(!HAVE_BZIP2 || !HAVE_ZSTD)(HAVE_BZIP2 && HAVE_ZSTD ? 'imports bzip2 and zstd compressed Zeek logs' : 'bzip2/zstd tools missing: skipped', async () => {
    const log = ['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_pkts\torig_ip_bytes',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tcount', '1.5\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t3\t120', ''].join('\n');
    for (const [tool, ext] of [['bzip2', 'bz2'], ['zstd', 'zst']] as const) {
      const path = join(dir, `conn.${tool}.log.${ext}`);
      writeFileSync(path, spawnSync(tool, ['-c'], { input: log }).stdout);
      const ev = await ingestFile(store, path);
      expect([ev.format, ev.records, ev.firstUs]).toEqual(['zeek-conn', 1, 1500000]);
    }
  });
});

describe.skipIf(!HAVE_CORPUS)('sniffFormat() over all registered loaders picks the text loaders for the corpus', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});
  const cases: [string, string][] = [
    ['zeek-logs/stratosphere/test10-mixed.conn.log', 'zeek-conn'],
    ['zeek-logs/stratosphere/portscan-vertical.conn.json.log', 'zeek-conn'],
    ['zeek-logs/stratosphere/dhcpscan.conn.log', 'zeek-conn'],
    ['zeek-logs/rita/open_conn.log', 'zeek-conn'],
    ['pcap/zeek/wikipedia.conn.log', 'zeek-conn'],
    ['aws-vpc-flow/aws-test_flow_logs.log', 'vpc-flow'],
    ['derived/from-pcap/wikipedia.nfcapd.csv', 'csv'],
    ['nfcapd/stratosphere/test1-malicious.nfcapd.csv', 'csv'],
  ];
  for (const [rel, id] of cases) {
    it(`${rel} -> ${id}`, () => {
      const head = readFileSync(corpus(rel)).subarray(0, 65536);
      expect(sniffFormat(head, rel.split('/').pop()!)[0]?.loader.id).toBe(id);
    });
  }

  it('imports a real conn.log end to end and stores what the file says', async () => {
    const path = join(dir, 'ctu.conn.log.labeled');
    copyFileSync(corpus('zeek-logs/stratosphere/ctu-sme-11-win.conn.log.labeled'), path);
    const ev = await ingestFile(store, path);
    expect([ev.format, ev.records, ev.rejected]).toEqual(['zeek-conn', 766, 0]);
    const sums = await store.one<{ p: bigint; b: bigint; rp: bigint; rb: bigint; labels: bigint }>(
      `SELECT sum(packets) p, sum(bytes) b, sum(rev_packets) rp, sum(rev_bytes) rb, count(DISTINCT label) labels FROM flows`);
    expect([sums!.p, sums!.b, sums!.rp, sums!.rb].map(Number)).toEqual([2826, 361871, 1854, 131122]);
    expect(readFileSync(path).length).toBe(147409);
  });
});
