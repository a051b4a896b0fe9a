import type { DecodeContext, DecodeFailure } from '../decoder';
import { forEachLine, rejectLine } from '../common/line-reader';
import { ConnMapper, JsonConnSource, type ConnSource, type ZeekRecord } from './conn-to-flow';
import { TsvConnSource } from './tsv-conn-source';
import { ZeekTsvHeader } from './zeek-tsv-header';

const REQUIRED = ['id.orig_h', 'id.resp_h'] as const;
/** conn, open_conn, and the variants plugins write (conn_long, conn-summary...). */
const CONN_PATH = /^(open_)?conn/;

/** Other Zeek logs (dns, http...) also have id.orig_h, but their records are not connections. */
function notConn(path: string, line: number): DecodeFailure {
  return { code: 'not-conn-log', offset: line, message: `this is Zeek's ${path} log, not conn.log: its records are not connections` };
}

/**
 * Reads a Zeek conn.log (or open_conn.log) in either writer format, line by line:
 * ASCII/TSV with `#` header blocks (several per file allowed), zeek-cut output with a bare
 * field-name line, or JSON lines (one object per line, `id.orig_h` keys or a nested `id`).
 * Records map to flows through ConnMapper; a bad line is rejected with its line number.
 */
export async function decodeZeekConn(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { sink } = ctx;
  const header = new ZeekTsvHeader();
  const mapper = new ConnMapper(sink);
  let headerBlocks = 0;
  let sawOpen = false;
  let sawClose = false;
  let jsonLines = 0;
  let tsvLines = 0;
  let pathNoted = false;
  let missingNoted = false;
  let tsv: TsvConnSource | null = null;

  const failure = await forEachLine(ctx, (no, raw) => {
    if (raw.length === 0) return;
    let line = raw;
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) {
      const trimmed = line.trimStart();
      if (trimmed.length === 0) return;
      if (trimmed.charCodeAt(0) === 35 || trimmed.charCodeAt(0) === 123) {
        // A stray blank before a header or JSON line: read past it, but say so.
        sink.note({ code: 'leading-whitespace', offset: no, message: `line ${no} starts with whitespace before '${trimmed[0]}'; ignored` });
        line = trimmed;
      }
    }
    if (line.startsWith('###')) {
      if (line.includes('BTest baseline')) sink.fact('btestBaseline', true);
      return;
    }
    let rec: ConnSource;
    if (line.charCodeAt(0) === 123) {
      jsonLines++;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (err) {
        return rejectLine(sink, no, { code: 'bad-json', message: `not a JSON object (${(err as Error).message})` });
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return rejectLine(sink, no, { code: 'bad-json', message: 'not a JSON object' });
      const flat = flattenId(obj as ZeekRecord);
      if (!pathNoted && typeof flat._path === 'string') {
        pathNoted = true;
        sink.fact('zeekPath', flat._path);
        if (!CONN_PATH.test(flat._path)) return notConn(flat._path, no);
      }
      rec = new JsonConnSource(flat);
    } else if (line.charCodeAt(0) === 35) {
      const d = header.apply(line);
      if (d?.name === 'fields') {
        headerBlocks++;
        const missing = REQUIRED.filter((f) => !header.fields!.includes(f));
        if (missing.length) return { code: 'missing-columns', offset: no, message: `#fields lacks ${missing.join(', ')}; not a connection log Flowcase can read` };
      } else if (d?.name === 'open') {
        if (!sawOpen) sink.fact('zeekOpen', d.value);
        sawOpen = true;
        sawClose = false;
      } else if (d?.name === 'close') {
        sink.fact('zeekClose', d.value);
        sawClose = true;
      } else if (d?.name === 'path' && !pathNoted) {
        pathNoted = true;
        sink.fact('zeekPath', d.value);
        if (!CONN_PATH.test(d.value)) return notConn(d.value, no);
      }
      return;
    } else {
      tsvLines++;
      const values = line.split(header.separator);
      if (tsv === null || tsv.fields !== header.fields || tsv.version !== header.version) {
        if (header.fields !== null) tsv = new TsvConnSource(header, header.fields);
      }
      if (header.fields === null) {
        // zeek-cut output keeps the field names as a bare first line and no types.
        if (values.some((v) => v === 'uid' || v === 'id.orig_h' || v === 'ts')) {
          header.fields = values;
          header.types = null;
          headerBlocks++;
          sink.fact('zeekCut', true);
          const missing = REQUIRED.filter((f) => !values.includes(f));
          if (missing.length) return { code: 'missing-columns', offset: no, message: `the header line lacks ${missing.join(', ')}; not a connection log Flowcase can read` };
          return;
        }
        return { code: 'no-header', offset: no, message: 'data before any #fields header line; not a Zeek log Flowcase can read' };
      }
      const fields = header.fields;
      if (values.length !== fields.length) return rejectLine(sink, no, { code: 'bad-column-count', message: `${values.length} fields, the #fields header names ${fields.length}` });
      tsv!.values = values;
      rec = tsv!;
      if (!missingNoted) {
        missingNoted = true;
        const absent = ['ts', 'proto', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes'].filter((f) => !fields.includes(f));
        if (absent.length) sink.note({ code: 'missing-columns', offset: no, message: `no ${absent.join(', ')} column(s): stored as 0 / NULL` });
      }
    }
    const out = mapper.toFlow(rec, no);
    if ('code' in out) rejectLine(sink, no, out);
    else sink.flow(out);
  });
  if (failure || sink.aborted) return failure;
  if (mapper.maskedTimestamps > 0) {
    sink.count('masked-timestamps', mapper.maskedTimestamps);
    sink.fact('timestampsMasked', true);
    sink.note({ code: 'masked-timestamps', offset: 0, message: `${mapper.maskedTimestamps} record(s) have btest-masked timestamps (XXXXXXXXXX.XXXXXX); imported at 1970-01-01T00:00:00Z + duration` });
  }
  if (sawOpen && !sawClose) sink.note({ code: 'no-close', offset: 0, message: 'the log has #open but no #close line: Zeek was still writing it (or it was cut)' });
  sink.fact('zeekFormat', jsonLines > 0 && tsvLines === 0 ? 'json' : tsvLines > 0 && jsonLines === 0 ? 'tsv' : jsonLines ? 'mixed' : 'empty');
  if (headerBlocks > 1) sink.fact('headerBlocks', headerBlocks);
}

/** Accepts `{"id":{"orig_h":...}}` (some shippers nest it) as well as Zeek's own flat `id.orig_h`. */
function flattenId(obj: ZeekRecord): ZeekRecord {
  const id = obj.id;
  if (typeof id === 'object' && id !== null && !Array.isArray(id)) {
    for (const [k, v] of Object.entries(id)) obj[`id.${k}`] = v;
    delete obj.id;
  }
  return obj;
}
