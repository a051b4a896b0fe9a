import type { Ip } from '../../model/ip';

/** What a data record needs from the message that carried it. */
export interface ExportHeader {
  readonly version: 5 | 9 | 10;
  /** Export time, UTC µs (v5: unix_secs + unix_nsecs; v9: unix_secs; IPFIX: export time). */
  readonly exportUs: number;
  /** v5/v9 header sysUptime in ms; NaN for IPFIX. */
  readonly sysUptimeMs: number;
  /** v9 source id / IPFIX observation domain id. */
  readonly sourceId: number;
  readonly exporter: Ip | undefined;
  /** `<exporter>/<source id>`: the template scope. */
  readonly domainKey: string;
  /**
   * File offset every record of this message is reported at (the capture packet that
   * carried it); -1 = report each record's own byte offset (raw datagram files).
   */
  readonly packetPos: number;
}
