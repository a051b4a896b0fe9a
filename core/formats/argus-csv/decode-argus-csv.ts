import type { DecodeContext, DecodeFailure } from '../decoder';
import { keepArpOption } from '../format-options';
import { forEachLine, rejectLine } from '../common/line-reader';
import { mapArgusHeader, type ArgusColumns } from './argus-csv-layout';
import { argusCsvRowToFlow, type ArgusCsvContext } from './argus-csv-row';
import { argusTimeKind, parseZoneOffset } from './parse-argus-time';

const SEPARATORS = ['\t', ',', ';', '|'] as const;

/** The field separator of a header line: the one of ra's usual -c characters it uses most. */
export function detectSeparator(header: string): string | null {
  let best: string | null = null;
  let bestCount = 1; // a header of one column is not a table
  for (const sep of SEPARATORS) {
    const n = header.split(sep).length - 1;
    if (n > bestCount || (n === bestCount && n > 1 && best === null)) {
      best = sep;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Streams Argus CSV: `ra -c <sep>` output with any field selection, including CTU-13 /
 * Stratosphere `.binetflow` files. The header line names the columns (ra's labels or -s
 * names); rows are ra's records, one flow each. Options: `timeZone` ("UTC" default, or
 * "+01:00") for wall-clock times, `date` (YYYY-MM-DD) for time-of-day stamps, `keepArp`.
 */
export async function decodeArgusCsv(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { sink, options } = ctx;
  const zoneText = typeof options.timeZone === 'string' ? options.timeZone : 'UTC';
  const offsetUs = parseZoneOffset(zoneText);
  if (offsetUs === null) return { code: 'bad-option', offset: 0, message: `timeZone "${zoneText}" is not UTC or ±HH:MM` };
  let dayUs: number | null = null;
  if (typeof options.date === 'string') {
    const ms = Date.parse(`${options.date}T00:00:00Z`);
    if (Number.isNaN(ms)) return { code: 'bad-option', offset: 0, message: `date "${options.date}" is not YYYY-MM-DD` };
    dayUs = ms * 1000;
  }
  const rowCtx: ArgusCsvContext = { offsetUs, dayUs, keepArp: keepArpOption(options) };

  let cols = null as ArgusColumns | null;
  let sep = ',';
  let headerText = '';
  let splitUnknown = 0;
  let timeKindChecked = false;
  let lastStart = -Infinity;
  const failure = await forEachLine(ctx, (no, line) => {
    const text = cols === null ? line.replace(/^\uFEFF/, '') : line;
    if (text.trim() === '') return;
    if (cols === null) {
      const s = detectSeparator(text);
      if (s === null) {
        return { code: 'no-header', offset: no, message: `line ${no}: not an ra -c header line (space-aligned ra output cannot be split reliably; write it with ra -c ,)` };
      }
      cols = mapArgusHeader(text.split(s));
      if (cols === null) return { code: 'no-header', offset: no, message: `line ${no}: header does not name StartTime, SrcAddr and DstAddr` };
      sep = s;
      headerText = text;
      sink.fact('separator', sep === '\t' ? 'tab' : sep);
      sink.fact('columns', text.split(sep).map((c) => c.trim()));
      return;
    }
    if (text === headerText) return sink.count('header-lines');
    let fields = text.split(sep);
    if (fields.length > cols.count && cols.index.label === cols.count - 1) {
      // A label that contains the separator: the rest of the line is the label.
      fields = [...fields.slice(0, cols.count - 1), fields.slice(cols.count - 1).join(sep)];
    }
    if (fields.length !== cols.count) return rejectLine(sink, no, { code: 'bad-line', message: `${fields.length} fields, the header has ${cols.count}` });
    if (!timeKindChecked) {
      const kind = argusTimeKind(fields[cols.index.stime]);
      if (kind !== null) {
        timeKindChecked = true;
        if (kind === 'time-of-day' && dayUs === null) {
          return { code: 'no-date', offset: no, message: `line ${no}: times carry no date (ra's default %T.%f); import with the date option (YYYY-MM-DD)` };
        }
        sink.fact('time-format', kind === 'epoch' ? 'epoch seconds (UTC)' : `${kind}, read as ${zoneText}`);
      }
    }
    const r = argusCsvRowToFlow(fields, cols, no, rowCtx);
    if (r.kind === 'count') {
      // Records read but not stored (man, llc, ARP when not kept): counted by reason on the evidence.
      sink.count(r.what);
      return sink.skip(r.what.replace(/-records$/, ''));
    }
    if (r.kind === 'reject') return sink.reject({ code: r.code, offset: no, message: r.message });
    // A noted row is kept.
    if (r.kind === 'note') sink.note({ code: r.code, offset: no, message: r.message });
    const f = r.flow;
    if (r.pktsSplitUnknown) splitUnknown++;
    // Time-of-day stamps roll over to the next day when they jump back by half a day.
    if (dayUs !== null && f.startUs < lastStart - 43_200e6) {
      rowCtx.dayUs = (rowCtx.dayUs ?? 0) + 86_400e6;
      f.startUs += 86_400e6;
      f.endUs += 86_400e6;
    }
    lastStart = f.startUs;
    sink.flow(f);
  });
  if (failure || sink.aborted) return failure;
  if (cols === null) return { code: 'no-header', offset: 0, message: 'file has no header line' };
  if (splitUnknown) {
    sink.count('packets-split-unknown', splitUnknown);
    sink.fact('packets', 'the file has no SrcPkts/DstPkts: where the split is unknown, packets holds TotPkts and rev_packets is NULL (attrs.pkts = "total")');
  }
  sink.fact('byte-counting', 'link layer: Argus counts frame bytes including the link header; stored as the file reports them');
}
