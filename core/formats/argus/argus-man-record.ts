import * as W from './argus-layout';

/** What a management record (MAR) says about the probe and the capture. */
export interface ArgusManRecord {
  readonly cause: number;
  readonly argusId: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  /** ArgusMarStruct.startime and .now, UTC microseconds. */
  readonly startUs: number;
  readonly nowUs: number;
  readonly localnet: number;
  readonly netmask: number;
  /** Status (flow) report interval and management record interval, seconds. */
  readonly reportInterval: number;
  readonly mrInterval: number;
  readonly pktsRcvd: number;
  readonly bytesRcvd: number;
  readonly records: number;
  readonly flows: number;
  readonly dropped: number;
}

/**
 * Reads `struct ArgusMarStruct` (argus_out.h, 3.0.8): after the 4-byte record header,
 * status, argusid, localnet, netmask, nextMrSequenceNum (5 x u32), startime and now
 * (2 x {sec, usec}), major/minor version, interfaceType/Status (4 x u8), reportInterval,
 * argusMrInterval (2 x u16), pktsRcvd, bytesRcvd, drift (3 x u64), records, flows,
 * dropped, queue, output, clients, bufs, bytes (8 x u32), ... 128 bytes in all.
 * `at` is the offset of the record header; the caller made 128 bytes available.
 */
export function parseArgusMan(buf: Uint8Array, dv: DataView, at: number): ArgusManRecord {
  const time = (o: number): number => dv.getUint32(at + o) * 1e6 + dv.getUint32(at + o + 4);
  return {
    cause: buf[at + 1],
    argusId: dv.getUint32(at + 8),
    localnet: dv.getUint32(at + 12),
    netmask: dv.getUint32(at + 16),
    startUs: time(24),
    nowUs: time(32),
    majorVersion: buf[at + 40],
    minorVersion: buf[at + 41],
    reportInterval: dv.getUint16(at + 44),
    mrInterval: dv.getUint16(at + 46),
    pktsRcvd: Number(dv.getBigUint64(at + 48)),
    bytesRcvd: Number(dv.getBigUint64(at + 56)),
    records: dv.getUint32(at + 72),
    flows: dv.getUint32(at + 76),
    dropped: dv.getUint32(at + 80),
  };
}

/** ra's State for a management record (ArgusGetManStatus). */
export function argusManState(cause: number): string {
  switch (cause & 0xf0) {
    case W.CAUSE_START: return 'STA';
    case W.CAUSE_STATUS: return 'CON';
    case W.CAUSE_STOP: return 'STP';
    case W.CAUSE_SHUTDOWN: return 'SHT';
    case W.CAUSE_ERROR: return 'ERR';
    default: return 'UNK';
  }
}
