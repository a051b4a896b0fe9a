/**
 * Every issue code a decoder may report, with what it means. Decoders can only emit these:
 * `DecodeIssue.code` and `DecodeFailure.code` are `IssueCode`, the keys of this table. The
 * evidence view shows the meaning beside the code; the README's table is generated from it
 * (scripts/readme-tables.ts). Codes are stable: scripts read them from `flowcase import --json`.
 *
 * Severity says what the analyst lost:
 * - `error`: the file cannot be read at all (the import is refused and the case left as it was);
 * - `rejected`: a record (or a stretch of bytes or lines) was not stored; counted as rejected;
 * - `warning`: something is off but nothing was lost (the records are stored).
 * A code raised at two levels (`missing-columns` for required and optional columns) carries the worse.
 *
 * Pure data, no imports: the renderer bundles it (through core/api/reference-data.ts).
 */

export type IssueSeverity = 'error' | 'rejected' | 'warning';

export interface IssueCodeInfo {
  readonly severity: IssueSeverity;
  /** One line, for the evidence view and the README. */
  readonly meaning: string;
  /** Format ids that raise it; empty for a code reserved for checks still to come. */
  readonly formats: readonly string[];
}

const CAPTURES = ['pcap', 'pcapng'] as const;
const EXPORTS = ['netflow-v5', 'netflow-v9', 'ipfix', 'netflow-pcap'] as const;
const TEMPLATED = ['netflow-v9', 'ipfix', 'netflow-pcap'] as const;
const TEXT = ['argus-csv', 'csv', 'ipaudit', 'vpc-flow', 'zeek-conn'] as const;
const ZEEK_NAMES = ['zeek-dns', 'zeek-ssl', 'zeek-http'] as const;

export const ISSUE_CODES = {
  // ---- the file cannot be read --------------------------------------------------------------
  'bad-magic': { severity: 'error', meaning: 'the file does not start with the format\'s magic number', formats: ['flow-tools', 'nfcapd'] },
  'bad-header': { severity: 'error', meaning: 'a header with impossible counts or lengths (an export datagram with one is rejected, a file header refuses the file)', formats: [...EXPORTS, 'flow-tools'] },
  'truncated-header': { severity: 'error', meaning: 'the file ends inside its header', formats: [...CAPTURES, 'netflow-pcap', 'flow-tools', 'nfcapd'] },
  'unsupported-version': { severity: 'error', meaning: 'a version of the format Flowcase does not read (Argus 2, flow-tools v8 aggregation, an unknown nfdump layout)', formats: ['argus', 'flow-tools', 'nfcapd'] },
  'unsupported-compression': { severity: 'error', meaning: 'the file is compressed with a method Flowcase does not read', formats: ['nfcapd'] },
  'unsupported-encryption': { severity: 'error', meaning: 'the file is encrypted', formats: ['nfcapd'] },
  'unsupported-byte-order': { severity: 'error', meaning: 'the file was written in a byte order the format does not allow', formats: ['nfcapd'] },
  'unsupported-link-type': { severity: 'error', meaning: 'a capture link type Flowcase cannot decode into IP packets', formats: [...CAPTURES, 'netflow-pcap'] },
  'not-a-capture': { severity: 'error', meaning: 'not a pcap or pcapng capture', formats: [...CAPTURES, 'netflow-pcap'] },
  'not-argus': { severity: 'error', meaning: 'the file does not start with an Argus management record', formats: ['argus'] },
  'not-conn-log': { severity: 'error', meaning: 'a Zeek log of another kind (dns, http...): its records are not connections', formats: ['zeek-conn'] },
  'not-netflow': { severity: 'error', meaning: 'no NetFlow v5/v9 or IPFIX message in the file', formats: ['netflow-v5', 'netflow-v9', 'ipfix'] },
  'empty-file': { severity: 'error', meaning: 'the file holds no header or record (a CSV is kept, with this warning)', formats: ['argus', 'csv'] },
  'no-header': { severity: 'error', meaning: 'no header line naming the fields (a VPC log is then read in the version 2 order, with this warning)', formats: ['argus-csv', 'vpc-flow', 'zeek-conn', ...ZEEK_NAMES] },
  'missing-columns': { severity: 'error', meaning: 'the header lacks a column Flowcase needs (optional columns missing are a warning)', formats: ['vpc-flow', 'zeek-conn', ...ZEEK_NAMES] },
  'mapping-required': { severity: 'error', meaning: 'no preset fits the CSV header and its columns cannot be guessed: map them', formats: ['csv'] },
  'date-required': { severity: 'error', meaning: 'times carry no date and neither the file name nor the date option gives one', formats: ['ipaudit'] },
  'no-date': { severity: 'error', meaning: 'ra wrote times of day without a date: import with the date option', formats: ['argus-csv'] },
  'bad-option': { severity: 'error', meaning: 'an import option has a value the format cannot use (a date, a time zone)', formats: ['argus-csv', 'ipaudit'] },

  // ---- a record (or bytes, or lines) not stored ------------------------------------------------
  'truncated-record': { severity: 'rejected', meaning: 'the file (or a data set) ends inside a record', formats: [...CAPTURES, ...TEMPLATED, 'argus', 'flow-tools'] },
  'corrupt-record': { severity: 'rejected', meaning: 'a record header or size that cannot be right; the record is skipped', formats: [...CAPTURES, 'nfcapd'] },
  'corrupt-block': { severity: 'rejected', meaning: 'a block that cannot be read (bad header, failed decompression); its records are lost', formats: ['nfcapd', 'pcapng'] },
  'truncated-block': { severity: 'rejected', meaning: 'the file ends inside a data block', formats: ['nfcapd'] },
  'corrupt-stream': { severity: 'rejected', meaning: 'the compressed stream breaks; what came before the break is kept', formats: ['flow-tools'] },
  'bad-record-header': { severity: 'rejected', meaning: 'no plausible record header where one should start; bytes skipped to the next', formats: ['argus'] },
  'bad-dsr-length': { severity: 'rejected', meaning: 'an Argus data-set record with an impossible length', formats: ['argus'] },
  'short-dsr': { severity: 'rejected', meaning: 'an Argus data-set record shorter than its kind needs', formats: ['argus'] },
  'unsupported-metric-width': { severity: 'rejected', meaning: 'an Argus metric data-set record with counter widths Flowcase does not read', formats: ['argus'] },
  'unsupported-time-format': { severity: 'rejected', meaning: 'an Argus time data-set record in a format Flowcase does not read', formats: ['argus'] },
  'no-flow-key': { severity: 'rejected', meaning: 'a flow record without its flow key (addresses, ports)', formats: ['argus'] },
  'no-time': { severity: 'rejected', meaning: 'a flow record without a time', formats: ['argus'] },
  'truncated-datagram': { severity: 'rejected', meaning: 'an export message shorter than its header declares (or snapped in the capture)', formats: EXPORTS },
  'fragmented-datagram': { severity: 'rejected', meaning: 'an export datagram split into IP fragments, which cannot be decoded whole', formats: ['netflow-pcap'] },
  'truncated-set': { severity: 'rejected', meaning: 'a (Flow)Set declares more bytes than its message holds', formats: TEMPLATED },
  'truncated-template': { severity: 'rejected', meaning: 'a template runs past the end of its set', formats: TEMPLATED },
  'unknown-template': { severity: 'rejected', meaning: 'data whose template never arrived (held, bounded, until the end of the file)', formats: TEMPLATED },
  'bad-address': { severity: 'rejected', meaning: 'a field that should be an IP address is not', formats: [...TEXT, ...ZEEK_NAMES] },
  'bad-number': { severity: 'rejected', meaning: 'a field that should be a number (count, port, protocol) is not, or is out of range', formats: TEXT },
  'bad-time': { severity: 'rejected', meaning: 'a field that should be a time is not one, or a record time outside the plausible range (before 1970 or more than a day after the import unless configured; checked for every format)', formats: [...TEXT, ...ZEEK_NAMES, ...CAPTURES, ...EXPORTS, 'argus', 'flow-tools', 'nfcapd'] },
  'bad-proto': { severity: 'rejected', meaning: 'a protocol name Flowcase does not know', formats: ['argus-csv'] },
  'bad-column-count': { severity: 'rejected', meaning: 'a line with more or fewer fields than the header names', formats: ['csv', 'ipaudit', 'vpc-flow', 'zeek-conn', ...ZEEK_NAMES] },
  'bad-line': { severity: 'rejected', meaning: 'a line that cannot be split into the header\'s fields', formats: ['argus-csv'] },
  'bad-json': { severity: 'rejected', meaning: 'a line that is not a JSON object', formats: ['zeek-conn', ...ZEEK_NAMES] },
  'unterminated-quote': { severity: 'rejected', meaning: 'a quoted field that does not close (within 100 lines, or before the file ends)', formats: ['csv'] },
  'line-too-long': { severity: 'rejected', meaning: 'a line longer than a text format allows (1 MiB characters): skipped without being kept in memory', formats: TEXT },

  // ---- noted; the records are kept -------------------------------------------------------------
  'truncated-packet': { severity: 'warning', meaning: 'a packet cut off inside its link or IP header; counted, not metered', formats: CAPTURES },
  'bad-ip-header': { severity: 'warning', meaning: 'a packet whose IP header cannot be right; counted, not metered', formats: CAPTURES },
  'bad-checksum': { severity: 'warning', meaning: 'a packet with a bad TCP/UDP/ICMP checksum: counted (marked on its flow), or ignored as Zeek does with --verify-checksums true', formats: CAPTURES },
  'bad-checksums': { severity: 'warning', meaning: 'how many packets had bad checksums', formats: CAPTURES },
  'checksum-offloading-suspected': { severity: 'warning', meaning: 'bad checksums that (nearly) all come from one sender, or very many: NIC checksum offloading on the capture host, not corrupt packets', formats: CAPTURES },
  'bad-set-length': { severity: 'warning', meaning: 'a (Flow)Set with a length below 4; the rest of the message is skipped', formats: TEMPLATED },
  'reserved-set-id': { severity: 'warning', meaning: 'a set with a reserved id, skipped', formats: TEMPLATED },
  'trailing-bytes': { severity: 'warning', meaning: 'bytes after the last set of a message', formats: ['ipfix', 'netflow-pcap'] },
  'bad-template': { severity: 'warning', meaning: 'a malformed template or withdrawal, skipped', formats: TEMPLATED },
  'template-redefined': { severity: 'warning', meaning: 'a template id reused with other fields; later data reads the new definition', formats: TEMPLATED },
  'template-limit': { severity: 'warning', meaning: 'more templates than the cache holds; further ones are refused', formats: TEMPLATED },
  'uptime-without-init-time': { severity: 'warning', meaning: 'times relative to the exporter\'s uptime with no anchor; anchored to the export time', formats: TEMPLATED },
  'no-flow-times': { severity: 'warning', meaning: 'records without their own times; they take the export (or file) time', formats: [...TEMPLATED, 'ipaudit'] },
  'zero-padding': { severity: 'warning', meaning: 'zero bytes after a message', formats: EXPORTS },
  'skipped-bytes': { severity: 'warning', meaning: 'bytes that are not an export message, skipped', formats: EXPORTS },
  'stat-mismatch': { severity: 'warning', meaning: 'the file\'s own statistics record disagrees with what was read', formats: ['nfcapd'] },
  'block-count-mismatch': { severity: 'warning', meaning: 'the header\'s block count disagrees with the blocks read', formats: ['nfcapd'] },
  'bad-stat-record': { severity: 'warning', meaning: 'an unreadable statistics record', formats: ['nfcapd'] },
  'unknown-block-type': { severity: 'warning', meaning: 'a data block of a type Flowcase does not know, skipped', formats: ['nfcapd'] },
  'unknown-appendix-record': { severity: 'warning', meaning: 'an appendix record of a type Flowcase does not know, skipped', formats: ['nfcapd'] },
  'unknown-element': { severity: 'warning', meaning: 'a record element or extension Flowcase does not know, skipped', formats: ['nfcapd'] },
  'count-mismatch': { severity: 'warning', meaning: 'the header\'s flow count disagrees with the records read', formats: ['flow-tools'] },
  'summary-mismatch': { severity: 'warning', meaning: 'nfdump\'s summary line counts other flows than the file has rows', formats: ['csv'] },
  'truncated-summary': { severity: 'warning', meaning: 'nfdump\'s summary block is incomplete', formats: ['csv'] },
  'guessed-mapping': { severity: 'warning', meaning: 'no preset fits: columns mapped by their names (check them)', formats: ['csv'] },
  'end-before-start': { severity: 'warning', meaning: 'flows whose end is before their start, stored with end = start (the written end in attrs)', formats: ['csv'] },
  'unknown-direction': { severity: 'warning', meaning: 'an Argus direction Flowcase does not know; the row is read as written', formats: ['argus-csv'] },
  'leading-whitespace': { severity: 'warning', meaning: 'a header or JSON line that starts with whitespace; read past it', formats: ['zeek-conn'] },
  'masked-timestamps': { severity: 'warning', meaning: 'btest baselines with masked times, imported at 1970-01-01 + duration', formats: ['zeek-conn'] },
  'relative-timestamps': { severity: 'warning', meaning: 'times are seconds since the trace start, not since 1970', formats: ['zeek-conn'] },
  'no-close': { severity: 'warning', meaning: 'the log has #open but no #close: Zeek was still writing it, or it was cut', formats: ['zeek-conn'] },
  'unknown-proto': { severity: 'warning', meaning: 'a protocol name with no IP protocol number; stored as 0', formats: ['zeek-conn'] },
} as const satisfies Record<string, IssueCodeInfo>;

/** The codes a decoder may emit. */
export type IssueCode = keyof typeof ISSUE_CODES;

/** What a code means, or undefined for one this version does not know (an older case's). */
export function issueCodeInfo(code: string): IssueCodeInfo | undefined {
  return Object.hasOwn(ISSUE_CODES, code) ? ISSUE_CODES[code as IssueCode] : undefined;
}
