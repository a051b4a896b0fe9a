/** Where a name for an address came from. */
export type NameSource = 'dns' | 'sni' | 'http';

export const NAME_SOURCES: readonly NameSource[] = ['dns', 'sni', 'http'];

/**
 * A name a client used for an address, as the evidence shows it: a DNS answer (the name
 * the client asked for, resolved to `addr`), a TLS ClientHello's server name, or an HTTP
 * request's Host (with its URI). Addresses are in the store's UHUGEINT form.
 */
export interface NameRecord {
  /** When it was seen, UTC microseconds. */
  tsUs: number;
  /** The client that asked or connected (null when the source does not say). */
  client: bigint | null;
  /** The address the name stands for. */
  addr: bigint;
  /** Lower case, without a trailing dot. */
  name: string;
  source: NameSource;
  /** HTTP request target (path and query), as sent. */
  uri?: string | null;
  /** Byte offset (packet record) or line number in the evidence file. */
  pos: number;
}
