import type { DecodeContext, DecodeFailure, FlowSink } from '../decoder';
import { forEachLine, rejectLine } from '../common/line-reader';
import { csvRowToFlow } from './csv-row-to-flow';
import { CsvRecordAssembler, headerColumns, separatorOption, setupCsv, type CsvSetup } from './csv-setup';
import { detectSeparator } from './csv-split';

/**
 * Reads a CSV (or `;` / TAB separated) flow export: nfdump `-o csv` and CICFlowMeter are
 * recognised from the header; anything else goes through a column mapping (decode option
 * `mapping`, see CsvMapping) or, failing that, a guess from the column names, which is noted.
 * Options: `mapping`, `preset` ('nfdump' | 'cicflowmeter'), `separator`, `hasHeader`,
 * `timeZone` (IANA, for times written without an offset; default UTC), `timeFormat`.
 */
export async function decodeCsv(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { sink, options } = ctx;
  // Declared with `as`: the line callback assigns them, which flow analysis cannot see.
  let assembler = null as CsvRecordAssembler | null;
  let setup = null as CsvSetup | null;
  let headerText: string | null = null;
  let summary = null as SummaryState | null;
  let flows = 0;
  let rejected = 0;
  let endNoted = false;
  const endBeforeStart = (line: number) => {
    sink.count('end-before-start');
    if (endNoted) return;
    endNoted = true;
    sink.note({ code: 'end-before-start', offset: line, message: `line ${line}: the end time is before the start time; such flows are stored with end = start and the written end in attrs.end_raw` });
  };
  const failure = await forEachLine(ctx, (no, text) => {
    if (summary) { summary.line(text); return; }
    if (!assembler) {
      if (text.trim() === '') return;
      const sep = separatorOption(options) ?? detectSeparator(text);
      assembler = new CsvRecordAssembler(sep);
      sink.fact('csvSeparator', sep === '\t' ? 'tab' : sep);
    }
    const rec = assembler.push(no, text);
    if (rec === null) return;
    if ('unterminated' in rec) {
      rejected++;
      rejectLine(sink, rec.no, { code: 'unterminated-quote', message: `a quoted field is not closed within ${CsvRecordAssembler.MAX_LINES} lines` });
      return;
    }
    if (!setup) {
      const { columns, isHeader } = headerColumns(rec.fields, options);
      const s = setupCsv(columns, options);
      if (typeof s === 'string') return { code: 'mapping-required', offset: rec.no, message: s };
      setup = s;
      recordSetup(sink, s, rec.no);
      if (isHeader) { headerText = text; return; }
    }
    if (rec.fields.length === 1 && rec.fields[0].trim() === '') return;
    if (setup.mapping.quirks.nfdumpSummary && (text === 'Summary' || text === 'No matching flows')) {
      if (text === 'Summary') summary = new SummaryState(sink, no, () => flows + rejected);
      else sink.fact('nfdumpNoMatchingFlows', true);
      return;
    }
    if (text === headerText) { sink.count('repeated-header-lines'); return; }
    const out = csvRowToFlow(rec.fields, setup.mapping, rec.no, setup.clock);
    if ('code' in out) {
      rejected++;
      rejectLine(sink, rec.no, out);
    } else {
      flows++;
      if (out.attrs?.end_raw !== undefined) endBeforeStart(rec.no);
      sink.flow(out);
    }
  });
  if (failure || sink.aborted) return failure;
  const open = assembler?.finish();
  if (open) sink.reject({ code: 'unterminated-quote', offset: open.no, message: `line ${open.no}: the file ends inside a quoted field` });
  summary?.finish();
  if (!setup) sink.note({ code: 'empty-file', offset: 0, message: 'no header line: the file is empty' });
}

function recordSetup(sink: FlowSink, s: CsvSetup, line: number): void {
  if (s.preset) sink.fact('csvPreset', s.preset);
  sink.fact('csvMapping', s.named);
  sink.fact('timeZone', s.clock.timeZone);
  if (s.mapping.quirks.bytesArePayload) sink.fact('bytesAre', 'transport-payload');
  if (s.guessed) {
    sink.note({ code: 'guessed-mapping', offset: line, message: `no preset fits; columns mapped by name: ${JSON.stringify(s.named)}` });
  }
}

/**
 * nfdump ends its CSV with `Summary`, a header `flows,bytes,packets,avg_bps,avg_pps,avg_bpp` and
 * one line of totals. The totals are kept as a fact and checked against the rows read.
 */
class SummaryState {
  private names: string[] | null = null;
  private done = false;

  constructor(private readonly sink: FlowSink, private readonly at: number, private readonly rows: () => number) {}

  line(text: string): void {
    if (this.done || text.trim() === '') return;
    const cells = text.split(',');
    if (!this.names) { this.names = cells; return; }
    const values: Record<string, number> = {};
    this.names.forEach((n, i) => { values[n] = Number(cells[i]); });
    this.sink.fact('nfdumpSummary', values);
    this.done = true;
    if (values.flows !== this.rows()) {
      this.sink.note({ code: 'summary-mismatch', offset: this.at, message: `nfdump's summary counts ${values.flows} flows, the file has ${this.rows()} rows` });
    }
  }

  finish(): void {
    if (!this.done) this.sink.note({ code: 'truncated-summary', offset: this.at, message: 'the nfdump Summary block is incomplete' });
  }
}
