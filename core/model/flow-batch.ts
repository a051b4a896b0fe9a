import { FLOW_COLUMNS, type FlowColumnKind, type FlowColumnName } from './flow-columns';
import type { Ip } from './ip';

/** One flow record as a decoder reports it. Optional fields left undefined are stored as NULL. */
export interface FlowInput {
  /** Byte offset or line number of the record in its evidence file. */
  pos: number;
  startUs: number;
  endUs: number;
  proto: number;
  src: Ip;
  dst: Ip;
  srcPort: number;
  dstPort: number;
  packets: number;
  bytes: number;
  revPackets?: number;
  revBytes?: number;
  tcpFlags?: number;
  revTcpFlags?: number;
  icmpType?: number;
  icmpCode?: number;
  tos?: number;
  inIf?: number;
  outIf?: number;
  srcAs?: number;
  dstAs?: number;
  exporter?: Ip;
  sampling?: number;
  payloadBytes?: number;
  revPayloadBytes?: number;
  missedBytes?: number;
  state?: string;
  history?: string;
  service?: string;
  uid?: string;
  label?: string;
  /** Packets with a bad TCP/UDP/ICMP checksum (captures). */
  badChecksums?: number;
  /** Time of the last packet of any kind, where it differs from what endUs means (pcap: Zeek's duration). */
  lastPacketUs?: number;
  /** Other source fields; stored as JSON. */
  attrs?: Record<string, unknown>;
}

export type NumericColumn = Float64Array | Uint32Array | Uint16Array | Uint8Array;

export interface BatchColumn {
  readonly name: FlowColumnName;
  readonly kind: FlowColumnKind;
  readonly nullable: boolean;
  /** Numeric values (f64 for 64-bit kinds, 4 words per row for ip); null for text. */
  readonly values: NumericColumn | null;
  readonly text: (string | null)[] | null;
  /** 1 = value present; only for nullable columns. */
  readonly valid: Uint8Array | null;
}

function arrayFor(kind: FlowColumnKind, capacity: number): NumericColumn | null {
  switch (kind) {
    case 'i64':
    case 'u64': return new Float64Array(capacity);
    case 'u32': return new Uint32Array(capacity);
    case 'u16': return new Uint16Array(capacity);
    case 'u8': return new Uint8Array(capacity);
    case 'ip': return new Uint32Array(capacity * 4);
    case 'text': return null;
  }
}

/**
 * A fixed-capacity columnar buffer of flows. Decoders fill it (push), the ingest
 * layer hands full batches to the store, which copies each column into DuckDB in one
 * call per 2048 rows. Columns are typed arrays so that no per-row object survives.
 */
export class FlowBatch {
  static readonly DEFAULT_CAPACITY = 16384;
  readonly capacity: number;
  length = 0;
  readonly columns: readonly BatchColumn[];
  private readonly byName: Map<FlowColumnName, BatchColumn>;

  constructor(capacity = FlowBatch.DEFAULT_CAPACITY) {
    this.capacity = capacity;
    this.columns = FLOW_COLUMNS.map((spec) => ({
      name: spec.name,
      kind: spec.kind,
      nullable: spec.nullable,
      values: arrayFor(spec.kind, capacity),
      text: spec.kind === 'text' ? new Array<string | null>(capacity).fill(null) : null,
      valid: spec.nullable ? new Uint8Array(capacity) : null,
    }));
    this.byName = new Map(this.columns.map((col) => [col.name, col]));
    this.evidenceId = this.num('evidence_id');
    this.flowId = this.num('flow_id');
  }

  private readonly evidenceId: NumericColumn;
  private readonly flowId: NumericColumn;

  column(name: FlowColumnName): BatchColumn {
    const col = this.byName.get(name);
    if (!col) throw new Error(`no flow column ${name}`);
    return col;
  }

  private num(name: FlowColumnName): NumericColumn {
    const v = this.column(name).values;
    if (!v) throw new Error(`${name} is not numeric`);
    return v;
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  clear(): void {
    for (const col of this.columns) {
      if (col.valid) col.valid.fill(0, 0, this.length);
      if (col.text) col.text.fill(null, 0, this.length);
    }
    this.length = 0;
  }

  /** Stamps ids on every row: flow ids are consecutive from firstFlowId. */
  stamp(evidenceId: number, firstFlowId: number): void {
    for (let i = 0; i < this.length; i++) {
      this.evidenceId[i] = evidenceId;
      this.flowId[i] = firstFlowId + i;
    }
  }

  /** Appends one record; the caller checks `full` first. Returns the row index. */
  push(r: FlowInput): number {
    const i = this.length++;
    const cols = this.columns;
    // Indices follow FLOW_COLUMNS; a unit test pins the order.
    (cols[2].values as Float64Array)[i] = r.pos;
    (cols[3].values as Float64Array)[i] = r.startUs;
    (cols[4].values as Float64Array)[i] = r.endUs;
    (cols[5].values as Uint8Array)[i] = r.proto;
    (cols[6].values as Uint8Array)[i] = typeof r.src === 'number' ? 4 : 6;
    writeIp(cols[7].values as Uint32Array, i, r.src);
    writeIp(cols[8].values as Uint32Array, i, r.dst);
    (cols[9].values as Uint16Array)[i] = r.srcPort;
    (cols[10].values as Uint16Array)[i] = r.dstPort;
    (cols[11].values as Float64Array)[i] = r.packets;
    (cols[12].values as Float64Array)[i] = r.bytes;
    setOpt(cols[13], i, r.revPackets);
    setOpt(cols[14], i, r.revBytes);
    setOpt(cols[15], i, r.tcpFlags);
    setOpt(cols[16], i, r.revTcpFlags);
    setOpt(cols[17], i, r.icmpType);
    setOpt(cols[18], i, r.icmpCode);
    setOpt(cols[19], i, r.tos);
    setOpt(cols[20], i, r.inIf);
    setOpt(cols[21], i, r.outIf);
    setOpt(cols[22], i, r.srcAs);
    setOpt(cols[23], i, r.dstAs);
    if (r.exporter !== undefined) {
      writeIp(cols[24].values as Uint32Array, i, r.exporter);
      (cols[24].valid as Uint8Array)[i] = 1;
    }
    setOpt(cols[25], i, r.sampling);
    setOpt(cols[26], i, r.payloadBytes);
    setOpt(cols[27], i, r.revPayloadBytes);
    setOpt(cols[28], i, r.missedBytes);
    setText(cols[29], i, r.state);
    setText(cols[30], i, r.history);
    setText(cols[31], i, r.service);
    setText(cols[32], i, r.uid);
    setText(cols[33], i, r.label);
    if (r.attrs !== undefined) setText(cols[34], i, JSON.stringify(r.attrs));
    setOpt(cols[35], i, r.badChecksums);
    setOpt(cols[36], i, r.lastPacketUs);
    return i;
  }
}

function setOpt(col: BatchColumn, i: number, v: number | undefined): void {
  if (v === undefined || v === null || Number.isNaN(v)) return;
  (col.values as NumericColumn)[i] = v;
  (col.valid as Uint8Array)[i] = 1;
}

function setText(col: BatchColumn, i: number, v: string | undefined): void {
  if (v === undefined || v === null) return;
  (col.text as (string | null)[])[i] = v;
  (col.valid as Uint8Array)[i] = 1;
}

function writeIp(words: Uint32Array, i: number, ip: Ip): void {
  const o = i * 4;
  if (typeof ip === 'number') {
    words[o] = 0;
    words[o + 1] = 0;
    words[o + 2] = 0xffff;
    words[o + 3] = ip;
  } else {
    words[o] = ip[0];
    words[o + 1] = ip[1];
    words[o + 2] = ip[2];
    words[o + 3] = ip[3];
  }
}
