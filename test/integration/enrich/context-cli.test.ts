import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, CORPUS_SKIP_REASON, HAVE_CORPUS } from '../../helpers/corpus';
import { NAMES, writeNamesCapture } from '../../helpers/names-capture';
import { runFlowcase } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';

const t = tempDir();
const casePath = join(t.dir, 'c.duckdb');
const pcap = join(t.dir, 'names.pcap');
beforeAll(async () => {
  writeNamesCapture(pcap);
  const r = await runFlowcase(['import', casePath, pcap]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => t.cleanup());

type Peer = { addr: string; country: string | null; asn: number | null; as_org: string | null; names: string[]; asset: { name: string; owner: string; criticality: string } | null };
async function pivot(addr: string, ...extra: string[]): Promise<{ peers: Peer[]; names: string[] }> {
  const r = await runFlowcase(['pivot', casePath, addr, '--json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}
const peer = (p: { peers: Peer[] }, addr: string): Peer => p.peers.find((x) => x.addr === addr)!;

describe('names from a capture', () => {
  it('pivot peers carry the names the client used (DNS, HTTP Host, SNI), oldest first', async () => {
    const p = await pivot(NAMES.client);
    expect(peer(p, NAMES.cdn.addr).names).toEqual([NAMES.cdn.name]);
    expect(peer(p, NAMES.api.addr).names).toEqual([NAMES.api.name]);
    expect(peer(p, NAMES.telstra.addr).names).toEqual([NAMES.telstra.name]);
    expect(peer(p, NAMES.resolver).names).toEqual([]);
  });

  it('flows and sessions show the name the client used for the destination at that time', async () => {
    const flows = JSON.parse((await runFlowcase(['flows', casePath, '--format', 'json'])).stdout) as { dst_addr: string; dst_port: number; name: string | null }[];
    expect(flows.find((f) => f.dst_addr === NAMES.cdn.addr)!.name).toBe(NAMES.cdn.name);
    expect(flows.find((f) => f.dst_addr === NAMES.files.addr)!.name).toBe(NAMES.files.name);
    expect(flows.filter((f) => f.dst_addr === NAMES.resolver).every((f) => f.name === null)).toBe(true);
    const sessions = JSON.parse((await runFlowcase(['sessions', casePath, '--format', 'json'])).stdout) as { 'id.resp_h': string; name: string | null }[];
    expect(sessions.find((x) => x['id.resp_h'] === NAMES.api.addr)!.name).toBe(NAMES.api.name);
  });

  it('the filter language selects flows by name, a subdomain included', async () => {
    const r = await runFlowcase(['flows', casePath, '--filter', 'name "example.net"', '--format', 'json']);
    expect(r.code).toBe(0);
    const dsts = [...new Set(JSON.parse(r.stdout).map((f: { dst_addr: string }) => f.dst_addr))].sort();
    expect(dsts).toEqual([NAMES.telstra.addr, NAMES.cdn.addr].sort());
    const bad = await runFlowcase(['flows', casePath, '--filter', 'country GBR']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("'GBR' is not a country code");
  });
});

describe.skipIf(!HAVE_CORPUS)('MaxMind databases (corpus mmdb test files)', () => {
  if (!HAVE_CORPUS) it.skip(CORPUS_SKIP_REASON, () => {});
  beforeAll(async () => {
    const r = await runFlowcase(['enrich', casePath, '--mmdb', corpus('mmdb/GeoIP2-City-Test.mmdb'), '--mmdb', corpus('mmdb/GeoLite2-ASN-Test.mmdb'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.databases.map((d: { name: string }) => d.name)).toEqual(['GeoIP2-City-Test.mmdb', 'GeoLite2-ASN-Test.mmdb']);
    expect(out.databases[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('pivot peers carry country, asn and as_org from the databases', async () => {
    const p = await pivot(NAMES.client);
    expect(peer(p, NAMES.cdn.addr)).toMatchObject({ country: 'GB', names: [NAMES.cdn.name] });
    expect(peer(p, NAMES.api.addr)).toMatchObject({ country: 'US' });
    expect(peer(p, NAMES.telstra.addr)).toMatchObject({ asn: 1221, as_org: 'Telstra Pty Ltd' });
    expect(peer(p, NAMES.resolver)).toMatchObject({ country: null, asn: null, as_org: null });
  });

  it('filters by country and asn', async () => {
    const gb = JSON.parse((await runFlowcase(['flows', casePath, '--filter', 'dst country gb', '--format', 'json'])).stdout);
    expect(gb.length).toBeGreaterThan(0);
    expect(gb.every((f: { dst_addr: string }) => f.dst_addr === NAMES.cdn.addr)).toBe(true);
    const as = JSON.parse((await runFlowcase(['flows', casePath, '--filter', 'asn AS1221', '--format', 'json'])).stdout);
    expect([...new Set(as.map((f: { dst_addr: string }) => f.dst_addr))]).toEqual([NAMES.telstra.addr]);
    const p = await pivot(NAMES.client, '--filter', 'not country in [GB US]');
    expect(p.peers.map((x) => x.addr)).not.toContain(NAMES.cdn.addr);
    expect(p.peers.map((x) => x.addr)).toContain(NAMES.resolver);
  });

  it('the report names each destination as the client did, with its country and AS', async () => {
    const out = join(t.dir, 'report.html');
    const r = await runFlowcase(['report', casePath, '--out', out, '--host', NAMES.client, '--since', '2024-03-12T08:59:00Z']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(`<span class="mono">${NAMES.cdn.addr}</span><br><span class="small">name used: ${NAMES.cdn.name} · GB, London</span>`);
    expect(html).toContain(`name used: ${NAMES.telstra.name} · AS1221 Telstra Pty Ltd`);
  });

  it('refuses a file that is not a database with its name, and leaves the case as it was', async () => {
    const r = await runFlowcase(['enrich', casePath, '--mmdb', pcap]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${pcap}: not a readable MaxMind DB file`);
    expect(peer(await pivot(NAMES.client), NAMES.cdn.addr).country).toBe('GB');
  });
});

describe('asset list', () => {
  it('shows the asset entry wherever the address is (the narrowest block wins)', async () => {
    const list = join(t.dir, 'assets.csv');
    writeFileSync(list, `address,name,owner,criticality\n10.0.0.0/24,office LAN,IT,low\n${NAMES.resolver},dns-1,IT ops,high\n`);
    const r = await runFlowcase(['assets', casePath, '--import', list]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 asset entries');
    const p = await pivot(NAMES.client);
    expect(peer(p, NAMES.resolver).asset).toMatchObject({ name: 'dns-1', owner: 'IT ops', criticality: 'high' });
    expect(peer(p, NAMES.cdn.addr).asset).toBeNull();
  });

  it('names the file and line of a bad entry', async () => {
    const list = join(t.dir, 'bad.csv');
    writeFileSync(list, `10.0.0.1,a,b,c\n10.0.0.300,x,y,z\n`);
    const r = await runFlowcase(['assets', casePath, '--import', list]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.csv: line 2');
  });
});
