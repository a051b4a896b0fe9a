import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../core/store/case-store';
import type { FlowInput } from '../../../core/model/flow-batch';
import { parseIp, type Ip } from '../../../core/model/ip';
import { incomingConnectionAttempts, incomingProbers, isOverviewFailure, type IncomingPortRow, type ProberRow } from '../../../core/query/overview-queries';
import { addSyntheticEvidence } from '../../helpers/synthetic-evidence';
import { tempDir } from '../../helpers/temp';

const T0 = Date.UTC(2024, 2, 12, 9, 0) * 1000;
const S = 1_000_000;
const ip = (t: string) => parseIp(t) as Ip;
const VICTIM = '10.0.0.5';
const SYN_SCANNER = '203.0.113.9';
const FIN_SCANNER = '203.0.113.66';
const CLIENT = '198.51.100.7';
const NETFLOW_SCANNER = '192.0.2.44';
const [SYN, FIN, RST_ACK, SYN_ACK, ACK_PSH] = [0x02, 0x01, 0x14, 0x12, 0x18];

function tcp(src: string, sport: number, dst: string, dport: number, t: number, flags: number, rev?: { pk: number; flags: number }): FlowInput {
  return {
    pos: 0, startUs: T0 + t * S, endUs: T0 + t * S + 1000, proto: 6, src: ip(src), dst: ip(dst), srcPort: sport, dstPort: dport,
    packets: 1, bytes: 40, revPackets: rev?.pk, revBytes: rev ? rev.pk * 40 : undefined, tcpFlags: flags, revTcpFlags: rev?.flags,
  };
}

/**
 * A pcap-like evidence (bidirectional records): a SYN scan of 40 ports refused with RST,
 * a FIN scan of 30 ports (20 closed ones answer RST, 10 open ones say nothing), and one
 * real SSH login; a NetFlow-like evidence (unidirectional): 5 SYNs whose RSTs are their
 * own reverse records, 3 SYNs without an answer.
 */
const BIDIRECTIONAL: FlowInput[] = [
  ...Array.from({ length: 40 }, (_, i) => tcp(SYN_SCANNER, 40000 + i, VICTIM, 1000 + i, i * 0.1, SYN, { pk: 1, flags: RST_ACK })),
  ...Array.from({ length: 30 }, (_, i) => tcp(FIN_SCANNER, 50000 + i, VICTIM, 2000 + i, 100 + i * 0.1, FIN, i < 20 ? { pk: 1, flags: RST_ACK } : { pk: 0, flags: 0 })),
  tcp(CLIENT, 41000, VICTIM, 22, 300, SYN | ACK_PSH | FIN, { pk: 30, flags: SYN_ACK | ACK_PSH | FIN }),
];
const UNIDIRECTIONAL: FlowInput[] = [
  ...Array.from({ length: 5 }, (_, i) => tcp(NETFLOW_SCANNER, 60000 + i, VICTIM, 3000 + i, 400 + i, SYN)),
  ...Array.from({ length: 5 }, (_, i) => tcp(VICTIM, 3000 + i, NETFLOW_SCANNER, 60000 + i, 400 + i + 0.001, RST_ACK)),
  ...Array.from({ length: 3 }, (_, i) => tcp(NETFLOW_SCANNER, 61000 + i, VICTIM, 4000 + i, 410 + i, SYN)),
];

const addEvidence = addSyntheticEvidence;

describe('incoming connection attempts: answered, refused (RST) and unanswered', () => {
  const tmp = tempDir();
  let store: CaseStore;
  let ports: IncomingPortRow[];
  let probers: ProberRow[];

  beforeAll(async () => {
    store = await CaseStore.open(`${tmp.dir}/case.duckdb`);
    await addEvidence(store, 1, BIDIRECTIONAL, 1);
    await addEvidence(store, 2, UNIDIRECTIONAL, 1000);
    const p = await incomingConnectionAttempts(store, { limit: 1000 });
    const q = await incomingProbers(store, { limit: 10 });
    if (isOverviewFailure(p) || isOverviewFailure(q)) throw new Error('filter failure');
    ports = p;
    probers = q;
  });
  afterAll(() => {
    store?.close();
    tmp.cleanup();
  });

  const sum = (rows: IncomingPortRow[], k: 'attempts' | 'answered' | 'refused' | 'unanswered') => rows.reduce((s, r) => s + r[k], 0);

  it('an RST answer is a refusal, not an answer; the SSH login is answered', () => {
    const syn = ports.filter((r) => r.port >= 1000 && r.port < 1040);
    expect(syn).toHaveLength(40);
    expect({ answered: sum(syn, 'answered'), refused: sum(syn, 'refused'), unanswered: sum(syn, 'unanswered') }).toEqual({ answered: 0, refused: 40, unanswered: 0 });
    expect(ports.find((r) => r.port === 22)).toEqual({ proto: 6, port: 22, attempts: 1, answered: 1, refused: 0, unanswered: 0, sources: 1, targets: 1 });
  });

  it('FIN probes (no SYN, no ACK) are attempts: closed ports refuse, open ports stay silent', () => {
    const fin = ports.filter((r) => r.port >= 2000 && r.port < 2030);
    expect(fin).toHaveLength(30);
    expect({ refused: sum(fin, 'refused'), unanswered: sum(fin, 'unanswered'), answered: sum(fin, 'answered') }).toEqual({ refused: 20, unanswered: 10, answered: 0 });
  });

  it('a unidirectional attempt is answered by its reverse record: the RST records make refusals', () => {
    const nf = ports.filter((r) => r.port >= 3000 && r.port < 5000);
    expect({ refused: sum(nf, 'refused'), unanswered: sum(nf, 'unanswered'), answered: sum(nf, 'answered') }).toEqual({ refused: 5, unanswered: 3, answered: 0 });
    // The RST records themselves (from the internal host, no SYN) are not attempts.
    expect(ports.find((r) => r.port >= 60000)).toBeUndefined();
    expect(sum(ports, 'attempts')).toBe(40 + 30 + 1 + 8);
  });

  it('the probers list leads with the scanners, with ports and hosts tried', () => {
    expect(probers.map((p) => [p.addr, p.refused, p.unanswered, p.ports, p.targets])).toEqual([
      [SYN_SCANNER, 40, 0, 40, 1],
      [FIN_SCANNER, 20, 10, 30, 1],
      [NETFLOW_SCANNER, 5, 3, 8, 1],
    ]);
    expect(probers.some((p) => p.addr === CLIENT)).toBe(false);
  });
});
