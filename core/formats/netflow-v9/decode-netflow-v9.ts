import { compileTemplate, type TemplateField } from '../template-cache/compile-template';
import type { ExportHeader } from '../template-cache/export-header';
import type { ExportSession } from '../template-cache/export-session';
import { positionOf, type MessageSource } from '../template-cache/message-source';
import { walkSets } from '../template-cache/walk-sets';
import { MAX_MESSAGE, V9_HEADER_LENGTH, validSetId } from './netflow-v9-layout';

/**
 * Length of the v9 packet at o. The v9 header has no length field, so the FlowSets are
 * walked until the data ends, a set id that cannot start a FlowSet (2..255: e.g. the
 * version of the next packet in a file of concatenated packets) or a length below 4.
 * Returns -1 when the header is implausible, 0 when more data is needed (not final).
 */
export function netflowV9Length(dv: DataView, o: number, end: number, final: boolean): number {
  if (end - o < V9_HEADER_LENGTH + 4 || dv.getUint16(o) !== 9) return end - o < V9_HEADER_LENGTH + 4 && !final ? 0 : -1;
  const firstId = dv.getUint16(o + V9_HEADER_LENGTH);
  const firstLen = dv.getUint16(o + V9_HEADER_LENGTH + 2);
  if (!validSetId(firstId) || firstLen < 4) return -1;
  const limit = Math.min(end, o + MAX_MESSAGE);
  let p = o + V9_HEADER_LENGTH;
  while (p + 4 <= limit) {
    const id = dv.getUint16(p);
    const len = dv.getUint16(p + 2);
    if (!validSetId(id) || len < 4) break;
    if (p + len > limit) {
      if (!final && limit === end) return 0;
      return limit - o; // truncated: the decoder reports the short FlowSet
    }
    p += len;
  }
  // Not final and the walk reached the end of the data: the packet may go on.
  if (!final && limit === end && p + 4 > limit) return 0;
  return p - o;
}

/**
 * Decodes one NetFlow v9 packet at buf[o, end) (RFC 3954): learns templates and options
 * templates per (exporter, source id), decodes data FlowSets (or holds them until their
 * template arrives), and reports malformed FlowSets with their offsets.
 */
export function decodeNetflowV9(session: ExportSession, m: MessageSource, o: number, end: number): void {
  const { dv } = m;
  // Header: version, count, sysUptime, unix_secs, package sequence, source id.
  const sysUptime = dv.getUint32(o + 4);
  const unixSecs = dv.getUint32(o + 8);
  const sourceId = dv.getUint32(o + 16);
  const h: ExportHeader = {
    version: 9, exportUs: unixSecs * 1e6, sysUptimeMs: sysUptime, sourceId, exporter: m.exporter,
    domainKey: `${m.exporterKey}/${sourceId}`, packetPos: m.packetPos,
  };
  session.message(h);
  walkSets(session, m, h, o + V9_HEADER_LENGTH, end, {
    setName: 'FlowSet',
    messageName: 'packet',
    templateSet: (id, body, setEnd) => {
      if (id === 0) templateFlowSet(session, m, h, body, setEnd);
      else if (id === 1) optionsFlowSet(session, m, h, body, setEnd);
      else return false;
      return true;
    },
  });
}

/** RFC 3954 §5.2 template FlowSet: {template id, field count, (type, length)*}. */
function templateFlowSet(session: ExportSession, m: MessageSource, h: ExportHeader, p: number, end: number): void {
  const dv = m.dv;
  const d = session.cache.domain(h.domainKey);
  const at = (x: number) => positionOf(m, x);
  while (end - p >= 4) {
    const tid = dv.getUint16(p);
    const count = dv.getUint16(p + 2);
    if (tid < 256 || count === 0) {
      if (tid !== 0 || count !== 0) session.sink.note({ code: 'bad-template', offset: at(p), message: `template id ${tid} with ${count} fields; rest of the FlowSet skipped` });
      return; // zero words: padding
    }
    if (p + 4 + count * 4 > end) {
      session.sink.reject({ code: 'truncated-template', offset: at(p), length: end - p, message: `template ${tid} declares ${count} fields past the end of its FlowSet` });
      return;
    }
    const fields: TemplateField[] = [];
    for (let i = 0, q = p + 4; i < count; i++, q += 4) fields.push({ id: dv.getUint16(q), pen: 0, len: dv.getUint16(q + 2) });
    session.learn(h, d, compileTemplate(tid, fields, false, 0), at(p));
    p += 4 + count * 4;
  }
}

/**
 * RFC 3954 §6.1 options template FlowSet: {template id, option scope length, option
 * length, scope (type, length)*, option (type, length)*}, padded to 4 bytes at the end.
 */
function optionsFlowSet(session: ExportSession, m: MessageSource, h: ExportHeader, p: number, end: number): void {
  const dv = m.dv;
  const d = session.cache.domain(h.domainKey);
  const at = (x: number) => positionOf(m, x);
  while (end - p >= 6) {
    const tid = dv.getUint16(p);
    const scopeLen = dv.getUint16(p + 2);
    const optLen = dv.getUint16(p + 4);
    if (tid === 0 && scopeLen === 0 && optLen === 0) return; // padding
    if (tid < 256 || scopeLen % 4 !== 0 || optLen % 4 !== 0 || scopeLen + optLen === 0) {
      session.sink.note({ code: 'bad-template', offset: at(p), message: `options template ${tid} (scope ${scopeLen} B, options ${optLen} B) is malformed; rest of the FlowSet skipped` });
      return;
    }
    if (p + 6 + scopeLen + optLen > end) {
      session.sink.reject({ code: 'truncated-template', offset: at(p), length: end - p, message: `options template ${tid} runs past the end of its FlowSet` });
      return;
    }
    const fields: TemplateField[] = [];
    const scopeCount = scopeLen / 4;
    const n = scopeCount + optLen / 4;
    for (let i = 0, q = p + 6; i < n; i++, q += 4) fields.push({ id: dv.getUint16(q), pen: 0, len: dv.getUint16(q + 2) });
    session.learn(h, d, compileTemplate(tid, fields, true, scopeCount, scopeCount), at(p));
    p += 6 + scopeLen + optLen;
  }
}
