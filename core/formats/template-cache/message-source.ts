import type { Ip } from '../../model/ip';

/** The buffer an export message is read from, and where it came from. */
export interface MessageSource {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  /** File offset of buf[0] (raw files); record positions are base + index. */
  readonly base: number;
  /** UDP source address of the export packet; undefined for raw datagram files. */
  readonly exporter: Ip | undefined;
  /** Text key of the exporter ('-' when unknown): part of the template scope. */
  readonly exporterKey: string;
  /** File offset of the capture packet carrying the message, or -1 for raw files. */
  readonly packetPos: number;
}

/** Where an issue or record at buf[x] is reported: the carrying packet, else its own file offset. */
export function positionOf(m: MessageSource, x: number): number {
  return m.packetPos >= 0 ? m.packetPos : m.base + x;
}
