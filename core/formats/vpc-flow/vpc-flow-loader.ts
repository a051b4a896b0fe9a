import type { FormatLoader } from '../decoder';
import { decodeVpcFlow } from './decode-vpc-flow';
import { VPC_KNOWN_FIELDS } from './vpc-flow-layout';

const latin1 = new TextDecoder('latin1');
/** A default-format (v2) record: version account interface src dst sport dport proto packets bytes start end action status. */
const V2_RECORD = /^(\d{4}-\d{2}-\d{2}T\S+Z )?2 \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \d{10} \d{10} (ACCEPT|REJECT|-) (OK|NODATA|SKIPDATA)\s*$/;

/** AWS VPC Flow Logs as delivered to S3 (header line, optionally gzip) or exported from CloudWatch (v2, no header). */
export const vpcFlowLoader: FormatLoader = {
  id: 'vpc-flow',
  label: 'AWS VPC Flow Logs',
  extensions: ['.log', '.txt'],
  patterns: ['<account>_vpcflowlogs_<region>_<flow-log-id>_<time>_<hash>.log.gz', '*.log (space-separated, header line first)'],
  positionUnit: 'line',
  options: [],
  sniff: sniffVpcFlow,
  decode: decodeVpcFlow,
};

/** Scores a head: a header of known VPC field names, or default-format records. */
export function sniffVpcFlow(head: Uint8Array, fileName: string): number {
  const text = latin1.decode(head.subarray(0, 4096));
  const first = text.slice(0, text.indexOf('\n') >>> 0).trim();
  const names = first.split(/\s+/).map((n) => n.toLowerCase().replace(/_/g, '-'));
  const known = names.filter((n) => VPC_KNOWN_FIELDS.has(n)).length;
  if (known >= 4 && known >= names.length * 0.8 && names.includes('srcaddr') && names.includes('dstaddr')) return 0.97;
  if (V2_RECORD.test(first)) return 0.8;
  return /vpcflowlogs/i.test(fileName) ? 0.3 : 0;
}
