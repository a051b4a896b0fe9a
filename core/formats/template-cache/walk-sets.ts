import type { ExportHeader } from './export-header';
import type { ExportSession } from './export-session';
import { positionOf, type MessageSource } from './message-source';

/** How one protocol names and routes its sets. */
export interface SetWalk {
  /** 'FlowSet' (NetFlow v9) or 'set' (IPFIX), for messages. */
  readonly setName: string;
  /** 'packet' (NetFlow v9) or 'message' (IPFIX), for messages. */
  readonly messageName: string;
  /** Reads a template or options template set; false when `id` is not one (then it is reserved). */
  templateSet(id: number, body: number, setEnd: number): boolean;
}

/**
 * Walks the sets of one NetFlow v9 packet or IPFIX message, which share their framing
 * (RFC 3954 §5.1 FlowSet, RFC 7011 §3.3.2 set header): {id u16, length u16 counting the
 * 4-byte header}. Data sets (id >= 256) go to the session, template sets to `walk`, other
 * ids are noted as reserved. A length below 4 ends the walk (noted); a set longer than
 * what is left is rejected as truncated and read up to the end of the message.
 * Returns the offset where the walk stopped.
 */
export function walkSets(session: ExportSession, m: MessageSource, h: ExportHeader, p: number, end: number, walk: SetWalk): number {
  const { dv } = m;
  const sink = session.sink;
  const d = session.cache.domain(h.domainKey);
  while (end - p >= 4) {
    const id = dv.getUint16(p);
    let len = dv.getUint16(p + 2);
    if (len < 4) {
      sink.note({ code: 'bad-set-length', offset: positionOf(m, p), message: `${walk.setName} ${id} has length ${len}; rest of the ${walk.messageName} skipped` });
      return end;
    }
    if (p + len > end) {
      sink.reject({ code: 'truncated-set', offset: positionOf(m, p), length: end - p, message: `${walk.setName} ${id} declares ${len} bytes, ${end - p} left in the ${walk.messageName}` });
      len = end - p;
    }
    const setEnd = p + len;
    if (id >= 256) session.dataSet(h, d, id, m.buf, dv, p + 4, setEnd, m.base);
    else if (!walk.templateSet(id, p + 4, setEnd)) {
      sink.note({ code: 'reserved-set-id', offset: positionOf(m, p), length: len, message: `${walk.setName} id ${id} is reserved; skipped` });
    }
    p = setEnd;
  }
  return p;
}
