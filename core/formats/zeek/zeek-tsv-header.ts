/**
 * The state a Zeek ASCII (TSV) log header sets up: separators, unset/empty markers, field
 * names and types. Zeek's ASCII writer (logging/writers/ascii) writes these `#` lines at the
 * top of each file and again whenever a new header block starts.
 */
export class ZeekTsvHeader {
  separator = '\t';
  setSeparator = ',';
  emptyField = '(empty)';
  unsetField = '-';
  fields: string[] | null = null;
  types: string[] | null = null;
  path: string | null = null;
  /** Bumped whenever the fields or types change, so that readers built on them know to rebuild. */
  version = 0;

  /**
   * Applies one `#` directive line; returns its name (`fields`, `open`...) or null when the
   * line is not a directive. `#separator` is special: its value follows a space, as `\x09`.
   */
  apply(line: string): { name: string; value: string } | null {
    if (line.charCodeAt(0) !== 35) return null;
    if (line.startsWith('#separator')) {
      const value = unescapeZeek(line.slice('#separator'.length).trim());
      if (value.length > 0) this.separator = value;
      return { name: 'separator', value };
    }
    const cut = line.indexOf(this.separator);
    // Some writers (and btest's masking) put a space instead of the separator after the name.
    const sp = line.indexOf(' ');
    const at = cut > 0 ? cut : sp;
    const name = (at > 0 ? line.slice(1, at) : line.slice(1)).trim();
    const rest = at > 0 ? line.slice(at + (at === cut ? this.separator.length : 1)) : '';
    switch (name) {
      case 'set_separator': this.setSeparator = unescapeZeek(rest); break;
      case 'empty_field': this.emptyField = unescapeZeek(rest); break;
      case 'unset_field': this.unsetField = unescapeZeek(rest); break;
      case 'path': this.path = rest; break;
      case 'fields': this.fields = rest.split(this.separator); this.types = null; this.version++; break;
      case 'types': this.types = rest.split(this.separator); this.version++; break;
      default: break;
    }
    return { name, value: rest };
  }

  /** The type of column i: from `#types`, else the usual conn.log type of that field name. */
  typeOf(i: number): string {
    const t = this.types?.[i];
    if (t) return t;
    return DEFAULT_TYPES[this.fields?.[i] ?? ''] ?? 'string';
  }

  /**
   * Converts one TSV value to the record form ConnMapper reads: undefined for unset, an array
   * for set/vector, a boolean for bool, a number for counts, text otherwise (times stay text so
   * that they convert to microseconds exactly).
   */
  value(raw: string, type: string): unknown {
    if (raw === this.unsetField) return undefined;
    const c0 = type.charCodeAt(0);
    if ((c0 === 115 && type.startsWith('set[')) || (c0 === 118 && type.startsWith('vector['))) {
      if (raw === this.emptyField) return [];
      return raw.split(this.setSeparator).map((x) => (x.includes('\\x') ? unescapeZeek(x) : x));
    }
    if (raw === this.emptyField) return '';
    const text = raw.includes('\\x') ? unescapeZeek(raw) : raw;
    switch (type) {
      case 'bool': return text === 'T' ? true : text === 'F' ? false : text;
      case 'count':
      case 'int':
      case 'port': return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
      case 'double': { const n = Number(text); return text !== '' && Number.isFinite(n) ? n : text; }
      default: return text;
    }
  }
}

/** conn.log types, for zeek-cut output that kept the field names but not the `#types` line. */
const DEFAULT_TYPES: Record<string, string> = {
  ts: 'time', duration: 'interval', 'id.orig_p': 'port', 'id.resp_p': 'port', local_orig: 'bool', local_resp: 'bool',
  tunnel_parents: 'set[string]', orig_pkts: 'count', resp_pkts: 'count', orig_ip_bytes: 'count', resp_ip_bytes: 'count',
  orig_bytes: 'count', resp_bytes: 'count', missed_bytes: 'count', ip_proto: 'count', vlan: 'int', inner_vlan: 'int',
};

/** Zeek escapes separators and non-printable bytes as `\xHH`; this undoes it. */
export function unescapeZeek(s: string): string {
  if (!s.includes('\\x')) return s;
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
