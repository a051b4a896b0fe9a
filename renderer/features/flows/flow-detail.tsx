import { Fragment, type ReactNode } from 'react';
import type { EvidenceView, FlowView } from '../../../core/api/contract';
import { Bytes } from '../../components/bytes';
import { CopyButton } from '../../components/copy-button';
import { NoteButton } from '../../components/note-dialog';
import { Time } from '../../components/time';
import { endpoint, formatCount, formatDuration, protoName, tcpFlagLetters } from '../../lib/format';

/**
 * Everything the case holds about one flow, and where it came from: the evidence file and the
 * byte offset or line of the record, so the analyst can go back to the source.
 */
export function FlowDetail({ flow, evidence, onClose }: { flow: FlowView; evidence: EvidenceView | undefined; onClose: () => void }) {
  const place = evidence?.positionUnit === 'line' ? `line ${formatCount(flow.srcPos)}` : `byte ${formatCount(flow.srcPos)}`;
  const tuple = `${protoName(flow.proto)} ${endpoint(flow.srcAddr, flow.srcPort)} → ${endpoint(flow.dstAddr, flow.dstPort)}`;
  // Captures: End follows Zeek's duration (a final ACK after both FINs is left out); the last
  // packet counted in the flow may come later, and a timeline needs that time.
  const zeekEnd = flow.history !== null && evidence !== undefined && (evidence.format === 'pcap' || evidence.format === 'pcapng');
  const fields: [string, ReactNode][] = [
    ['Start', <Time us={flow.startUs} />],
    [zeekEnd ? 'End (Zeek duration)' : 'End', <Time us={flow.endUs} />],
    ['Last packet', <span data-testid="flow-last-packet"><Time us={flow.lastPacketUs} />{flow.lastPacketUs > flow.endUs ? <span className="muted"> (+{formatDuration(flow.lastPacketUs - flow.endUs)} after End)</span> : null}</span>],
    ['Duration', formatDuration(flow.endUs - flow.startUs)],
    ['Protocol', `${protoName(flow.proto)} (${flow.proto}), IPv${flow.ipVersion}`],
    ['Packets', `${formatCount(flow.packets)} → / ${flow.revPackets === null ? '–' : formatCount(flow.revPackets)} ←`],
    ['Bytes', <>
      <Bytes value={flow.bytes} /> → / <Bytes value={flow.revBytes} /> ← <span className="muted">({formatCount(flow.bytes)} / {formatCount(flow.revBytes)})</span>
    </>],
    ['TCP flags', flow.tcpFlags === null ? '–' : `${tcpFlagLetters(flow.tcpFlags)} / ${tcpFlagLetters(flow.revTcpFlags) || '–'}`],
    ['State', flow.state ?? '–'],
    ['History', flow.history ?? '–'],
    ['Service', flow.service ?? '–'],
    ['UID', flow.uid ?? '–'],
    ['Label', flow.label ?? '–'],
    ['ICMP type.code', flow.icmpType === null ? '–' : `${flow.icmpType}.${flow.icmpCode ?? 0}`],
    ['ToS', flow.tos ?? '–'],
    ['Interfaces in/out', flow.inIf === null && flow.outIf === null ? '–' : `${flow.inIf ?? '–'} / ${flow.outIf ?? '–'}`],
    ['AS src/dst', flow.srcAs === null && flow.dstAs === null ? '–' : `${flow.srcAs ?? '–'} / ${flow.dstAs ?? '–'}`],
    ['Exporter', flow.exporter ?? '–'],
    ['Sampling', flow.sampling === null || flow.sampling <= 1 ? (flow.sampling ?? '–') : `1 in ${formatCount(flow.sampling)}: ≈ ${formatCount((flow.packets + (flow.revPackets ?? 0)) * flow.sampling)} packets, ≈ ${formatCount((flow.bytes + (flow.revBytes ?? 0)) * flow.sampling)} bytes (estimate)`],
    ['Bad checksums', flow.badChecksums === null ? '–' : `${formatCount(flow.badChecksums)} packets (counted; Zeek would ignore them)`],
  ];
  return (
    <section className="flow-detail panel" data-testid="flow-detail" aria-label="Flow detail">
      <div className="panel-head">
        <h2 className="mono">{tuple}</h2>
        <CopyButton text={tuple} />
        <span className="spacer" />
        <span className="muted">
          flow #{flow.flowId} from <strong title={evidence?.path}>{evidence?.name ?? `evidence #${flow.evidenceId}`}</strong> at{' '}
          <span className="mono">{place}</span>
        </span>
        <NoteButton target={{ kind: 'flow', ref: String(flow.flowId) }} label="Bookmark / note…" testId="flow-note" />
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close detail">
          ×
        </button>
      </div>
      <dl className="flow-fields">
        {fields.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
