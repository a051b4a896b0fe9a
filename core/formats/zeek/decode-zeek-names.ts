import type { DecodeContext, DecodeFailure } from '../decoder';
import { forEachLine, rejectLine } from '../common/line-reader';
import { ipToBigInt, parseIp } from '../../model/ip';
import type { NameSource } from '../../model/name-record';
import { zeekTime } from './conn-to-flow';
import { ZeekTsvHeader } from './zeek-tsv-header';

/** The Zeek logs that name addresses, and what each gives: the log path, the name source, and the fields read. */
export const ZEEK_NAME_LOGS = {
  dns: { source: 'dns', fields: ['ts', 'id.orig_h', 'query', 'answers'] },
  ssl: { source: 'sni', fields: ['ts', 'id.orig_h', 'id.resp_h', 'server_name'] },
  http: { source: 'http', fields: ['ts', 'id.orig_h', 'id.resp_h', 'host'] },
} as const satisfies Record<string, { source: NameSource; fields: readonly string[] }>;

export type ZeekNameLog = keyof typeof ZEEK_NAME_LOGS;

type Rec = Record<string, unknown>;

const hostName = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase().replace(/\.$/, '').replace(/:\d+$/, '');
  return s.length > 0 && s.length <= 253 && /^[\x21-\x7e]+$/.test(s) ? s : null;
};

/**
 * Reads a Zeek dns.log, ssl.log or http.log (TSV with `#` headers, or JSON lines) into the
 * case's names: DNS answers that are addresses (named by the query), the TLS server_name
 * (for id.resp_h), the HTTP Host and URI (for id.resp_h). These logs hold no connections:
 * their connections are in the conn.log imported beside them. A line with a bad address
 * or time is rejected with its line number; a record that names nothing (a DNS answer
 * without addresses, no SNI) is counted, not rejected.
 */
export function zeekNamesDecoder(kind: ZeekNameLog): (ctx: DecodeContext) => Promise<DecodeFailure | void> {
  const spec = ZEEK_NAME_LOGS[kind];
  return async (ctx) => {
    const { sink } = ctx;
    const header = new ZeekTsvHeader();
    let index: Map<string, number> | null = null;
    let names = 0;
    let records = 0;
    const failure = await forEachLine(ctx, (no, raw) => {
      const line = raw.trim();
      if (line.length === 0 || line.startsWith('###')) return;
      let rec: Rec;
      if (line.charCodeAt(0) === 123) {
        try {
          const obj = JSON.parse(line) as unknown;
          if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error('not an object');
          rec = obj as Rec;
          const id = rec.id as Rec | undefined;
          if (id && typeof id === 'object') for (const [k, v] of Object.entries(id)) rec[`id.${k}`] = v;
        } catch (err) {
          return rejectLine(sink, no, { code: 'bad-json', message: `not a JSON object (${(err as Error).message})` });
        }
      } else if (line.charCodeAt(0) === 35) {
        const d = header.apply(raw);
        if (d?.name === 'fields') {
          index = new Map(header.fields!.map((f, i) => [f, i]));
          const missing = spec.fields.filter((f) => !index!.has(f));
          if (missing.length) return { code: 'missing-columns', offset: no, message: `#fields lacks ${missing.join(', ')}; not a Zeek ${kind}.log Flowcase can read` };
        }
        return;
      } else {
        if (!index || !header.fields) return { code: 'no-header', offset: no, message: `data before any #fields header line; not a Zeek ${kind}.log Flowcase can read` };
        const values = raw.split(header.separator);
        if (values.length !== header.fields.length) return rejectLine(sink, no, { code: 'bad-column-count', message: `${values.length} fields, the #fields header names ${header.fields.length}` });
        rec = {};
        for (const f of spec.fields) {
          const i = index.get(f)!;
          rec[f] = header.value(values[i], header.typeOf(i));
        }
        if (kind === 'http' && index.has('uri')) rec.uri = header.value(values[index.get('uri')!], 'string');
        if (kind === 'dns' && index.has('rcode')) rec.rcode = header.value(values[index.get('rcode')!], 'count');
      }
      records++;
      const tsUs = zeekTime(rec.ts);
      if (tsUs === null) return rejectLine(sink, no, { code: 'bad-time', message: `ts '${String(rec.ts)}' is not a time` });
      const orig = parseIp(String(rec['id.orig_h'] ?? ''));
      if (orig === null) return rejectLine(sink, no, { code: 'bad-address', message: `id.orig_h '${String(rec['id.orig_h'])}' is not an IP address` });
      const client = ipToBigInt(orig);
      if (kind === 'dns') {
        const query = hostName(rec.query);
        const answers = Array.isArray(rec.answers) ? rec.answers : typeof rec.answers === 'string' ? rec.answers.split(',') : [];
        if (!query || (typeof rec.rcode === 'number' && rec.rcode !== 0)) return;
        for (const a of answers) {
          const ip = parseIp(String(a).trim());
          if (ip === null) continue;
          names++;
          sink.name?.({ tsUs, client, addr: ipToBigInt(ip), name: query, source: 'dns', pos: no });
        }
        return;
      }
      const resp = parseIp(String(rec['id.resp_h'] ?? ''));
      if (resp === null) return rejectLine(sink, no, { code: 'bad-address', message: `id.resp_h '${String(rec['id.resp_h'])}' is not an IP address` });
      const name = hostName(kind === 'ssl' ? rec.server_name : rec.host);
      if (!name) return;
      names++;
      const uri = kind === 'http' && typeof rec.uri === 'string' ? rec.uri.slice(0, 2048) : null;
      sink.name?.({ tsUs, client, addr: ipToBigInt(resp), name, source: spec.source, uri, pos: no });
    });
    if (failure || sink.aborted) return failure;
    sink.count(`${kind}-records`, records);
    sink.count('names', names);
    sink.fact('zeekPath', kind);
  };
}
