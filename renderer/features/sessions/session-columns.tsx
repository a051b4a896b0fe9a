import type { SessionView } from '../../../core/api/contract';
import { Bytes, Count } from '../../components/bytes';
import { Time } from '../../components/time';
import type { GridColumn } from '../../components/virtual-table';
import { endpoint } from '../../lib/format';
import { GridAddr, PivotButton } from '../pivot/host-link';

const right = { align: 'right' } as const;

function Ep({ addr, port, proto }: { addr: string; port: number; proto: string }) {
  const icmp = proto === 'icmp';
  return (
    <span className="ep" title={`${endpoint(addr, port)}${icmp ? ' (ICMP type/code)' : ''}`}>
      <GridAddr addr={addr} className="ep-addr" />
      <span className={icmp ? 'ep-port muted' : 'ep-port'}>:{port}</span>
      <PivotButton addr={addr} />
    </span>
  );
}

const STATE_TITLES: Record<string, string> = {
  S0: 'attempt seen, no reply', S1: 'established, not terminated', SF: 'normal establishment and termination',
  REJ: 'attempt rejected', S2: 'established, originator tried to close', S3: 'established, responder tried to close',
  RSTO: 'originator aborted (RST)', RSTR: 'responder sent RST', RSTOS0: 'originator sent SYN then RST',
  RSTRH: 'responder sent SYN-ACK then RST', SH: 'originator sent SYN then FIN', SHR: 'responder sent SYN-ACK then FIN', OTH: 'no SYN seen, midstream',
};

/** Zeek's conn_state meanings (conn.log documentation). */
export function stateTitle(s: string): string {
  return STATE_TITLES[s] ? `${s}: ${STATE_TITLES[s]}` : s;
}

/** The sessions grid's columns; ids are the contract's session sort keys. */
export const SESSION_COLUMNS: GridColumn<SessionView>[] = [
  { id: 'ts', header: 'Start (ts)', size: 206, sortDescFirst: false, accessorFn: (s) => s.ts, cell: (c) => <Time us={c.row.original.ts} /> },
  { id: 'orig_h', header: 'Originator', size: 190, sortDescFirst: false, accessorFn: (s) => s.origH, cell: (c) => <Ep addr={c.row.original.origH} port={c.row.original.origP} proto={c.row.original.proto} />, meta: { title: 'id.orig_h:id.orig_p (sorts by address)' } },
  { id: 'resp_h', header: 'Responder', size: 190, sortDescFirst: false, accessorFn: (s) => s.respH, cell: (c) => <Ep addr={c.row.original.respH} port={c.row.original.respP} proto={c.row.original.proto} />, meta: { title: 'id.resp_h:id.resp_p (sorts by address)' } },
  { id: 'proto', header: 'Proto', size: 56, sortDescFirst: false, accessorFn: (s) => s.proto, cell: (c) => c.row.original.proto },
  { id: 'service', header: 'Service', size: 70, sortDescFirst: false, accessorFn: (s) => s.service, cell: (c) => c.row.original.service ?? <span className="null">–</span> },
  { id: 'duration', header: 'Duration', size: 90, sortDescFirst: true, accessorFn: (s) => s.duration, cell: (c) => `${c.row.original.duration.toFixed(6)} s`, meta: { ...right } },
  // IP bytes and payload bytes named apart (#11): Zeek's orig_bytes is payload, orig_ip_bytes the IP layer.
  { id: 'orig_ip_bytes', header: 'Orig IP bytes', size: 100, sortDescFirst: true, accessorFn: (s) => s.origIpBytes, cell: (c) => <Bytes value={c.row.original.origIpBytes} />, meta: { ...right, title: 'orig_ip_bytes: IP-layer bytes the originator sent (headers included)' } },
  { id: 'resp_ip_bytes', header: 'Resp IP bytes', size: 100, sortDescFirst: true, accessorFn: (s) => s.respIpBytes, cell: (c) => <Bytes value={c.row.original.respIpBytes} />, meta: { ...right, title: 'resp_ip_bytes: IP-layer bytes the responder sent (headers included)' } },
  { id: 'orig_bytes', header: 'Orig payload bytes', size: 120, sortDescFirst: true, accessorFn: (s) => s.origBytes, cell: (c) => <Bytes value={c.row.original.origBytes} />, meta: { ...right, title: 'orig_bytes (Zeek): TCP/UDP payload the originator sent; – where the evidence cannot show it (flow records)' } },
  { id: 'resp_bytes', header: 'Resp payload bytes', size: 120, sortDescFirst: true, accessorFn: (s) => s.respBytes, cell: (c) => <Bytes value={c.row.original.respBytes} />, meta: { ...right, title: 'resp_bytes (Zeek): TCP/UDP payload the responder sent; – where the evidence cannot show it' } },
  { id: 'orig_pkts', header: 'Orig pkts', size: 84, sortDescFirst: true, accessorFn: (s) => s.origPkts, cell: (c) => <Count value={c.row.original.origPkts} />, meta: { ...right } },
  { id: 'resp_pkts', header: 'Resp pkts', size: 84, sortDescFirst: true, accessorFn: (s) => s.respPkts, cell: (c) => <Count value={c.row.original.respPkts} />, meta: { ...right } },
  { id: 'conn_state', header: 'State', size: 66, sortDescFirst: false, accessorFn: (s) => s.connState, cell: (c) => <span className={`state-tag st-${c.row.original.connState}`} title={stateTitle(c.row.original.connState)}>{c.row.original.connState}</span> },
  { id: 'history', header: 'History', size: 86, enableSorting: false, accessorFn: (s) => s.history, cell: (c) => <span className="mono" title={c.row.original.directionInferred ? 'originator inferred (^)' : undefined}>{c.row.original.directionInferred ? '^' : ''}{c.row.original.history ?? ''}</span> },
  { id: 'state_confidence', header: 'Confidence', size: 92, sortDescFirst: false, accessorFn: (s) => s.stateConfidence, cell: (c) => <span className={`conf conf-${c.row.original.stateConfidence}`} title={c.row.original.stateReason ?? 'from packets or Zeek itself'}>{c.row.original.stateConfidence}</span> },
  { id: 'sightings', header: 'Seen', size: 52, sortDescFirst: true, accessorFn: (s) => s.sightings, cell: (c) => <Count value={c.row.original.sightings} />, meta: { ...right, title: 'Sightings: sources (exporters / evidence files) that saw this session' } },
];
