import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../core/store/case-store';
import { BREACH, writeBreachCapture } from '../../helpers/breach-capture';
import { pcapFile, TcpConversation, type CapturedPacket } from '../../helpers/pcap-writer';
import { runFlowcase } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';

const tmp = tempDir('flowcase-cli-detect-');
const casePath = join(tmp.dir, 'case.duckdb');
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  const pcap = join(tmp.dir, 'breach.pcap');
  writeBreachCapture(pcap);
  const r = await runFlowcase(['import', casePath, pcap]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

const ISSUE_FIELDS = ['kind', 'severity', 'score', 'src', 'dst', 'targets', 'ports', 'start', 'end', 'flows', 'bytes', 'attack', 'summary', 'evidence'];
type Json = Record<string, unknown> & { kind: string; src: string; dst: string | null; flows: number; evidence: string; start: string; status: string };

async function detect(...extra: string[]): Promise<Json[]> {
  const r = await runFlowcase(['detect', casePath, '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Json[];
}

describe('flowcase detect', () => {
  it('prints the port scan of the breach capture with the fields the issue names; its evidence lists exactly its flows', async () => {
    const list = await detect();
    const scan = list.find((d) => d.kind === 'port_scan')!;
    expect(scan).toBeDefined();
    for (const f of ISSUE_FIELDS) expect(scan).toHaveProperty(f);
    // 30 refused ports and the SSH port that answered later; the activity is the refused probes (first to last).
    expect(scan).toMatchObject({ src: BREACH.attacker, dst: BREACH.victim, severity: 'medium', attack: 'T1046', targets: 31, flows: 30 });
    expect(scan.start).toMatch(/^2024-03-12T09:00:00\.\d+Z$/);
    expect(scan.summary).toBe('203.0.113.9 probed 31 TCP ports on 10.0.0.5 in 6 s; 1 answered (22)');
    const flows = await runFlowcase(['flows', casePath, '--filter', scan.evidence, '--format', 'json', '--limit', '100000']);
    expect(flows.code, flows.stderr).toBe(0);
    expect((JSON.parse(flows.stdout) as unknown[]).length).toBe(scan.flows);
    const text = await runFlowcase(['detect', casePath, '--no-run']);
    expect(text.stdout).toMatch(/medium +0\.\d\d port_scan +2024-03-12T09:00:00\.\d+Z {2}203\.0\.113\.9 probed 31 TCP ports/);
    expect(text.stderr).toMatch(/detections? shown; run #2/);
  }, 120_000);

  it('--only and a bad kind', async () => {
    expect((await detect('--only', 'beacon,brute_force')).map((d) => d.kind)).toEqual([]);
    const bad = await runFlowcase(['detect', casePath, '--only', 'portscan']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--only takes detection kinds .*not 'portscan'/);
  }, 120_000);

  it('an exclusion suppresses the scan (kept, listed with --all) and removing it reopens it; every change is audited', async () => {
    const add = await runFlowcase(['exclusions', casePath, 'add', '--detector', 'port_scan', '--src', '203.0.113.0/24', '--reason', 'authorised pen test']);
    expect(add.stdout).toBe('exclusion #1 added\n');
    expect((await detect()).filter((d) => d.kind === 'port_scan')).toEqual([]);
    const all = await detect('--all', '--no-run');
    expect(all.find((d) => d.kind === 'port_scan')).toMatchObject({ status: 'suppressed', exclusion_id: 1 });
    const listed = JSON.parse((await runFlowcase(['exclusions', casePath, 'list', '--json'])).stdout) as Record<string, unknown>[];
    expect(listed).toEqual([expect.objectContaining({ id: 1, detector: 'port_scan', src: '203.0.113.0/24', reason: 'authorised pen test', active: true })]);
    expect((await runFlowcase(['exclusions', casePath, 'remove', '1'])).stdout).toMatch(/^exclusion #1 removed/);
    expect((await detect('--no-run')).find((d) => d.kind === 'port_scan')).toMatchObject({ status: 'open' });
    expect(JSON.parse((await runFlowcase(['exclusions', casePath, '--all', '--json'])).stdout)).toEqual([expect.objectContaining({ id: 1, active: false })]);
    const bad = await runFlowcase(['exclusions', casePath, 'add', '--src', 'not-an-ip', '--reason', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/src 'not-an-ip' is not an address or network/);
    const s = await CaseStore.open(casePath, { readOnly: true });
    const actions = (await s.all<{ action: string }>(`SELECT action FROM audit_log ORDER BY id`)).map((r) => r.action);
    s.close();
    expect(actions).toEqual(expect.arrayContaining(['detections.run', 'detections.exclusion.add', 'detections.exclusion.remove']));
  }, 120_000);

  it('thresholds: listed with defaults, set from the CLI (audited), reset with default', async () => {
    const list = JSON.parse((await runFlowcase(['thresholds', casePath, '--json'])).stdout) as { detector: string; name: string; value: number; default: number }[];
    expect(list).toContainEqual(expect.objectContaining({ detector: 'port_scan', name: 'min_ports', value: 15, default: 15 }));
    expect((await runFlowcase(['thresholds', casePath, 'set', 'port_scan', 'min_ports', '32'])).stdout).toBe('port_scan min_ports = 32 (default 15)\n');
    expect((await detect()).filter((d) => d.kind === 'port_scan')).toEqual([]);
    expect((await runFlowcase(['thresholds', casePath, 'set', 'port_scan', 'min_ports', 'default'])).stdout).toBe('port_scan min_ports = 15 (default)\n');
    const bad = await runFlowcase(['thresholds', casePath, 'set', 'port_scan', 'min_prots', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/port_scan has no threshold 'min_prots' \(it has min_ports, /);
    expect((await detect()).filter((d) => d.kind === 'port_scan')).toHaveLength(1);
  }, 120_000);

  it('a new import re-runs the detectors with the last settings', async () => {
    // 40 quick SSH logins from one source, each a handshake, ~2 kB each way, close.
    const packets: CapturedPacket[] = [];
    for (let i = 0; i < 40; i++) {
      const c = new TcpConversation('198.51.100.66', BREACH.victim, 45000 + i, 22, BREACH.t0Us + 3_600_000_000 + i * 1_500_000);
      c.send('c', 'S').send('s', 'SA').send('c', 'A').send('c', 'PA', 1200).send('s', 'PA', 1300).send('c', 'PA', 900).send('s', 'PA', 700)
        .send('c', 'FA').send('s', 'FA').send('c', 'A');
      packets.push(...c.packets);
    }
    packets.sort((a, b) => a.tsUs - b.tsUs);
    const pcap = join(tmp.dir, 'ssh.pcap');
    writeFileSync(pcap, pcapFile(packets, { linkType: 1 }));
    expect((await runFlowcase(['import', casePath, pcap])).code).toBe(0);
    const after = await detect('--no-run');
    expect(after.find((d) => d.kind === 'brute_force')).toMatchObject({ src: '198.51.100.66', dst: BREACH.victim, ports: [22] });
  }, 120_000);
});
