import { join } from 'node:path';
import { CaseStore } from '../../../../core/store/case-store';
import { FlowBatch, type FlowInput } from '../../../../core/model/flow-batch';
import { parseIp } from '../../../../core/model/ip';
import { FlowChunkWriter } from '../../../../core/store/flow-chunk-writer';
import { tempDir } from '../../../helpers/temp';

/** TCP flag bits as NetFlow/IPFIX carry them (RFC 793 order). */
export const F = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

/** A flow written in test shorthand: addresses as text, times in seconds. */
export interface TestFlow {
  src: string;
  dst: string;
  sp: number;
  dp: number;
  proto?: number;
  t0: number;
  t1?: number;
  pkts?: number;
  bytes?: number;
  flags?: number;
  revPkts?: number;
  revBytes?: number;
  revFlags?: number;
  exporter?: string;
  state?: string;
  history?: string;
  payload?: number;
  revPayload?: number;
}

/** A case file in a temp dir, with helpers to add evidence rows and flows directly. */
export class SyntheticCase {
  private nextFlowId = 1;
  private constructor(readonly store: CaseStore, private readonly cleanup: () => void) {}

  static async create(): Promise<SyntheticCase> {
    const tmp = tempDir('flowcase-sessions-');
    const store = await CaseStore.open(join(tmp.dir, 'case.duckdb'));
    return new SyntheticCase(store, tmp.cleanup);
  }

  /** Adds one evidence file of the given format holding these flows; returns its id. */
  async addEvidence(format: string, flows: TestFlow[], name = `${format}-${this.nextFlowId}`): Promise<number> {
    const id = Number(await this.store.value(`SELECT (coalesce(max(evidence_id), 0) + 1)::INTEGER FROM evidence`));
    const batch = new FlowBatch(Math.max(1, flows.length));
    flows.forEach((f, i) => batch.push(toInput(f, i + 1)));
    batch.stamp(id, this.nextFlowId);
    this.nextFlowId += flows.length;
    const writer = await FlowChunkWriter.open(this.store.connection);
    writer.write(batch);
    writer.flush();
    writer.close();
    await this.store.run(
      `INSERT INTO evidence (evidence_id, path, name, size, sha256, format, position_unit, imported_at_us, tool_version, records, rejected)
       VALUES ($id, $name, $name, 0, $sha, $format, 'line', 0, 'test', $n, 0)`,
      { id, name, sha: `sha-${id}`, format, n: BigInt(flows.length) },
    );
    return id;
  }

  close(): void {
    this.store.close();
    this.cleanup();
  }
}

function toInput(f: TestFlow, pos: number): FlowInput {
  const ip = (s: string) => {
    const v = parseIp(s);
    if (v === null) throw new Error(`bad test address ${s}`);
    return v;
  };
  const us = (s: number) => Math.round(s * 1e6);
  return {
    pos, startUs: us(f.t0), endUs: us(f.t1 ?? f.t0), proto: f.proto ?? 6, src: ip(f.src), dst: ip(f.dst),
    srcPort: f.sp, dstPort: f.dp, packets: f.pkts ?? 1, bytes: f.bytes ?? 60 * (f.pkts ?? 1),
    revPackets: f.revPkts, revBytes: f.revBytes ?? (f.revPkts !== undefined ? 60 * f.revPkts : undefined),
    tcpFlags: f.flags, revTcpFlags: f.revFlags, exporter: f.exporter ? ip(f.exporter) : undefined,
    state: f.state, history: f.history, payloadBytes: f.payload, revPayloadBytes: f.revPayload,
  };
}
