import { describe, expect, it } from 'vitest';
import { toSessionView } from '../../../core/analysis/sessions/session-view';
import { servicePortName } from '../../../core/model/service-ports';

const row = (over: Record<string, unknown>) => ({
  uid: 'C0DYAHUGSSS7PL', ts: 1n, end_us: 2n, 'id.orig_h': 0xffff0a000005n, 'id.orig_p': 41000, 'id.resp_h': 0xffffcb007109n, 'id.resp_p': 22,
  proto: 'tcp', ip_proto: 6, service: null, duration: 0, orig_bytes: null, resp_bytes: null, conn_state: 'SF', history: 'ShADadFf',
  orig_pkts: 1n, orig_ip_bytes: 1n, resp_pkts: 1n, resp_ip_bytes: 1n, missed_bytes: 0n, direction_inferred: false,
  state_confidence: 'exact', state_reason: null, source_format: 'pcap', sightings: 1, flow_ids: [1n], evidence_ids: [1], ...over,
});

describe('the Service column of pcap sessions: a port-based guess where nothing detected the protocol', () => {
  it('names the usual service of the responder port (the overview names it the same way)', () => {
    expect(servicePortName(6, 22)).toBe('ssh');
    expect(servicePortName(17, 53)).toBe('dns');
    expect(servicePortName(6, 40000)).toBeNull();
    expect(toSessionView(row({}))).toMatchObject({ service: null, serviceGuess: 'ssh' });
    expect(toSessionView(row({ 'id.resp_p': 443 })).serviceGuess).toBe('https');
  });
  it('a service the source named (Zeek) stays, with no guess; an unknown port has none', () => {
    expect(toSessionView(row({ service: 'ssh' }))).toMatchObject({ service: 'ssh', serviceGuess: null });
    expect(toSessionView(row({ 'id.resp_p': 40001 })).serviceGuess).toBeNull();
  });
});
