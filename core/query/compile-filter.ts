import type { Direction, FilterError, FilterNode, NumField, NumTest, TextField } from './filter-ast';
import { parseFilter } from './filter-parser';
import { letters } from './param-names';

/** A WHERE-clause fragment over the `flows` columns plus its named parameters. */
export interface CompiledFilter {
  readonly sql: string;
  readonly params: Record<string, bigint | number | string>;
}

export interface CompileOptions {
  /** Parameter name prefix, letters only (default 'q'): `$qa`, `$qb`, ... */
  readonly paramPrefix?: string;
  /** Table alias for the columns, e.g. 'f' gives `f.src_ip` (default none). */
  readonly alias?: string;
  /** IANA zone that times written without a zone are read in (the case's display zone); default UTC. */
  readonly timeZone?: string;
}

export type FilterSqlResult = ({ readonly ok: true } & CompiledFilter) | { readonly ok: false; readonly error: FilterError };

interface ColumnSet {
  readonly any: readonly string[];
  readonly src?: readonly string[];
  readonly dst?: readonly string[];
  /** The SQL type parameters are cast to, so DuckDB compares like with like and can prune by zone maps. */
  readonly type: string;
  readonly nullable: boolean;
}

// The allow-list: every column name and expression the compiler can emit. `{}` stands
// for the table alias. No user text ever reaches these strings; values go in parameters.
const TOTAL_BYTES = '({}bytes + coalesce({}rev_bytes, 0))';
const TOTAL_PACKETS = '({}packets + coalesce({}rev_packets, 0))';
const DURATION_US = '({}end_us - {}start_us)';
const NUM_COLUMNS: Readonly<Record<NumField, ColumnSet>> = {
  port: { any: ['{}src_port', '{}dst_port'], src: ['{}src_port'], dst: ['{}dst_port'], type: 'USMALLINT', nullable: false },
  proto: { any: ['{}proto'], type: 'UTINYINT', nullable: false },
  bytes: { any: [TOTAL_BYTES], src: ['{}bytes'], dst: ['{}rev_bytes'], type: 'UBIGINT', nullable: true },
  packets: { any: [TOTAL_PACKETS], src: ['{}packets'], dst: ['{}rev_packets'], type: 'UBIGINT', nullable: true },
  duration: { any: [DURATION_US], type: 'BIGINT', nullable: false },
  // Rates over the flow's duration; a flow of zero duration has rate 0 (as nfdump reports it).
  bps: { any: [`(CASE WHEN {}end_us > {}start_us THEN CAST(${TOTAL_BYTES} AS DOUBLE) * 8.0 * 1e6 / CAST(${DURATION_US} AS DOUBLE) ELSE 0.0 END)`], type: 'DOUBLE', nullable: false },
  pps: { any: [`(CASE WHEN {}end_us > {}start_us THEN CAST(${TOTAL_PACKETS} AS DOUBLE) * 1e6 / CAST(${DURATION_US} AS DOUBLE) ELSE 0.0 END)`], type: 'DOUBLE', nullable: false },
  bpp: { any: [`(CASE WHEN ${TOTAL_PACKETS} > 0 THEN CAST(${TOTAL_BYTES} AS DOUBLE) / CAST(${TOTAL_PACKETS} AS DOUBLE) ELSE 0.0 END)`], type: 'DOUBLE', nullable: false },
  as: { any: ['{}src_as', '{}dst_as'], src: ['{}src_as'], dst: ['{}dst_as'], type: 'UINTEGER', nullable: true },
  if: { any: ['{}in_if', '{}out_if'], src: ['{}in_if'], dst: ['{}out_if'], type: 'UINTEGER', nullable: true },
  tos: { any: ['{}tos'], type: 'UTINYINT', nullable: true },
  'icmp-type': { any: ['{}icmp_type'], type: 'UTINYINT', nullable: true },
  'icmp-code': { any: ['{}icmp_code'], type: 'UTINYINT', nullable: true },
  evidence: { any: ['{}evidence_id'], type: 'UINTEGER', nullable: false },
  start: { any: ['{}start_us'], type: 'BIGINT', nullable: false },
  end: { any: ['{}end_us'], type: 'BIGINT', nullable: false },
};

const ADDR_COLUMNS = {
  host: { any: ['{}src_ip', '{}dst_ip'], src: ['{}src_ip'], dst: ['{}dst_ip'], nullable: false },
  exporter: { any: ['{}exporter_ip'], nullable: true },
} as const;

const TEXT_COLUMNS: Readonly<Record<TextField, string>> = {
  state: '{}state', service: '{}service', label: '{}label', uid: '{}uid',
};

const FLAGS_EXPR: Readonly<Record<Direction, string>> = {
  any: '(coalesce({}tcp_flags, 0) | coalesce({}rev_tcp_flags, 0))',
  src: 'coalesce({}tcp_flags, 0)',
  dst: 'coalesce({}rev_tcp_flags, 0)',
};

/**
 * Turns a parsed filter into SQL over the `flows` columns. Every value becomes a named
 * parameter wrapped in a CAST to the column's type; addresses travel as decimal strings
 * because @duckdb/node-api binds a JS bigint as HUGEINT, which wraps above 2^127 (all of
 * fe80::/10, fc00::/7 and ff00::/8). Each primitive yields TRUE or FALSE, never NULL, so
 * that `not` means what it says on flows with missing optional fields.
 */
export function compileFilter(ast: FilterNode, options: CompileOptions = {}): CompiledFilter {
  const prefix = options.paramPrefix ?? 'q';
  if (!/^[a-z]+$/i.test(prefix)) throw new Error(`compileFilter: bad parameter prefix ${JSON.stringify(prefix)}`);
  const alias = options.alias ?? '';
  if (alias && !/^[a-z_]+$/i.test(alias)) throw new Error(`compileFilter: bad alias ${JSON.stringify(alias)}`);
  const params: Record<string, bigint | number | string> = {};
  let n = 0;
  const param = (value: bigint | number | string, type: string): string => {
    const name = prefix + letters(n++);
    params[name] = type === 'UHUGEINT' && typeof value === 'bigint' ? value.toString() : value;
    return `CAST($${name} AS ${type})`;
  };
  const col = (template: string) => template.replaceAll('{}', alias ? `${alias}.` : '');

  const compileNum = (field: NumField, dir: Direction, tests: readonly NumTest[]): string => {
    const spec = NUM_COLUMNS[field];
    const cols = (dir === 'src' ? spec.src : dir === 'dst' ? spec.dst : undefined) ?? spec.any;
    // Only the reverse counters are nullable among bytes/packets; the totals coalesce them.
    const nullable = field === 'bytes' || field === 'packets' ? dir === 'dst' : spec.nullable;
    // `port != 80` means "not port 80" (neither end is 80), as a person reads it.
    if (tests.length === 1 && tests[0].kind === 'cmp' && tests[0].op === '!=') {
      return `(NOT ${compileNum(field, dir, [{ kind: 'cmp', op: '=', value: tests[0].value }])})`;
    }
    const parts: string[] = [];
    for (const t of tests) {
      if (t.kind === 'cmp') {
        const p = param(t.value, spec.type);
        for (const c of cols) parts.push(`${col(c)} ${t.op} ${p}`);
      } else {
        const lo = param(t.lo, spec.type);
        const hi = param(t.hi, spec.type);
        for (const c of cols) parts.push(`${col(c)} BETWEEN ${lo} AND ${hi}`);
      }
    }
    return wrap(parts, nullable);
  };

  const walk = (node: FilterNode): string => {
    switch (node.type) {
      case 'and': return `(${walk(node.left)} AND ${walk(node.right)})`;
      case 'or': return `(${walk(node.left)} OR ${walk(node.right)})`;
      case 'not': return `(NOT ${walk(node.operand)})`;
      case 'any': return 'TRUE';
      case 'ipver': return `(${col('{}ip_version')} = ${node.version === 4 ? 4 : 6})`;
      case 'num': return compileNum(node.field, node.dir, node.tests);
      case 'addr': {
        const spec = ADDR_COLUMNS[node.field];
        const cols = node.dir === 'src' && 'src' in spec ? spec.src : node.dir === 'dst' && 'dst' in spec ? spec.dst : spec.any;
        const parts: string[] = [];
        for (const r of node.ranges) {
          if (r.first === r.last) {
            const p = param(r.first, 'UHUGEINT');
            for (const c of cols) parts.push(`${col(c)} = ${p}`);
          } else {
            const lo = param(r.first, 'UHUGEINT');
            const hi = param(r.last, 'UHUGEINT');
            for (const c of cols) parts.push(`${col(c)} BETWEEN ${lo} AND ${hi}`);
          }
        }
        return wrap(parts, spec.nullable);
      }
      case 'flags': {
        const p = param(node.mask, 'UTINYINT');
        return `(${col('{}proto')} = 6 AND (${col(FLAGS_EXPR[node.dir])} & ${p}) = ${p})`;
      }
      case 'context': {
        // Addresses the case's context tables know under the value; flows match on either end
        // (or the end named). The subquery reads only the small context tables.
        const cols = node.dir === 'src' ? ['{}src_ip'] : node.dir === 'dst' ? ['{}dst_ip'] : ['{}src_ip', '{}dst_ip'];
        const tests = node.values.map((v) => {
          if (node.field === 'country') return `country = ${param(String(v), 'VARCHAR')}`;
          if (node.field === 'asn') return `asn = ${param(BigInt(v), 'UINTEGER')}`;
          const p = param(String(v), 'VARCHAR');
          return `(lower(name) = ${p} OR suffix(lower(name), '.' || ${p}))`;
        });
        const set = node.field === 'name'
          ? `(SELECT addr FROM names WHERE ${tests.join(' OR ')})`
          : `(SELECT addr FROM addr_info WHERE ${tests.join(' OR ')})`;
        return `(${cols.map((c) => `${col(c)} IN ${set}`).join(' OR ')})`;
      }
      case 'text': {
        const c = col(TEXT_COLUMNS[node.field]);
        const parts = node.values.map((v) => {
          const p = param(v.toLowerCase(), 'VARCHAR');
          return node.mode === 'contains' ? `strpos(lower(${c}), ${p}) > 0` : `lower(${c}) = ${p}`;
        });
        return wrap(parts, true);
      }
    }
  };
  return { sql: walk(ast), params };
}

/** Parses and compiles in one step; the usual entry point for callers holding filter text. */
export function filterToSql(text: string, options: CompileOptions = {}): FilterSqlResult {
  const parsed = parseFilter(text, { timeZone: options.timeZone });
  if (!parsed.ok) return { ok: false, error: parsed.error };
  return { ok: true, ...compileFilter(parsed.ast, options) };
}

function wrap(parts: string[], nullable: boolean): string {
  const body = parts.length === 1 ? parts[0] : parts.join(' OR ');
  return nullable ? `coalesce(${body}, FALSE)` : `(${body})`;
}

