import { describe, expect, it } from 'vitest';
import type { Detection } from '../../../core/api/contract';
import {
  addrSortKey, binBySeverity, evidenceView, groupByHost, narrowestFirst, portsText, scopeLabel, sortDetections, spanOf,
} from '../../../renderer/features/detections/detection-logic';
import { markLanes } from '../../../renderer/components/charts/time-bins';

let nextId = 1;
function det(p: Partial<Detection>): Detection {
  return {
    id: nextId++, runId: 1, kind: 'port_scan', severity: 'medium', score: 0.5, src: '10.0.0.1', dst: '10.0.0.2', targets: 1,
    ports: [], portsTotal: 0, startUs: 1_000_000, endUs: 2_000_000, flows: 1, bytes: 0, attack: null, summary: '', evidence: '',
    status: 'open', exclusionId: null, detector: 'port_scan', detectorVersion: '1', facts: {}, ...p,
  };
}

describe('detections view logic', () => {
  it('sorts addresses numerically, IPv4 before IPv6', () => {
    const addrs = ['10.0.0.10', '2001:db8::1', '10.0.0.9', '9.255.0.1', '2001:db8::', '::1'];
    expect([...addrs].sort((a, b) => (addrSortKey(a) < addrSortKey(b) ? -1 : 1))).toEqual(['9.255.0.1', '10.0.0.9', '10.0.0.10', '::1', '2001:db8::', '2001:db8::1']);
  });

  it('sorts by severity (then score), by time and by host, and reverses on request', () => {
    const low = det({ severity: 'low', score: 0.9, startUs: 1, src: '10.0.0.20' });
    const highA = det({ severity: 'high', score: 0.6, startUs: 3, src: '10.0.0.3' });
    const highB = det({ severity: 'high', score: 0.8, startUs: 5, src: '10.0.0.100' });
    const crit = det({ severity: 'critical', score: 0.7, startUs: 4, src: null, dst: '10.0.0.1' });
    const list = [low, highA, highB, crit];
    expect(sortDetections(list, 'severity').map((d) => d.id)).toEqual([crit.id, highB.id, highA.id, low.id]);
    expect(sortDetections(list, 'time').map((d) => d.id)).toEqual([low.id, highA.id, crit.id, highB.id]);
    expect(sortDetections(list, 'time', true).map((d) => d.id)).toEqual([highB.id, crit.id, highA.id, low.id]);
    // A flood from many sources files under its target.
    expect(sortDetections(list, 'host').map((d) => d.src ?? d.dst)).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.20', '10.0.0.100']);
  });

  it('groups by host with the worst severity, the top score and the whole span, groups in sort order', () => {
    const a1 = det({ src: '10.0.0.5', severity: 'low', score: 0.2, startUs: 10, endUs: 20 });
    const b1 = det({ src: '10.0.0.7', severity: 'medium', score: 0.5, startUs: 5, endUs: 6 });
    const a2 = det({ src: '10.0.0.5', severity: 'high', score: 0.9, startUs: 30, endUs: 50 });
    const groups = groupByHost(sortDetections([a1, b1, a2], 'severity'), 'severity');
    expect(groups.map((g) => g.host)).toEqual(['10.0.0.5', '10.0.0.7']);
    expect(groups[0]).toMatchObject({ severity: 'high', score: 0.9, startUs: 10, endUs: 50 });
    expect(groups[0].detections.map((d) => d.id)).toEqual([a2.id, a1.id]);
    expect(groupByHost(sortDetections([a1, b1, a2], 'time'), 'time').map((g) => g.host)).toEqual(['10.0.0.7', '10.0.0.5']);
    const none = det({ src: null, dst: null });
    expect(groupByHost([none], 'host')[0].host).toBeNull();
  });

  it('says what an exclusion matches and orders proposals narrowest first', () => {
    const pair = { detector: 'brute_force' as const, src: '147.32.80.40', dst: '147.32.80.37', port: 902 };
    const src = { detector: 'brute_force' as const, src: '147.32.80.40' };
    const net = { detector: 'all' as const, src: '147.32.80.0/24' };
    const any = { detector: 'all' as const, host: '147.32.80.40' };
    expect(scopeLabel(pair)).toBe('brute force from 147.32.80.40 to 147.32.80.37 on port 902');
    expect(scopeLabel(net)).toBe('every detector from 147.32.80.0/24');
    expect(scopeLabel(any)).toBe('every detector involving 147.32.80.40');
    expect(scopeLabel({ detector: 'beacon' })).toBe('beacon, any host');
    expect(narrowestFirst([any, net, src, pair])).toEqual([pair, src, net, any]);
  });

  it('opens a detection with its evidence filter and a window that keeps its first and last flow', () => {
    const d = det({ evidence: 'src host 147.32.80.40 and dst port 902', startUs: 1_500_000, endUs: 14_250_000 });
    expect(evidenceView(d)).toEqual({ filter: 'src host 147.32.80.40 and dst port 902', range: { fromUs: 1_500_000, toUs: 14_250_001 } });
    expect(spanOf([d, det({ startUs: 1_000_000, endUs: 2_000_000 })])).toEqual({ fromUs: 1_000_000, toUs: 14_250_001 });
    expect(spanOf([])).toBeNull();
  });

  it('counts detections per bin by severity where each starts, and shortens port lists', () => {
    const bins = binBySeverity([
      { startUs: 0, severity: 'high' }, { startUs: 59_999_999, severity: 'high' }, { startUs: 60_000_000, severity: 'low' }, { startUs: 500_000_000, severity: 'critical' },
    ], 0, 120_000_000, 60_000_000);
    expect(bins.map((b) => b.values)).toEqual([
      { low: 0, medium: 0, high: 2, critical: 0 }, { low: 1, medium: 0, high: 0, critical: 0 },
    ]);
    expect(portsText([22, 80, 443], 3)).toBe('22, 80, 443');
    expect(portsText([1, 2, 3, 4, 5, 6, 7, 8], 1024, 4)).toBe('1, 2, 3, 4 +1,020 more');
    expect(portsText([], 0)).toBe('');
  });
});

describe('markLanes()', () => {
  it('puts overlapping spans in separate lanes, reuses a lane once free, caps the lanes', () => {
    const m = (key: string, fromUs: number, toUs: number) => ({ key, fromUs, toUs });
    const lanes = markLanes([m('a', 0, 100), m('b', 50, 150), m('c', 120, 130), m('d', 60, 70), m('e', 61, 62)], 0, 1000, 3);
    expect(Object.fromEntries(lanes)).toEqual({ a: 0, b: 1, d: 2, e: 2, c: 0 });
    // A very short span still occupies room on screen (1/200 of the window).
    expect(Object.fromEntries(markLanes([m('x', 0, 0), m('y', 2, 3)], 0, 1000, 4))).toEqual({ x: 0, y: 1 });
  });
});
