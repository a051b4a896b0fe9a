import type { FlowSink } from '../decoder';
import type { Ip } from '../../model/ip';
import { isZeroIp } from './nfcapd-read';

/** An exporter as an ExporterInfoRecord (exporter.h `exporter_info_record_t`) describes it. */
export interface NfExporter {
  readonly sysid: number;
  readonly ip: Ip;
  /** NetFlow version (5, 9, 10) or 9999 for sFlow. */
  readonly version: number;
  /** Exporter/observation domain id assigned by the device. */
  readonly id: number;
}

/** What one nfcapd decode run carries between blocks. */
export class NfcapdState {
  readonly exporters = new Map<number, NfExporter>();
  /** v1 extension maps (nfx.h `extension_map_t`): map id -> extension ids in record order. */
  readonly maps = new Map<number, number[]>();
  /** Totals of what was decoded, checked against the file's own stat record. */
  flows = 0;
  packets = 0;
  bytes = 0;
  /** Element/extension ids already reported as unknown (reported once each). */
  readonly unknown = new Set<string>();
  samplers: Record<string, unknown>[] = [];
  ident: string | undefined;
  stat: { flows: number; bytes: number; packets: number; firstMs?: number; lastMs?: number } | undefined;

  private lastSysid = -1;
  private lastIp: Ip | undefined;

  constructor(readonly sink: FlowSink) {}

  /** The exporter address for a sysid (cached: consecutive records share their exporter). */
  exporterIp(sysid: number): Ip | undefined {
    if (sysid !== this.lastSysid) {
      this.lastSysid = sysid;
      this.lastIp = this.exporters.get(sysid)?.ip;
    }
    return this.lastIp;
  }

  /**
   * A record's exporter: the one its sysid names, else the address it was received from
   * (EXipReceived) when that is set.
   */
  recordExporter(sysid: number, received: Ip | undefined): Ip | undefined {
    const ip = this.exporterIp(sysid);
    return ip === undefined && received !== undefined && !isZeroIp(received) ? received : ip;
  }

  /** Adds a decoded record to the totals that the file's stat record is checked against. */
  countRecord(packets: number, bytes: number, revPackets = 0, revBytes = 0): void {
    this.flows++;
    this.packets += packets + revPackets;
    this.bytes += bytes + revBytes;
  }

  /** Records an exporter and drops the lookup cache. */
  addExporter(e: NfExporter): void {
    this.exporters.set(e.sysid, e);
    this.lastSysid = -1;
  }

  noteOnce(key: string, offset: number, message: string): void {
    if (this.unknown.has(key)) return;
    this.unknown.add(key);
    this.sink.note({ code: 'unknown-element', offset, message });
  }
}
