/**
 * The syntax tree of a flow filter (`host 10.0.0.5 and dst port 22`), as the parser
 * builds it and the compiler turns it into SQL. Every node keeps the span of text it came
 * from so that later stages can point at it.
 */

/** Where a node came from in the filter text: offset and length in UTF-16 code units. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** An error value a person can read; line and column are 1-based. */
export interface FilterError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
}

/**
 * Which end of the flow a primitive tests. `any` = either end (nfdump's default);
 * for interfaces `src` stands for `in if` and `dst` for `out if`.
 */
export type Direction = 'any' | 'src' | 'dst';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** One numeric test: a comparison or an inclusive range `a-b`. Values are in the field's unit. */
export type NumTest =
  | { readonly kind: 'cmp'; readonly op: CompareOp; readonly value: bigint | number }
  | { readonly kind: 'range'; readonly lo: bigint | number; readonly hi: bigint | number };

/** An address block in the store's UHUGEINT form (a single address has first = last). */
export interface AddrRange {
  readonly first: bigint;
  readonly last: bigint;
}

/** Numeric fields a filter may test; the compiler maps each to allow-listed SQL. */
export type NumField =
  | 'port' | 'proto' | 'bytes' | 'packets' | 'duration' | 'bps' | 'pps' | 'bpp'
  | 'as' | 'if' | 'tos' | 'icmp-type' | 'icmp-code' | 'evidence' | 'start' | 'end';

export type TextField = 'state' | 'service' | 'label' | 'uid';

export type FilterNode =
  | { readonly type: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode; readonly span: Span }
  | { readonly type: 'not'; readonly operand: FilterNode; readonly span: Span }
  | { readonly type: 'any'; readonly span: Span }
  | { readonly type: 'addr'; readonly field: 'host' | 'exporter'; readonly dir: Direction; readonly ranges: readonly AddrRange[]; readonly span: Span }
  /** Several tests are OR-ed (`port in [80 443 8000-8100]`). */
  | { readonly type: 'num'; readonly field: NumField; readonly dir: Direction; readonly tests: readonly NumTest[]; readonly span: Span }
  /** All bits of mask set (TCP flows only). */
  | { readonly type: 'flags'; readonly dir: Direction; readonly mask: number; readonly span: Span }
  /** equals: case-insensitive equality with any of values; contains: case-insensitive substring. */
  | { readonly type: 'text'; readonly field: TextField; readonly mode: 'equals' | 'contains'; readonly values: readonly string[]; readonly span: Span }
  | { readonly type: 'ipver'; readonly version: 4 | 6; readonly span: Span }
  /**
   * What the case knows about an address (core/enrich): `country CC` and `asn N` from the
   * attached MaxMind databases, `name "x"` from names clients used (the name or a subdomain).
   */
  | { readonly type: 'context'; readonly field: ContextField; readonly dir: Direction; readonly values: readonly (string | bigint)[]; readonly span: Span };

export type ContextField = 'country' | 'asn' | 'name';

export type ParseResult = { readonly ok: true; readonly ast: FilterNode } | { readonly ok: false; readonly error: FilterError };
