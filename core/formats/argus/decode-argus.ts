import type { DecodeContext, DecodeFailure } from '../decoder';
import { keepArpOption } from '../format-options';
import { microsToIso } from '../../model/time';
import { ArgusFar } from './argus-far';
import { argusFarToFlow } from './argus-far-to-flow';
import { argusManState, parseArgusMan, type ArgusManRecord } from './argus-man-record';
import { canonicalizeArgusFar } from './canonicalize-argus-far';
import { parseArgusFar } from './parse-argus-far';
import * as W from './argus-layout';

const YIELD_EVERY = 4096;
/** Most distinct probe ids listed in the facts. */
const MAX_SOURCE_IDS = 16;

/** Whether a 4-byte ArgusRecordHeader at buf[at] is one this decoder can frame. */
function plausibleHeader(buf: Uint8Array, dv: DataView, at: number): boolean {
  const type = buf[at];
  const words = dv.getUint16(at + 2);
  if ((type & 0x0f) !== W.ARGUS_VERSION_3) return false;
  switch (type & 0xf0) {
    case W.REC_MAR: return words * 4 === W.MAR_BYTES;
    case W.REC_FAR: case W.REC_NETFLOW: case W.REC_AFLOW: case W.REC_EVENT: return words >= 2;
    case W.REC_INDEX: case W.REC_DATASUP: case W.REC_ARCHIVAL: return words >= 1;
    default: return false;
  }
}

/**
 * Streams an Argus 3.x file (`argus -w`): a 128-byte management record (MAR) first, then
 * flow records (FAR) made of DSRs, each record framed by its 4-byte ArgusRecordHeader
 * (argus_out.h). One flow row per FAR, exactly as `ra` lists them (status records of a
 * long flow stay separate rows); ARP records too (protocol ARP), unless `keepArp` is false.
 * MARs and records without an IP or ARP key (llc/layer-2, RARP) are counted and skipped by
 * kind (`sink.skip`: `man`, `llc`...); records the
 * decoder cannot read are rejected with their offset and skipped by their length.
 */
export async function decodeArgus(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { source: src, sink } = ctx;
  const keepArp = keepArpOption(ctx.options);
  if (!(await src.ensure(4))) return { code: 'empty-file', offset: 0, message: 'file is shorter than one Argus record header' };
  {
    const type = src.buf[src.pos];
    if ((type & 0xf0) !== W.REC_MAR) return { code: 'not-argus', offset: 0, message: 'file does not start with an Argus management record' };
    if (!(await src.ensure(W.MAR_BYTES))) return { code: 'truncated-record', offset: 0, message: 'file ends inside the initial Argus management record' };
    const cookie = src.dv.getUint32(src.pos + 8);
    if (cookie === W.ARGUS_V2_COOKIE) return { code: 'unsupported-version', offset: 0, message: 'Argus 2.x file: only the Argus 3 record format is supported (convert it with ra -w from argus-clients 3)' };
    if ((type & 0x0f) !== W.ARGUS_VERSION_3) {
      return { code: 'unsupported-version', offset: 0, message: `Argus record version ${type & 0x0f}: only version 3 records are supported` };
    }
  }

  sink.fact('byte-counting', 'link layer: Argus counts frame bytes including the link header (14 bytes for Ethernet); stored as Argus reports them');
  sink.fact('flow-model', 'Argus bidirectional flows; status records of one long flow are separate rows, as ra lists them');
  const far = new ArgusFar();
  const sourceIds = new Set<string>();
  let firstMan: ArgusManRecord | null = null;
  let lastMan: ArgusManRecord | null = null;
  let records = 0;

  for (;;) {
    if (sink.aborted) return;
    if (!(await src.ensure(4))) break;
    const offset = src.offset;
    let at = src.pos;
    if (!plausibleHeader(src.buf, src.dv, at)) {
      const skipped = await resync(ctx);
      sink.reject({ code: 'bad-record-header', offset, length: skipped, message: `no Argus 3 record header at offset ${offset}; skipped ${skipped} bytes to the next plausible header` });
      continue;
    }
    const type = src.buf[at];
    const cause = src.buf[at + 1];
    const len = src.dv.getUint16(at + 2) * 4;
    if (!(await src.ensure(len))) {
      const left = src.available;
      sink.reject({ code: 'truncated-record', offset, length: left, message: `file ends ${left} bytes into a ${len}-byte Argus record` });
      src.skip(left);
      break;
    }
    at = src.pos; // ensure() may have moved the window
    const buf = src.buf;
    const dv = src.dv;
    switch (type & 0xf0) {
      case W.REC_MAR: {
        sink.count('man-records');
        sink.skip('man');
        const man = parseArgusMan(buf, dv, at);
        if (!firstMan) firstMan = man;
        lastMan = man;
        break;
      }
      case W.REC_EVENT:
      case W.REC_INDEX:
      case W.REC_DATASUP:
      case W.REC_ARCHIVAL:
        // Records without flows (events, index, supplemental data): skipped by their length.
        sink.count(`${W.recordKindName(type)}-records`);
        sink.skip(W.recordKindName(type));
        break;
      default: {
        far.reset(cause);
        const err = parseArgusFar(buf, dv, at + 4, at + len, far);
        if (err) {
          sink.reject({ code: err, offset, length: len, message: `Argus flow record at offset ${offset}: ${err}` });
          break;
        }
        if (far.srcId && sourceIds.size < MAX_SOURCE_IDS) sourceIds.add(far.srcId);
        if (far.skippedDsrs) sink.count('argus-unknown-dsrs', far.skippedDsrs);
        canonicalizeArgusFar(far);
        const flow = argusFarToFlow(far, offset, keepArp);
        if (flow) sink.flow(flow);
        else if (!far.hasFlow) sink.reject({ code: 'no-flow-key', offset, length: len, message: `Argus flow record at offset ${offset} has no flow DSR` });
        else if (!far.hasTime && (far.family === 'ipv4' || far.family === 'ipv6')) {
          sink.reject({ code: 'no-time', offset, length: len, message: `Argus flow record at offset ${offset} has no time DSR` });
        } else {
          const what = nonIpCounter(far);
          sink.count(what);
          sink.skip(what.replace(/-records$/, ''));
        }
      }
    }
    src.skip(len);
    if (++records % YIELD_EVERY === 0) await sink.yield();
  }
  if (src.available > 0) {
    const left = src.available;
    sink.reject({ code: 'truncated-record', offset: src.offset, length: left, message: `${left} bytes after the last Argus record` });
    src.skip(left);
  }

  if (firstMan) {
    sink.fact('argus-version', `${firstMan.majorVersion}.${firstMan.minorVersion}`);
    sink.fact('argus-status-interval-s', firstMan.reportInterval);
    sink.fact('argus-man-interval-s', firstMan.mrInterval);
    sink.fact('argus-probe-started', microsToIso(firstMan.startUs));
    sink.fact('argus-first-man', `${argusManState(firstMan.cause)} ${microsToIso(firstMan.nowUs)}`);
  }
  if (lastMan && lastMan !== firstMan) {
    sink.fact('argus-last-man', `${argusManState(lastMan.cause)} ${microsToIso(lastMan.nowUs)}`);
    sink.fact('argus-packets-received', lastMan.pktsRcvd);
    sink.fact('argus-bytes-received', lastMan.bytesRcvd);
    sink.fact('argus-packets-dropped', lastMan.dropped);
  }
  if (sourceIds.size) sink.fact('argus-source-ids', [...sourceIds]);
}

/** Counter name for a record that has no IP flow key. */
function nonIpCounter(far: ArgusFar): string {
  switch (far.family) {
    case 'arp': return 'arp-records';
    case 'rarp': return 'rarp-records';
    case 'ether': return 'llc-records';
    default: return 'non-ip-records';
  }
}

/** Skips 4-byte words until a plausible record header (Argus records are word aligned); returns bytes skipped. */
async function resync(ctx: DecodeContext): Promise<number> {
  const src = ctx.source;
  let skipped = 0;
  for (;;) {
    src.skip(4);
    skipped += 4;
    if (!(await src.ensure(4))) {
      const left = src.available;
      src.skip(left);
      return skipped + left;
    }
    if (plausibleHeader(src.buf, src.dv, src.pos)) return skipped;
  }
}
