import type { DecodeIssue, FlowSink } from '../../core/formats/decoder';
import type { FlowInput } from '../../core/model/flow-batch';
import type { NameRecord } from '../../core/model/name-record';

/** A FlowSink that keeps everything in memory, for decoder tests without a database. */
export class RecordingSink implements FlowSink {
  readonly flows: FlowInput[] = [];
  readonly rejects: DecodeIssue[] = [];
  readonly notes: DecodeIssue[] = [];
  readonly counts: Record<string, number> = {};
  readonly facts: Record<string, unknown> = {};
  readonly skipped: Record<string, number> = {};
  aborted = false;

  flow(record: FlowInput): void {
    this.flows.push({ ...record });
  }
  reject(issue: DecodeIssue): void {
    this.rejects.push(issue);
  }
  note(issue: DecodeIssue): void {
    this.notes.push(issue);
  }
  count(what: string, n = 1): void {
    this.counts[what] = (this.counts[what] ?? 0) + n;
  }
  skip(reason: string, n = 1): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + n;
  }
  fact(key: string, value: unknown): void {
    this.facts[key] = value;
  }
  yield(): void {}
}

/** A RecordingSink that also keeps the names a decoder reports (DNS, SNI, HTTP Host). */
export class NameRecordingSink extends RecordingSink {
  readonly names: NameRecord[] = [];
  name(r: NameRecord): void {
    this.names.push(r);
  }
}
