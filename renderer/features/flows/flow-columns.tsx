import { createContext, useContext } from 'react';
import type { FlowSortColumn, FlowView } from '../../../core/api/contract';
import { Bytes, Count } from '../../components/bytes';
import { Time, ZoneHeader } from '../../components/time';
import type { GridColumn } from '../../components/virtual-table';
import { endpoint, formatDuration, formatTime, isIcmp, protoName, tcpFlagLetters } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { GridAddr, PivotButton } from '../pivot/host-link';

/** evidenceId -> file name, for the Evidence column. */
export const EvidenceNamesContext = createContext<Map<number, string>>(new Map());

function EvidenceName({ id }: { id: number }) {
  const name = useContext(EvidenceNamesContext).get(id);
  return <span title={`evidence #${id}`}>{name ?? `#${id}`}</span>;
}

function DurationCell({ f }: { f: FlowView }) {
  const tz = useTimeZone();
  return <span title={`end ${formatTime(f.endUs, tz)} (${tz})`}>{formatDuration(f.endUs - f.startUs)}</span>;
}

function Endpoint({ addr, port, f, side }: { addr: string; port: number; f: FlowView; side: 'src' | 'dst' }) {
  const a = endpoint(addr, null, false);
  // ICMP has no ports: the type.code go with the destination, as nfdump prints them.
  const suffix = isIcmp(f.proto) ? (side === 'dst' && f.icmpType !== null ? ` ${f.icmpType}.${f.icmpCode ?? 0}` : '') : `:${port}`;
  // The name the client used for the destination then (DNS, SNI, HTTP Host), when the evidence showed one.
  const name = side === 'dst' ? f.name ?? null : null;
  // Address and port in separate boxes so a long IPv6 address is cut, never the port.
  return (
    <span className="ep" title={`${a}${suffix}${isIcmp(f.proto) && suffix ? ' (ICMP type.code)' : ''}${name ? `\nname used: ${name}` : ''}`}>
      <GridAddr addr={addr} className="ep-addr" />
      <span className={isIcmp(f.proto) ? 'ep-port muted' : 'ep-port'}>{suffix}</span>
      {name ? <span className="ep-name muted" data-testid="flow-name">{name}</span> : null}
      <PivotButton addr={addr} />
    </span>
  );
}

function Flags({ f }: { f: FlowView }) {
  if (f.tcpFlags === null && f.revTcpFlags === null) return <span className="null">{f.proto === 6 ? '–' : ''}</span>;
  const fwd = tcpFlagLetters(f.tcpFlags);
  const rev = f.revTcpFlags === null ? '' : tcpFlagLetters(f.revTcpFlags);
  return (
    <span title={`forward ${fwd}${rev ? `, reverse ${rev}` : ''} (U A P R S F)`}>
      {fwd}
      {rev ? <span className="muted"> {rev}</span> : null}
    </span>
  );
}

const right = { align: 'right' } as const;

/**
 * The flows grid's columns. Each id is a FLOW_SORT_COLUMNS key, so a header click sorts on the
 * server. Counters sort largest first.
 */
export const FLOW_COLUMNS: GridColumn<FlowView>[] = [
  { id: 'start_us', sortDescFirst: false, header: () => <ZoneHeader label="Start" />, size: 206, accessorFn: (f) => f.startUs, cell: (c) => <Time us={c.row.original.startUs} zone={false} />, meta: { title: 'First packet of the flow, in the zone the header names (hover a time: UTC)' } },
  { id: 'duration', header: 'Duration', size: 92, sortDescFirst: true, accessorFn: (f) => f.endUs - f.startUs, cell: (c) => <DurationCell f={c.row.original} />, meta: { ...right, title: 'End − start (hover: end time)' } },
  { id: 'proto', sortDescFirst: false, header: 'Proto', size: 54, accessorFn: (f) => f.proto, cell: (c) => <span title={`IP protocol ${c.row.original.proto}`}>{protoName(c.row.original.proto)}</span>, meta: { minWidth: 44 } },
  { id: 'src_ip', sortDescFirst: false, header: 'Source', size: 184, accessorFn: (f) => f.srcAddr, cell: (c) => <Endpoint addr={c.row.original.srcAddr} port={c.row.original.srcPort} f={c.row.original} side="src" />, meta: { title: 'Source address:port (sorts by address)', minWidth: 162 } },
  { id: 'dst_ip', sortDescFirst: false, header: 'Destination', size: 184, accessorFn: (f) => f.dstAddr, cell: (c) => <Endpoint addr={c.row.original.dstAddr} port={c.row.original.dstPort} f={c.row.original} side="dst" />, meta: { title: 'Destination address:port (sorts by address)', minWidth: 162 } },
  { id: 'packets', header: 'Pkts', size: 64, sortDescFirst: true, accessorFn: (f) => f.packets, cell: (c) => <Count value={c.row.original.packets} />, meta: { ...right, title: 'Packets source → destination', minWidth: 44 } },
  { id: 'bytes', header: 'Bytes', size: 80, sortDescFirst: true, accessorFn: (f) => f.bytes, cell: (c) => <Bytes value={c.row.original.bytes} />, meta: { ...right, title: 'Bytes source → destination (IP layer where the source says so)', minWidth: 64 } },
  { id: 'rev_packets', header: 'Rev pkts', size: 72, sortDescFirst: true, accessorFn: (f) => f.revPackets, cell: (c) => <Count value={c.row.original.revPackets} />, meta: { ...right, title: 'Packets destination → source (bidirectional sources only)', minWidth: 50 } },
  { id: 'rev_bytes', header: 'Rev bytes', size: 84, sortDescFirst: true, accessorFn: (f) => f.revBytes, cell: (c) => <Bytes value={c.row.original.revBytes} />, meta: { ...right, title: 'Bytes destination → source (bidirectional sources only)', minWidth: 60 } },
  { id: 'tcp_flags', sortDescFirst: false, header: 'Flags', size: 142, accessorFn: (f) => f.tcpFlags, cell: (c) => <Flags f={c.row.original} />, meta: { title: 'TCP flags seen, UAPRSF, forward then reverse' } },
  { id: 'state', sortDescFirst: false, header: 'State', size: 56, accessorFn: (f) => f.state, cell: (c) => <span title={c.row.original.history ? `history ${c.row.original.history}` : undefined}>{c.row.original.state ?? ''}</span>, meta: { title: 'Connection state as the source tool reports it', minWidth: 36 } },
  { id: 'evidence_id', sortDescFirst: false, header: 'Evidence', size: 160, accessorFn: (f) => f.evidenceId, cell: (c) => <EvidenceName id={c.row.original.evidenceId} />, meta: { title: 'Evidence file the flow came from', minWidth: 88 } },
  { id: 'label', sortDescFirst: false, header: 'Label', size: 80, accessorFn: (f) => f.label, cell: (c) => <span title={c.row.original.label ?? undefined}>{c.row.original.label ?? ''}</span>, meta: { title: 'Label from the source (CTU-13 Label, VPC action)', minWidth: 44 } },
];

/** The ids above, each a server sort key (the compiler checks them against the contract). */
export const FLOW_COLUMN_IDS: readonly FlowSortColumn[] = [
  'start_us', 'duration', 'proto', 'src_ip', 'dst_ip', 'packets', 'bytes', 'rev_packets', 'rev_bytes', 'tcp_flags', 'state', 'evidence_id', 'label',
];
