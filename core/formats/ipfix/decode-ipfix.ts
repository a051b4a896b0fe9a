import { compileTemplate, type TemplateField } from '../template-cache/compile-template';
import type { ExportHeader } from '../template-cache/export-header';
import type { ExportSession } from '../template-cache/export-session';
import { positionOf, type MessageSource } from '../template-cache/message-source';
import { walkSets } from '../template-cache/walk-sets';
import { IPFIX_HEADER_LENGTH, validSetId } from './ipfix-layout';

/**
 * Length of the IPFIX message at o from its header, or -1 when the header is implausible:
 * version 10, length >= 16 and, when `strict` (sniffing, resynchronising), a first set
 * with a valid id and a length inside the message.
 * May exceed end (the caller decides whether to wait or report it truncated).
 */
export function ipfixLength(dv: DataView, o: number, end: number, strict = true): number {
  if (end - o < IPFIX_HEADER_LENGTH || dv.getUint16(o) !== 10) return -1;
  const len = dv.getUint16(o + 2);
  if (len < IPFIX_HEADER_LENGTH) return -1;
  if (strict && len >= IPFIX_HEADER_LENGTH + 4 && end - o >= IPFIX_HEADER_LENGTH + 4) {
    const id = dv.getUint16(o + 16);
    const setLen = dv.getUint16(o + 18);
    if (!validSetId(id) || setLen < 4 || setLen > len - IPFIX_HEADER_LENGTH) return -1;
  }
  return len;
}

/**
 * Decodes one IPFIX message at buf[o, end) (RFC 7011): templates and options templates
 * (with withdrawal and redefinition) per (exporter, observation domain), data sets with
 * variable-length fields, enterprise elements and padding; malformed sets are reported
 * with their offsets and the rest of the message is skipped.
 */
export function decodeIpfix(session: ExportSession, m: MessageSource, o: number, end: number): void {
  const { dv } = m;
  const exportSecs = dv.getUint32(o + 4);
  const domainId = dv.getUint32(o + 12);
  const h: ExportHeader = {
    version: 10, exportUs: exportSecs * 1e6, sysUptimeMs: NaN, sourceId: domainId, exporter: m.exporter,
    domainKey: `${m.exporterKey}/${domainId}`, packetPos: m.packetPos,
  };
  session.message(h);
  const p = walkSets(session, m, h, o + IPFIX_HEADER_LENGTH, end, {
    setName: 'set',
    messageName: 'message',
    templateSet: (id, body, setEnd) => {
      if (id !== 2 && id !== 3) return false;
      templateSet(session, m, h, id === 3, body, setEnd);
      return true;
    },
  });
  if (p < end) session.sink.note({ code: 'trailing-bytes', offset: positionOf(m, p), length: end - p, message: `${end - p} bytes after the last set` });
}

/**
 * RFC 7011 §3.4.1 template record {id, field count, specifiers} and §3.4.2 options
 * template record {id, field count, scope field count, specifiers}; a specifier is
 * {element id (bit 15 = enterprise), length[, enterprise number]} (§3.2).
 * Field count 0 withdraws the template (§8.1); id 2/3 withdraws all of that kind.
 */
function templateSet(session: ExportSession, m: MessageSource, h: ExportHeader, options: boolean, p: number, end: number): void {
  const dv = m.dv;
  const d = session.cache.domain(h.domainKey);
  const at = (x: number) => positionOf(m, x);
  const head = options ? 6 : 4;
  while (end - p >= 4) {
    const tid = dv.getUint16(p);
    const count = dv.getUint16(p + 2);
    if (count === 0) {
      if (tid === 0) return; // padding
      if (tid === (options ? 3 : 2)) session.withdraw(d, tid, true, options);
      else if (tid >= 256) session.withdraw(d, tid, false, options);
      else session.sink.note({ code: 'bad-template', offset: at(p), message: `withdrawal of template id ${tid}` });
      p += 4;
      continue;
    }
    if (end - p < head) {
      session.sink.reject({ code: 'truncated-template', offset: at(p), length: end - p, message: `template ${tid} header runs past its set` });
      return;
    }
    const scopeCount = options ? dv.getUint16(p + 4) : 0;
    if (tid < 256 || (options && (scopeCount === 0 || scopeCount > count))) {
      session.sink.note({ code: 'bad-template', offset: at(p), message: `template id ${tid} (${count} fields, scope ${scopeCount}) is malformed; rest of the set skipped` });
      return;
    }
    const fields: TemplateField[] = [];
    let q = p + head;
    for (let i = 0; i < count; i++) {
      if (q + 4 > end) break;
      const raw = dv.getUint16(q);
      const len = dv.getUint16(q + 2);
      q += 4;
      let pen = 0;
      if (raw & 0x8000) {
        if (q + 4 > end) { q = end + 1; break; }
        pen = dv.getUint32(q);
        q += 4;
      }
      fields.push({ id: raw & 0x7fff, pen, len });
    }
    if (fields.length < count || q > end) {
      session.sink.reject({ code: 'truncated-template', offset: at(p), length: end - p, message: `template ${tid} declares ${count} fields past the end of its set` });
      return;
    }
    session.learn(h, d, compileTemplate(tid, fields, options, scopeCount), at(p));
    p = q;
  }
}
