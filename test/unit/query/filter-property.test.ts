import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CaseStore } from '../../../core/store/case-store';
import { FlowBatch, type FlowInput } from '../../../core/model/flow-batch';
import { FlowChunkWriter } from '../../../core/store/flow-chunk-writer';
import { ipToBigInt, parseIp, type Ip } from '../../../core/model/ip';
import { parseFilter } from '../../../core/query/filter-parser';
import { compileFilter } from '../../../core/query/compile-filter';
import type { FilterNode, NumTest } from '../../../core/query/filter-ast';
import { tempDir } from '../../helpers/temp';

// Pools shared by the flow generator and the expression generator, so filters hit flows.
const ADDRS = ['10.0.0.5', '10.0.0.77', '192.168.1.20', '172.16.4.4', '8.8.8.8', '2001:db8::1', 'fe80::1', 'ff02::fb'];
const NETS = ['10.0.0.0/8', '10.0.0.0/24', '192.168.0.0/16', '0.0.0.0/0', '2001:db8::/32', 'fe80::/10', 'ff00::/8', '::/0'];
const PORTS = [0, 22, 53, 80, 443, 1024, 3389, 50000];
const COUNTS = [0, 1, 2, 40, 1500, 1_000_000, 2_500_000];
const TIMES = ['2024-01-12T10:00Z', '2024-01-12T10:30Z', '2024-01-12T11:00Z', '2024-01-12T12:00:00Z'];
const STATES = ['S0', 'REJ', 'SF', 'RSTO'];
const LABELS = ['jqz', 'kxjj', 'zzqk'];
const T0 = Date.UTC(2024, 0, 12, 9, 30) * 1000;

interface TestFlow extends FlowInput { flowId: number; evidenceId: number }

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const flowArb: fc.Arbitrary<Omit<TestFlow, 'flowId' | 'evidenceId'>> = fc.record({
  pos: fc.nat(1000),
  startUs: fc.integer({ min: 0, max: 3 * 3600 }).map((s) => T0 + s * 1_000_000),
  durUs: fc.constantFrom(0, 500_000, 1_000_000, 700_000_000),
  proto: fc.constantFrom(1, 6, 6, 17, 47, 58),
  family: fc.constantFrom(4, 4, 6),
  srcIdx: fc.nat(7), dstIdx: fc.nat(7),
  srcPort: fc.constantFrom(...PORTS), dstPort: fc.constantFrom(...PORTS),
  packets: fc.constantFrom(...COUNTS), bytes: fc.constantFrom(...COUNTS),
  revPackets: opt(fc.constantFrom(...COUNTS)), revBytes: opt(fc.constantFrom(...COUNTS)),
  tcpFlags: opt(fc.constantFrom(0x02, 0x12, 0x10, 0x04, 0x1b, 0x11)), revTcpFlags: opt(fc.constantFrom(0x12, 0x14, 0x10)),
  icmpType: opt(fc.constantFrom(0, 3, 8, 128)), tos: opt(fc.constantFrom(0, 16, 184)),
  inIf: opt(fc.constantFrom(1, 3, 12)), outIf: opt(fc.constantFrom(1, 3, 12)),
  srcAs: opt(fc.constantFrom(15169, 65000)), dstAs: opt(fc.constantFrom(15169, 65000)),
  exporterIdx: opt(fc.nat(4)),
  state: opt(fc.constantFrom(...STATES, 'rej')), label: opt(fc.constantFrom('From-JQZ-1', 'kxjj', 'background')),
}).map((r) => {
  const pick = (i: number) => parseIp(ADDRS[r.family === 4 ? i % 5 : 5 + (i % 3)]) as Ip;
  return {
    pos: r.pos, startUs: r.startUs, endUs: r.startUs + r.durUs, proto: r.proto, src: pick(r.srcIdx), dst: pick(r.dstIdx),
    srcPort: r.srcPort, dstPort: r.dstPort, packets: r.packets, bytes: r.bytes, revPackets: r.revPackets, revBytes: r.revBytes,
    tcpFlags: r.tcpFlags, revTcpFlags: r.revTcpFlags, icmpType: r.icmpType, tos: r.tos, inIf: r.inIf, outIf: r.outIf,
    srcAs: r.srcAs, dstAs: r.dstAs, exporter: r.exporterIdx === undefined ? undefined : (parseIp(ADDRS[r.exporterIdx]) as Ip),
    state: r.state, label: r.label,
  };
});

/** A filter text plus the literals the user typed in it. */
interface Expr { text: string; literals: string[] }
const leaf = (text: string, ...literals: string[]): Expr => ({ text, literals });
const op = fc.constantFrom('=', '==', '!=', '<', '<=', '>', '>=', 'eq', 'gt', 'lt');
const dir = fc.constantFrom('', 'src ', 'dst ');
const leaves: fc.Arbitrary<Expr> = fc.oneof(
  fc.tuple(dir, fc.constantFrom(...ADDRS)).map(([d, a]) => leaf(`${d}host ${a}`, a)),
  fc.tuple(dir, fc.constantFrom(...NETS)).map(([d, n]) => leaf(`${d}net ${n}`, n)),
  fc.tuple(fc.constantFrom(...ADDRS), fc.constantFrom(...NETS)).map(([a, n]) => leaf(`host in [${a} ${n}]`, a, n)),
  fc.tuple(dir, op, fc.constantFrom(...PORTS)).map(([d, o, p]) => leaf(`${d}port ${o} ${p}`, String(p))),
  fc.tuple(fc.constantFrom(...PORTS), fc.constantFrom(...PORTS)).map(([a, b]) => leaf(`port in [${a}, ${Math.min(a, b)}-${Math.max(a, b)}]`, String(a), String(b))),
  fc.constantFrom('tcp', 'udp', 'icmp', 'icmp6', 'gre', 'proto 17', 'proto esp', 'proto in [tcp udp]', 'ipv4', 'ipv6', 'any').map((t) => leaf(t)),
  fc.tuple(dir, fc.constantFrom('S', 'SA', 'A', 'R', 'F', 'X', 'PA')).map(([d, f]) => leaf(`${d}flags ${f}`)),
  fc.tuple(dir, fc.constantFrom('bytes', 'packets'), op, fc.constantFrom('0', '1', '40', '1500', '1M', '2.5M', '1k')).map(([d, k, o, v]) => leaf(`${d}${k} ${o} ${v}`, v)),
  fc.tuple(op, fc.constantFrom('0', '1', '0.5', '600', '10m')).map(([o, v]) => leaf(`duration ${o} ${v}`, v)),
  fc.tuple(fc.constantFrom('bps', 'pps', 'bpp'), op, fc.constantFrom('0', '100', '1M', '40')).map(([k, o, v]) => leaf(`${k} ${o} ${v}`, v)),
  fc.tuple(dir, fc.constantFrom('15169', '65000')).map(([d, v]) => leaf(`${d}as ${v}`, v)),
  fc.tuple(fc.constantFrom('', 'in ', 'out '), fc.constantFrom('1', '3', '12')).map(([d, v]) => leaf(`${d}if ${v}`, v)),
  fc.tuple(fc.constantFrom('tos', 'icmp-type', 'icmp-code'), op, fc.constantFrom('0', '8', '16', '0x10', '128')).map(([k, o, v]) => leaf(`${k} ${o} ${v}`, v)),
  fc.constantFrom(...STATES).map((s) => leaf(`state ${s}`)),
  fc.constantFrom(...LABELS).map((l) => leaf(`label ${l}`, l)),
  fc.constantFrom(...ADDRS.slice(0, 5)).map((a) => leaf(`exporter ${a}`, a)),
  fc.constantFrom('1', '2').map((e) => leaf(`evidence ${e}`)),
  fc.tuple(fc.constantFrom('after', 'before'), fc.constantFrom(...TIMES)).map(([k, t]) => leaf(`${k} ${t}`, t)),
  fc.tuple(fc.constantFrom(...TIMES.slice(0, 2)), fc.constantFrom(...TIMES.slice(2))).map(([a, b]) => leaf(`between ${a} and ${b}`, a, b)),
);
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaves,
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' && ', ' or ', ' || '), tie('e')).map(([a, o, b]) => ({ text: `(${a.text})${o}(${b.text})`, literals: [...a.literals, ...b.literals] })),
    fc.tuple(fc.constantFrom('not ', '!'), tie('e')).map(([n, a]) => ({ text: `${n}(${a.text})`, literals: a.literals })),
  ),
})).e;

// ---- the reference evaluator: the filter semantics written plainly over JS objects ----
function evaluate(node: FilterNode, f: TestFlow): boolean {
  switch (node.type) {
    case 'and': return evaluate(node.left, f) && evaluate(node.right, f);
    case 'or': return evaluate(node.left, f) || evaluate(node.right, f);
    case 'not': return !evaluate(node.operand, f);
    case 'any': return true;
    case 'ipver': return (typeof f.src === 'number' ? 4 : 6) === node.version;
    // Context tests read the case's enrichment tables, which this generator never fills (test/integration/enrich).
    case 'context': throw new Error('context filters are not generated here');
    case 'addr': {
      const vals = node.field === 'exporter' ? [f.exporter] : node.dir === 'src' ? [f.src] : node.dir === 'dst' ? [f.dst] : [f.src, f.dst];
      return vals.some((v) => v !== undefined && node.ranges.some((r) => ipToBigInt(v) >= r.first && ipToBigInt(v) <= r.last));
    }
    case 'flags': {
      if (f.proto !== 6) return false;
      const bits = node.dir === 'src' ? (f.tcpFlags ?? 0) : node.dir === 'dst' ? (f.revTcpFlags ?? 0) : (f.tcpFlags ?? 0) | (f.revTcpFlags ?? 0);
      return (bits & node.mask) === node.mask;
    }
    case 'text': {
      const v = { state: f.state, service: f.service, label: f.label, uid: f.uid }[node.field];
      if (v === undefined) return false;
      return node.values.some((x) => (node.mode === 'contains' ? v.toLowerCase().includes(x.toLowerCase()) : v.toLowerCase() === x.toLowerCase()));
    }
    case 'num': {
      if (node.tests.length === 1 && node.tests[0].kind === 'cmp' && node.tests[0].op === '!=') {
        return !evaluate({ ...node, tests: [{ kind: 'cmp', op: '=', value: node.tests[0].value }] }, f);
      }
      const vals = numValues(node.field, node.dir, f);
      return vals.some((v) => v !== undefined && node.tests.some((t) => test(t, v)));
    }
  }
}

function numValues(field: string, dir: string, f: TestFlow): (number | undefined)[] {
  const totalB = f.bytes + (f.revBytes ?? 0);
  const totalP = f.packets + (f.revPackets ?? 0);
  const dur = f.endUs - f.startUs;
  switch (field) {
    case 'port': return dir === 'src' ? [f.srcPort] : dir === 'dst' ? [f.dstPort] : [f.srcPort, f.dstPort];
    case 'bytes': return dir === 'src' ? [f.bytes] : dir === 'dst' ? [f.revBytes] : [totalB];
    case 'packets': return dir === 'src' ? [f.packets] : dir === 'dst' ? [f.revPackets] : [totalP];
    case 'proto': return [f.proto];
    case 'duration': return [dur];
    case 'bps': return [dur > 0 ? (totalB * 8 * 1e6) / dur : 0];
    case 'pps': return [dur > 0 ? (totalP * 1e6) / dur : 0];
    case 'bpp': return [totalP > 0 ? totalB / totalP : 0];
    case 'as': return dir === 'src' ? [f.srcAs] : dir === 'dst' ? [f.dstAs] : [f.srcAs, f.dstAs];
    case 'if': return dir === 'src' ? [f.inIf] : dir === 'dst' ? [f.outIf] : [f.inIf, f.outIf];
    case 'tos': return [f.tos];
    case 'icmp-type': return [f.icmpType];
    case 'icmp-code': return [f.icmpCode];
    case 'evidence': return [f.evidenceId];
    case 'start': return [f.startUs];
    case 'end': return [f.endUs];
  }
  throw new Error(`no reference for ${field}`);
}

function test(t: NumTest, v: number): boolean {
  if (t.kind === 'range') return v >= Number(t.lo) && v <= Number(t.hi);
  const x = Number(t.value);
  switch (t.op) {
    case '=': return v === x;
    case '!=': return v !== x;
    case '<': return v < x;
    case '<=': return v <= x;
    case '>': return v > x;
    case '>=': return v >= x;
  }
}

describe('compileFilter() on random filters', () => {
  const tmp = tempDir();
  let store: CaseStore;
  const flows: TestFlow[] = fc.sample(flowArb, { numRuns: 150, seed: 42 }).map((f, i) => ({ ...f, flowId: i + 1, evidenceId: i < 75 ? 1 : 2 }));

  beforeAll(async () => {
    store = await CaseStore.open(`${tmp.dir}/prop.duckdb`);
    await store.transaction(async () => {
      const writer = await FlowChunkWriter.open(store.connection);
      for (const ev of [1, 2]) {
        const batch = new FlowBatch(256);
        const mine = flows.filter((f) => f.evidenceId === ev);
        for (const f of mine) batch.push(f);
        batch.stamp(ev, mine[0].flowId);
        writer.write(batch);
      }
      writer.flush();
      writer.close();
    });
  });
  afterAll(() => {
    store?.close();
    tmp.cleanup();
  });

  it('selects exactly the flows the reference evaluator selects, and never puts a literal in the SQL', async () => {
    await fc.assert(
      fc.asyncProperty(exprArb, async (expr) => {
        const parsed = parseFilter(expr.text);
        if (!parsed.ok) throw new Error(`${expr.text}: ${parsed.error.message}`);
        const compiled = compileFilter(parsed.ast);
        const lower = compiled.sql.toLowerCase();
        for (const lit of expr.literals) {
          // Numbers below 10 are too short to tell apart from SQL syntax ('= 6', 'coalesce(x, 0)').
          const numeric = /^[\d.]+$/.test(lit) ? Number(lit) : NaN;
          if (!Number.isNaN(numeric) && numeric < 10) continue;
          expect(lower).not.toContain(lit.toLowerCase());
          const ip = lit.includes('.') || lit.includes(':') ? parseIp(lit.split('/')[0]) : null;
          if (ip !== null && ipToBigInt(ip) >= 10n) expect(lower).not.toContain(ipToBigInt(ip).toString());
        }
        const rows = await store.all<{ flow_id: bigint }>(`SELECT flow_id FROM flows WHERE ${compiled.sql} ORDER BY flow_id`, compiled.params);
        const got = rows.map((r) => Number(r.flow_id));
        const want = flows.filter((f) => evaluate(parsed.ast, f)).map((f) => f.flowId);
        expect(got, expr.text).toEqual(want);
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
