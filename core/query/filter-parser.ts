import { parseCidr } from '../model/ip';
import { protoByName } from '../model/protocols';
import { parseTimeToMicros } from '../model/time';
import { closest } from './edit-distance';
import type { AddrRange, CompareOp, Direction, FilterError, FilterNode, NumField, NumTest, ParseResult, Span, TextField } from './filter-ast';
import { tokenize, type Token } from './filter-lexer';

/** IP protocol names a filter may use (`proto gre`, or the shorthand `gre`); numbers from core/model/protocols. */
const PROTOCOL_WORDS = ['icmp', 'igmp', 'tcp', 'udp', 'gre', 'esp', 'ah', 'icmp6', 'ipv6-icmp', 'ospf', 'pim', 'sctp', 'arp'];
export const PROTOCOL_NAMES: Readonly<Record<string, number>> = Object.fromEntries(PROTOCOL_WORDS.map((w) => [w, protoByName(w)!]));

/** TCP flag letters as nfdump spells them (RFC 9293 §3.1 control bits, RFC 3168 ECE/CWR). */
export const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80, X: 0x3f,
};

type ValueKind = 'int' | 'float' | 'duration' | 'time';

interface NumSpec {
  readonly field: NumField;
  readonly kind: ValueKind;
  readonly max: bigint;
  /** k/M/G suffixes (1000-based, as nfdump). */
  readonly suffix: boolean;
  /** Which direction words may precede the keyword. */
  readonly dirs: 'srcdst' | 'inout' | 'none';
  readonly what: string;
}

const U8 = 255n;
const U16 = 65535n;
const U32 = 4294967295n;
const U64 = 18446744073709551615n;
const I63 = 9223372036854775807n;

const NUM_KEYWORDS: Readonly<Record<string, NumSpec>> = {
  port: { field: 'port', kind: 'int', max: U16, suffix: false, dirs: 'srcdst', what: 'a port number' },
  bytes: { field: 'bytes', kind: 'int', max: U64, suffix: true, dirs: 'srcdst', what: 'a byte count' },
  packets: { field: 'packets', kind: 'int', max: U64, suffix: true, dirs: 'srcdst', what: 'a packet count' },
  duration: { field: 'duration', kind: 'duration', max: I63, suffix: false, dirs: 'none', what: 'a duration in seconds' },
  bps: { field: 'bps', kind: 'float', max: U64, suffix: true, dirs: 'none', what: 'bits per second' },
  pps: { field: 'pps', kind: 'float', max: U64, suffix: true, dirs: 'none', what: 'packets per second' },
  bpp: { field: 'bpp', kind: 'float', max: U64, suffix: true, dirs: 'none', what: 'bytes per packet' },
  as: { field: 'as', kind: 'int', max: U32, suffix: false, dirs: 'srcdst', what: 'an AS number' },
  if: { field: 'if', kind: 'int', max: U32, suffix: false, dirs: 'inout', what: 'an interface index' },
  tos: { field: 'tos', kind: 'int', max: U8, suffix: false, dirs: 'none', what: 'a ToS value' },
  'icmp-type': { field: 'icmp-type', kind: 'int', max: U8, suffix: false, dirs: 'none', what: 'an ICMP type' },
  'icmp-code': { field: 'icmp-code', kind: 'int', max: U8, suffix: false, dirs: 'none', what: 'an ICMP code' },
  evidence: { field: 'evidence', kind: 'int', max: U32, suffix: false, dirs: 'none', what: 'an evidence id' },
  start: { field: 'start', kind: 'time', max: I63, suffix: false, dirs: 'none', what: 'a time' },
  end: { field: 'end', kind: 'time', max: I63, suffix: false, dirs: 'none', what: 'a time' },
};

const TEXT_KEYWORDS: Readonly<Record<string, { field: TextField; mode: 'equals' | 'contains' }>> = {
  state: { field: 'state', mode: 'equals' },
  service: { field: 'service', mode: 'equals' },
  label: { field: 'label', mode: 'contains' },
  uid: { field: 'uid', mode: 'equals' },
};

const WORD_OPS: Readonly<Record<string, CompareOp>> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Every keyword the language knows (for suggestions and the reference). */
export const FILTER_KEYWORDS: readonly string[] = [
  'host', 'ip', 'net', 'exporter', 'router', 'proto', 'flags', 'ipv4', 'ipv6', 'inet', 'inet6', 'any', 'after', 'before', 'between',
  'src', 'dst', 'in', 'out', 'and', 'or', 'not', 'country', 'asn', 'name',
  ...Object.keys(NUM_KEYWORDS), ...Object.keys(TEXT_KEYWORDS), ...Object.keys(PROTOCOL_NAMES),
];

/** A parse error travelling up to parseFilter, which turns it into a FilterError value. */
class Fail {
  constructor(readonly message: string, readonly offset: number, readonly length: number, readonly hint?: string) {}
}

export interface ParseOptions {
  /** IANA zone that times written without a zone are read in (the case's display zone); default UTC. */
  readonly timeZone?: string;
}

/**
 * Parses an nfdump-style filter. An empty (or blank) filter matches every flow.
 * Never throws: problems come back as `{ ok: false, error }` with line, column and a hint.
 */
export function parseFilter(input: string, options: ParseOptions = {}): ParseResult {
  const tokens = tokenize(input);
  if (!Array.isArray(tokens)) return { ok: false, error: toError(input, new Fail(tokens.message, tokens.offset, tokens.length)) };
  try {
    const p = new Parser(tokens, options.timeZone ?? 'UTC');
    if (p.peek().kind === 'eof') return { ok: true, ast: { type: 'any', span: { offset: 0, length: 0 } } };
    const ast = p.parseOr();
    p.expectEnd();
    const deep = tooDeep(ast);
    if (deep) throw new Fail(`the filter is more than ${MAX_FILTER_DEPTH} conditions deep`, deep.span.offset, deep.span.length, 'simplify it');
    return { ok: true, ast };
  } catch (err) {
    if (err instanceof Fail) return { ok: false, error: toError(input, err) };
    throw err;
  }
}

function toError(input: string, f: Fail): FilterError {
  let line = 1;
  let col = 1;
  for (let i = 0; i < f.offset && i < input.length; i++) {
    if (input[i] === '\n') { line++; col = 1; } else col++;
  }
  const message = `${f.message} at ${line}:${col}${f.hint ? ` — ${f.hint}` : ''}`;
  return { message, line, column: col, offset: f.offset, length: f.length };
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the filter';
  if (t.kind === 'string') return `"${t.text}"`;
  return `'${t.text}'`;
}

/**
 * How deep parentheses and `not`s may nest. Deeper filters are refused with their position:
 * recursion would exhaust the stack (3,000 parentheses did) and the compiled SQL would pass
 * DuckDB's expression depth (2,400 `not`s did); no real filter comes near.
 */
export const MAX_FILTER_NESTING = 100;

/** How many conditions one and/or chain may join (each adds a level to the compiled SQL). */
export const MAX_FILTER_TERMS = 300;

/** The deepest expression tree a filter may compile to (DuckDB refuses SQL nested past 1,000). */
export const MAX_FILTER_DEPTH = 400;

/** The first node (pre-order) lying deeper than MAX_FILTER_DEPTH, found without recursion. */
function tooDeep(root: FilterNode): FilterNode | null {
  const stack: [FilterNode, number][] = [[root, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > MAX_FILTER_DEPTH) return n;
    if (n.type === 'and' || n.type === 'or') stack.push([n.right, d + 1], [n.left, d + 1]);
    else if (n.type === 'not') stack.push([n.operand, d + 1]);
  }
  return null;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[], private readonly timeZone: string) {}

  peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind === 'eof') return;
    if (t.kind === ')') throw new Fail(`unbalanced parentheses: ')' has no matching '('`, t.offset, 1);
    throw new Fail(`expected 'and' or 'or' before ${describe(t)}`, t.offset, t.length);
  }

  parseOr(): FilterNode {
    let left = this.parseAnd();
    let terms = 1;
    while (this.peek().kind === '||' || this.isWord(this.peek(), 'or')) {
      terms = this.countTerm(terms, this.next());
      const right = this.parseAnd();
      left = { type: 'or', left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    let terms = 1;
    while (this.peek().kind === '&&' || this.isWord(this.peek(), 'and')) {
      terms = this.countTerm(terms, this.next());
      const right = this.parseUnary();
      left = { type: 'and', left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    const t = this.peek();
    if (t.kind === '!' || this.isWord(t, 'not') || t.kind === '(') {
      if (this.depth >= MAX_FILTER_NESTING) {
        throw new Fail(`the filter nests parentheses and 'not's more than ${MAX_FILTER_NESTING} deep`, t.offset, t.length, 'simplify it');
      }
      this.depth++;
      try {
        return this.parseNested(t);
      } finally {
        this.depth--;
      }
    }
    return this.parsePrimitive();
  }

  private parseNested(t: Token): FilterNode {
    if (t.kind === '!' || this.isWord(t, 'not')) {
      this.next();
      if (this.peek().kind === 'eof') throw new Fail(`expected a condition after ${describe(t)}`, this.peek().offset, 0);
      const operand = this.parseUnary();
      return { type: 'not', operand, span: join(spanOf(t), operand.span) };
    }
    if (t.kind === '(') {
      this.next();
      if (this.peek().kind === ')') throw new Fail(`empty parentheses`, t.offset, this.peek().offset + 1 - t.offset);
      const inner = this.parseOr();
      const close = this.peek();
      if (close.kind !== ')') {
        if (close.kind === 'eof') throw new Fail(`unbalanced parentheses: '(' is never closed`, t.offset, 1);
        throw new Fail(`expected ')' or 'and'/'or' before ${describe(close)}`, close.offset, close.length);
      }
      this.next();
      return withSpan(inner, join(spanOf(t), spanOf(close)));
    }
    return this.parsePrimitive();
  }

  private countTerm(terms: number, at: Token): number {
    if (terms >= MAX_FILTER_TERMS) throw new Fail(`more than ${MAX_FILTER_TERMS} conditions joined by one 'and'/'or' chain`, at.offset, at.length, 'use net or a port range instead');
    return terms + 1;
  }

  private parsePrimitive(): FilterNode {
    const first = this.next();
    if (first.kind === 'eof') throw new Fail(`expected a condition`, first.offset, 0, `for example 'host 10.0.0.5' or 'port 22'`);
    if (first.kind === ')') throw new Fail(`unbalanced parentheses: ')' has no matching '('`, first.offset, 1);
    if (first.kind !== 'word') throw new Fail(`expected a condition but found ${describe(first)}`, first.offset, first.length);
    let dir: Direction = 'any';
    let dirWord: Token | null = null;
    let kw = first;
    const low = first.text.toLowerCase();
    if (low === 'src' || low === 'dst' || low === 'in' || low === 'out') {
      dirWord = first;
      dir = low === 'src' || low === 'in' ? 'src' : 'dst';
      kw = this.next();
      if (kw.kind !== 'word') {
        throw new Fail(`expected a keyword such as ${low === 'in' || low === 'out' ? "'if'" : "'host', 'net' or 'port'"} after '${first.text}'`, kw.offset, kw.length);
      }
    }
    const word = kw.text.toLowerCase();
    const start = dirWord ?? kw;
    const checkDir = (allowed: 'srcdst' | 'inout' | 'none') => {
      if (!dirWord) return;
      const d = dirWord.text.toLowerCase();
      const ok = allowed === 'srcdst' ? d === 'src' || d === 'dst' : allowed === 'inout' ? d === 'in' || d === 'out' : false;
      if (!ok) {
        const hint = allowed === 'srcdst' ? `use 'src' or 'dst' with '${kw.text}'` : allowed === 'inout' ? `use 'in' or 'out' with '${kw.text}'` : undefined;
        throw new Fail(`'${dirWord.text}' cannot qualify '${kw.text}'`, dirWord.offset, kw.offset + kw.length - dirWord.offset, hint);
      }
    };
    const span = () => join(spanOf(start), spanOf(this.tokens[this.i - 1]));

    switch (word) {
      case 'any':
        checkDir('none');
        return { type: 'any', span: span() };
      case 'ipv4': case 'inet':
        checkDir('none');
        return { type: 'ipver', version: 4, span: span() };
      case 'ipv6': case 'inet6':
        checkDir('none');
        return { type: 'ipver', version: 6, span: span() };
      case 'host': case 'ip': case 'net': {
        checkDir('srcdst');
        const ranges = this.parseAddrList(kw, word === 'net');
        return { type: 'addr', field: 'host', dir, ranges, span: span() };
      }
      case 'exporter': case 'router': {
        checkDir('none');
        const ranges = this.parseAddrList(kw, false);
        return { type: 'addr', field: 'exporter', dir: 'any', ranges, span: span() };
      }
      case 'proto': {
        checkDir('none');
        const tests = this.parseNumTests(kw, { field: 'proto', kind: 'int', max: U8, suffix: false, dirs: 'none', what: 'a protocol name or number' }, true);
        return { type: 'num', field: 'proto', dir: 'any', tests, span: span() };
      }
      case 'flags': {
        checkDir('srcdst');
        const mask = this.parseFlags(kw);
        return { type: 'flags', dir, mask, span: span() };
      }
      case 'after': case 'before': {
        checkDir('none');
        const us = this.parseTime(kw);
        const test: NumTest = { kind: 'cmp', op: word === 'after' ? '>=' : '<', value: BigInt(us) };
        return { type: 'num', field: 'start', dir: 'any', tests: [test], span: span() };
      }
      case 'between': {
        checkDir('none');
        const a = this.parseTime(kw);
        const andTok = this.next();
        if (!this.isWord(andTok, 'and')) throw new Fail(`expected 'and' between the two times of 'between'`, andTok.offset, andTok.length, `write 'between 2024-01-12T10:00Z and 2024-01-12T11:00Z'`);
        const b = this.parseTime(andTok);
        if (b <= a) throw new Fail(`the second time of 'between' must be later than the first`, start.offset, this.peek().offset - start.offset);
        return { type: 'num', field: 'start', dir: 'any', tests: [{ kind: 'range', lo: BigInt(a), hi: BigInt(b - 1) }], span: span() };
      }
    }
    if (word === 'country' || word === 'asn' || word === 'name') {
      checkDir('srcdst');
      const values = this.parseContextValues(kw, word);
      return { type: 'context', field: word, dir, values, span: span() };
    }
    if (word in PROTOCOL_NAMES) {
      checkDir('none');
      return { type: 'num', field: 'proto', dir: 'any', tests: [{ kind: 'cmp', op: '=', value: BigInt(PROTOCOL_NAMES[word]) }], span: span() };
    }
    const num = NUM_KEYWORDS[word];
    if (num) {
      checkDir(num.dirs);
      const tests = this.parseNumTests(kw, num, false);
      return { type: 'num', field: num.field, dir, tests, span: span() };
    }
    const text = TEXT_KEYWORDS[word];
    if (text) {
      checkDir('none');
      const values = this.parseTextList(kw);
      return { type: 'text', field: text.field, mode: text.mode, values, span: span() };
    }
    // Not a keyword: say what it looks like and suggest the nearest keyword.
    if (parseCidr(kw.text)) {
      throw new Fail(`expected a keyword before the address '${kw.text}'`, kw.offset, kw.length, `did you mean 'host ${kw.text}'${kw.text.includes('/') ? ` or 'net ${kw.text}'` : ''}?`);
    }
    const guess = closest(word, FILTER_KEYWORDS);
    throw new Fail(`unknown keyword '${kw.text}'`, kw.offset, kw.length, guess ? `did you mean '${guess}'?` : `keywords include host, net, port, proto, flags, bytes, packets, duration, label`);
  }

  /** One address/network, or `in [a b c]`. */
  private parseAddrList(kw: Token, isNet: boolean): AddrRange[] {
    if (this.isWord(this.peek(), 'in') && this.peek(1).kind === '[') {
      this.next();
      return this.parseList(kw, () => this.parseAddr(kw, isNet));
    }
    return [this.parseAddr(kw, isNet)];
  }

  private parseAddr(kw: Token, isNet: boolean): AddrRange {
    const t = this.next();
    const what = isNet ? 'a network such as 10.0.0.0/8' : 'an address';
    if (t.kind !== 'word' || FILTER_KEYWORDS.includes(t.text.toLowerCase())) {
      throw new Fail(`expected ${what} after '${kw.text}'`, t.offset, t.length);
    }
    const cidr = parseCidr(t.text);
    if (!cidr) throw new Fail(badAddress(t.text), t.offset, t.length);
    return { first: cidr.first, last: cidr.last };
  }

  private parseList<T>(kw: Token, item: () => T): T[] {
    const open = this.next(); // '['
    const out: T[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === ']') { this.next(); break; }
      if (t.kind === ',') { this.next(); continue; }
      if (t.kind === 'eof') throw new Fail(`the list after '${kw.text} in' is never closed with ']'`, open.offset, 1);
      out.push(item());
    }
    if (out.length === 0) throw new Fail(`empty list after '${kw.text} in'`, open.offset, 2);
    return out;
  }

  private parseNumTests(kw: Token, spec: NumSpec, protoNames: boolean): NumTest[] {
    const t = this.peek();
    if (this.isWord(t, 'in') && this.peek(1).kind === '[') {
      this.next();
      return this.parseList(kw, () => this.parseNumValue(kw, spec, '=', protoNames));
    }
    let op: CompareOp = '=';
    if (t.kind === 'op') { op = t.text as CompareOp; this.next(); }
    else if (t.kind === '!' ) throw new Fail(`'!' is 'not'; write '!=' to compare`, t.offset, 1);
    else if (t.kind === 'word' && WORD_OPS[t.text.toLowerCase()] && this.peek(1).kind === 'word') { op = WORD_OPS[t.text.toLowerCase()]; this.next(); }
    return [this.parseNumValue(kw, spec, op, protoNames)];
  }

  private parseNumValue(kw: Token, spec: NumSpec, op: CompareOp, protoNames: boolean): NumTest {
    const t = this.next();
    if ((t.kind !== 'word' && t.kind !== 'string') || (t.kind === 'word' && ['and', 'or', 'not'].includes(t.text.toLowerCase()))) {
      throw new Fail(`expected ${spec.what} after '${kw.text}'`, t.offset, t.length);
    }
    if (protoNames) {
      const p = PROTOCOL_NAMES[t.text.toLowerCase()];
      if (p !== undefined) return { kind: 'cmp', op, value: BigInt(p) };
    }
    if (spec.kind === 'time') {
      const us = parseTimeToMicros(t.text, this.timeZone);
      if (us === null) throw new Fail(badTime(t.text, this.timeZone), t.offset, t.length);
      return { kind: 'cmp', op, value: BigInt(us) };
    }
    // A range `lo-hi` (inclusive) for whole-number fields.
    const dash = t.text.indexOf('-', 1);
    if (spec.kind === 'int' && dash > 0 && op === '=') {
      const lo = this.number(t.text.slice(0, dash), t, spec);
      const hi = this.number(t.text.slice(dash + 1), t, spec);
      if (hi < lo) throw new Fail(`range '${t.text}' ends before it starts`, t.offset, t.length);
      return { kind: 'range', lo, hi };
    }
    return { kind: 'cmp', op, value: this.number(t.text, t, spec) };
  }

  /** A number in the field's unit: whole numbers as bigint, rates as JS numbers. */
  private number(text: string, t: Token, spec: NumSpec): bigint | number {
    if (spec.kind === 'duration') {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h|d)?$/i.exec(text);
      if (!m) throw new Fail(`'${text}' is not a duration (seconds, or a number with ms, s, m, h or d)`, t.offset, t.length);
      const unit = (m[2] ?? 's').toLowerCase();
      const mult = { ms: 1e3, s: 1e6, m: 60e6, min: 60e6, h: 3600e6, d: 86400e6 }[unit] ?? 1e6;
      return BigInt(Math.round(Number(m[1]) * mult));
    }
    const m = /^(0x[0-9a-f]+|\d+(?:\.\d+)?)([kmgt])?$/i.exec(text);
    if (!m || (m[2] && !spec.suffix)) {
      const why = m && m[2] ? ` (the k/M/G suffixes are for counts and rates)` : '';
      throw new Fail(`'${text}' is not ${spec.what}${why}`, t.offset, t.length);
    }
    const mult = m[2] ? { k: 1e3, m: 1e6, g: 1e9, t: 1e12 }[m[2].toLowerCase()]! : 1;
    if (spec.kind === 'float') return Number(m[1]) * mult;
    let v: bigint;
    if (/^0x/i.test(m[1])) v = BigInt(m[1]) * BigInt(mult);
    else if (m[1].includes('.')) {
      const f = Number(m[1]) * mult;
      if (!Number.isInteger(f)) throw new Fail(`'${text}' is not a whole number`, t.offset, t.length);
      v = BigInt(f);
    } else v = BigInt(m[1]) * BigInt(mult);
    if (v > spec.max) throw new Fail(`${text} is out of range for '${spec.field}' (0–${spec.max})`, t.offset, t.length);
    return v;
  }

  private parseFlags(kw: Token): number {
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'string') throw new Fail(`expected TCP flags such as 'S' or 'SA' after '${kw.text}'`, t.offset, t.length);
    if (/^(0x[0-9a-f]+|\d+)$/i.test(t.text)) {
      const v = Number(t.text);
      if (v > 255) throw new Fail(`${t.text} is out of range for TCP flags (0–255)`, t.offset, t.length);
      return v;
    }
    let mask = 0;
    for (const ch of t.text) {
      const bit = TCP_FLAG_BITS[ch.toUpperCase()];
      if (bit === undefined) {
        throw new Fail(`unknown TCP flag '${ch}' in '${t.text}'`, t.offset, t.length, `flags are F S R P A U E C, or X for all of FSRPAU`);
      }
      mask |= bit;
    }
    return mask;
  }

  private parseTime(kw: Token): number {
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'string') {
      throw new Fail(`expected a time such as "2024-01-12 10:00" (${this.timeZone}) after '${kw.text}'`, t.offset, t.length, zoneHint(this.timeZone));
    }
    const us = parseTimeToMicros(t.text, this.timeZone);
    if (us === null) throw new Fail(badTime(t.text, this.timeZone), t.offset, t.length, zoneHint(this.timeZone));
    return us;
  }

  private parseTextList(kw: Token): string[] {
    if (this.isWord(this.peek(), 'in') && this.peek(1).kind === '[') {
      this.next();
      return this.parseList(kw, () => this.textValue(kw));
    }
    return [this.textValue(kw)];
  }

  /** `country CC`, `asn N` (or AS64500), `name "example.net"`, each also as `in [...]`. */
  private parseContextValues(kw: Token, field: 'country' | 'asn' | 'name'): (string | bigint)[] {
    const one = (): string | bigint => {
      const t = this.peek();
      const text = this.textValue(kw);
      if (field === 'country') {
        if (!/^[a-z]{2}$/i.test(text)) throw new Fail(`'${text}' is not a country code`, t.offset, t.length, `use the two-letter ISO 3166 code, e.g. 'country GB'`);
        return text.toUpperCase();
      }
      if (field === 'asn') {
        const m = /^(?:as)?(\d{1,10})$/i.exec(text);
        if (!m || BigInt(m[1]) > U32) throw new Fail(`'${text}' is not an AS number`, t.offset, t.length, `write 'asn 64500' or 'asn AS64500'`);
        return BigInt(m[1]);
      }
      const name = text.toLowerCase().replace(/\.$/, '');
      if (name.length === 0 || name.length > 253) throw new Fail(`'${text}' is not a host name`, t.offset, t.length);
      return name;
    };
    if (this.isWord(this.peek(), 'in') && this.peek(1).kind === '[') {
      this.next();
      return this.parseList(kw, one);
    }
    return [one()];
  }

  private textValue(kw: Token): string {
    const t = this.next();
    if (t.kind === 'string') return t.text;
    if (t.kind !== 'word' || ['and', 'or', 'not'].includes(t.text.toLowerCase())) {
      throw new Fail(`expected a value after '${kw.text}'`, t.offset, t.length, `quote values with spaces: ${kw.text} "some text"`);
    }
    return t.text;
  }
}

function badAddress(text: string): string {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const addr = text.slice(0, slash);
    const v6 = addr.includes(':');
    if (parseCidr(addr)) return `'${text}' is not a valid network: the prefix of an IPv${v6 ? 6 : 4} network must be 0–${v6 ? 128 : 32}`;
    return `'${text}' is not a valid network: '${addr}' is not an IP address`;
  }
  return `'${text}' is not an IP address`;
}

function badTime(text: string, timeZone: string): string {
  return `'${text}' is not a time (use ISO 8601 such as "2024-01-12 10:00", read in ${timeZone}, or 2024-01-12T10:00Z for UTC, or epoch seconds; quote times with a space)`;
}

/** Which zone a time without one was read in: the hint every time error carries. */
export function zoneHint(timeZone: string): string {
  return `times without a zone are read in ${timeZone}; add Z or ±HH:MM to give another`;
}

function spanOf(t: Token): Span {
  return { offset: t.offset, length: t.length };
}

function join(a: Span, b: Span): Span {
  const start = Math.min(a.offset, b.offset);
  return { offset: start, length: Math.max(a.offset + a.length, b.offset + b.length) - start };
}

function withSpan(n: FilterNode, span: Span): FilterNode {
  return { ...n, span } as FilterNode;
}
