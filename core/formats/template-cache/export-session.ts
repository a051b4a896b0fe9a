import type { FlowSink } from '../decoder';
import { formatIp, type Ip } from '../../model/ip';
import type { FlowInput } from '../../model/flow-batch';
import { readRecord, type CompiledTemplate } from './compile-template';
import type { ExportHeader } from './export-header';
import { RecordState } from './record-state';
import { recordToFlow, samplingOf, scratchFlow, type RecordTimeNotes } from './record-to-flow';
import { DEFAULT_CACHE_LIMITS, TemplateCache, type DomainState, type TemplateCacheLimits } from './template-cache';

interface ExporterFact {
  address: string | null;
  sourceId: number;
  versions: number[];
  datagrams: number;
}

interface TemplateFact {
  exporter: string | null;
  sourceId: number;
  id: number;
  fields: number;
  options: boolean;
}

interface SamplingFact {
  exporter: string | null;
  sourceId: number;
  samplerId: number | null;
  interval: number;
  source: string;
}

const MAX_FACT_ROWS = 256;

/**
 * State shared by every export message of one input (file or capture): the template
 * cache, held data sets, the record scratch state, counters and the facts for the
 * evidence row. The v5, v9 and IPFIX message decoders report into it.
 */
export class ExportSession {
  readonly cache: TemplateCache;
  readonly state = new RecordState();
  /** The flow handed to the sink, reused (FlowSink.flow copies what it keeps). */
  private readonly out = scratchFlow();
  datagrams = 0;
  records = 0;
  templates = 0;
  optionsRecords = 0;
  noAddressRecords = 0;
  private readonly exporters = new Map<string, ExporterFact>();
  private readonly templateFacts = new Map<string, TemplateFact>();
  private readonly samplingFacts = new Map<string, SamplingFact>();
  private readonly timeNotes: RecordTimeNotes = { uptimeWithoutInit: false, noTimes: false };
  private notedNoTimes = false;

  constructor(readonly sink: FlowSink, limits: TemplateCacheLimits = DEFAULT_CACHE_LIMITS) {
    this.cache = new TemplateCache(limits);
  }

  /** Records one message for the exporters fact. */
  message(h: ExportHeader): void {
    this.datagrams++;
    let e = this.exporters.get(h.domainKey);
    if (!e) {
      if (this.exporters.size >= MAX_FACT_ROWS) return;
      e = { address: addr(h.exporter), sourceId: h.sourceId, versions: [], datagrams: 0 };
      this.exporters.set(h.domainKey, e);
    }
    e.datagrams++;
    if (!e.versions.includes(h.version)) e.versions.push(h.version);
  }

  /** Learns a (data or options) template and decodes any data sets that waited for it. */
  learn(h: ExportHeader, d: DomainState, t: CompiledTemplate, offset: number): void {
    if (t.minLength === 0) {
      // A record of zero bytes would never advance: refuse such a template.
      this.sink.note({ code: 'bad-template', offset, message: `template ${t.id} has no bytes per record; ignored` });
      return;
    }
    const r = this.cache.learn(d, t);
    if (r === 'refused') {
      this.sink.note({ code: 'template-limit', offset, message: `more than ${this.cache.limits.maxTemplates} templates; template ${t.id} ignored` });
      return;
    }
    this.templates++;
    if (r === 'redefined') this.sink.note({ code: 'template-redefined', offset, message: `template ${t.id} of ${d.key} redefined` });
    const key = `${d.key}#${t.id}`;
    if (this.templateFacts.size < MAX_FACT_ROWS || this.templateFacts.has(key)) {
      this.templateFacts.set(key, { exporter: addr(h.exporter), sourceId: h.sourceId, id: t.id, fields: t.fields.length, options: t.options });
    }
    for (const p of this.cache.take(d.key, t.id)) {
      this.decodeSet(t, p.header, d, p.body, new DataView(p.body.buffer, p.body.byteOffset, p.body.byteLength), 0, p.body.length, p.base);
    }
  }

  withdraw(d: DomainState, id: number, all: boolean, options: boolean): void {
    if (all) this.cache.withdrawAll(d, options);
    else this.cache.withdraw(d, id);
  }

  /**
   * A data set: decoded now when its template is known, else held (bounded) until the
   * template arrives. `base` = file offset of buf[0].
   */
  dataSet(h: ExportHeader, d: DomainState, setId: number, buf: Uint8Array, dv: DataView, start: number, end: number, base: number): void {
    const t = d.templates.get(setId);
    if (t) {
      this.decodeSet(t, h, d, buf, dv, start, end, base);
      return;
    }
    const held = this.cache.hold({ domainKey: d.key, setId, body: buf.slice(start, end), base: h.packetPos >= 0 ? h.packetPos : base + start, header: h });
    if (!held) {
      this.sink.reject({
        code: 'unknown-template', offset: h.packetPos >= 0 ? h.packetPos : base + start, length: end - start,
        message: `data set for unknown template ${setId} of ${d.key} (hold queue full)`,
      });
    }
  }

  /** Decodes every record of a data set with its template. */
  decodeSet(t: CompiledTemplate, h: ExportHeader, d: DomainState, buf: Uint8Array, dv: DataView, start: number, end: number, base: number): void {
    const s = this.state;
    const sink = this.sink;
    const fixedPos = h.packetPos;
    let o = start;
    // RFC 7011 §3.3.1: what remains after the last record and is shorter than one record is padding.
    while (end - o >= t.minLength) {
      s.reset();
      const next = readRecord(t, s, dv, buf, o, end);
      if (next < 0) {
        sink.reject({ code: 'truncated-record', offset: fixedPos >= 0 ? fixedPos : base + o, length: end - o, message: `record of template ${t.id} runs past the end of its set` });
        return;
      }
      const pos = fixedPos >= 0 ? fixedPos : base + o;
      o = next;
      if (t.options) {
        this.optionsRecord(h, d, s);
        continue;
      }
      this.records++;
      const flow = this.out;
      if (!recordToFlow(s, d, h, pos, this.timeNotes, flow)) {
        this.noAddressRecords++;
        continue;
      }
      if (this.timeNotes.uptimeWithoutInit && !d.notedNoInitTime) {
        d.notedNoInitTime = true;
        sink.note({ code: 'uptime-without-init-time', offset: pos, message: `${d.key}: flowStart/EndSysUpTime without systemInitTimeMilliseconds; flow ends anchored at the export time` });
      }
      if (this.timeNotes.noTimes && !this.notedNoTimes) {
        this.notedNoTimes = true;
        sink.note({ code: 'no-flow-times', offset: pos, message: `template ${t.id} carries no time fields; the export time is used` });
      }
      this.timeNotes.uptimeWithoutInit = false;
      this.timeNotes.noTimes = false;
      sink.flow(flow);
    }
  }

  /** Options data: system init time and sampling configure the domain. */
  private optionsRecord(h: ExportHeader, d: DomainState, s: RecordState): void {
    this.optionsRecords++;
    if (s.systemInitMs > 0) d.systemInitMs = s.systemInitMs;
    const interval = samplingOf(s);
    if (interval > 0) {
      const id = s.samplerId >= 0 ? s.samplerId : -1;
      d.sampling.set(id, interval);
      this.samplingFact(h, id >= 0 ? id : null, interval, 'options');
    }
  }

  /** Notes a sampling rate for the evidence facts (v5 header or options records). */
  samplingFact(h: ExportHeader, samplerId: number | null, interval: number, source: string): void {
    const key = `${h.domainKey}#${samplerId}#${interval}`;
    if (this.samplingFacts.has(key) || this.samplingFacts.size >= MAX_FACT_ROWS) return;
    this.samplingFacts.set(key, { exporter: addr(h.exporter), sourceId: h.sourceId, samplerId, interval, source });
  }

  /** Emits a flow decoded outside the template path (NetFlow v5). */
  flow(f: FlowInput): void {
    this.records++;
    this.sink.flow(f);
  }

  /** Rejects what is still waiting for a template, then writes counters and facts. */
  finish(): void {
    for (const p of this.cache.drain()) {
      this.sink.reject({ code: 'unknown-template', offset: p.base, length: p.body.length, message: `data set for template ${p.setId} of ${p.domainKey}, which never arrived` });
    }
    const sink = this.sink;
    sink.count('datagrams', this.datagrams);
    sink.count('records', this.records);
    sink.count('templates', this.templates);
    sink.count('options-records', this.optionsRecords);
    if (this.noAddressRecords > 0) sink.count('records-without-addresses', this.noAddressRecords);
    sink.fact('exporters', [...this.exporters.values()]);
    sink.fact('templates', [...this.templateFacts.values()]);
    sink.fact('sampling', [...this.samplingFacts.values()]);
  }
}

function addr(ip: Ip | undefined): string | null {
  return ip === undefined ? null : formatIp(ip);
}
