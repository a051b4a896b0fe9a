/** Sort keys a client may ask for, mapped to SQL expressions over `flows` (the allow-list). */
export const FLOW_SORT_SQL = {
  flow_id: 'flow_id',
  start_us: 'start_us',
  end_us: 'end_us',
  duration: '(end_us - start_us)',
  proto: 'proto',
  src_ip: 'src_ip',
  dst_ip: 'dst_ip',
  src_port: 'src_port',
  dst_port: 'dst_port',
  packets: 'packets',
  bytes: 'bytes',
  rev_packets: 'rev_packets',
  rev_bytes: 'rev_bytes',
  total_bytes: '(bytes + coalesce(rev_bytes, 0))',
  total_packets: '(packets + coalesce(rev_packets, 0))',
  tcp_flags: 'tcp_flags',
  evidence_id: 'evidence_id',
  state: 'state',
  label: 'label',
} as const;

export type FlowSortColumn = keyof typeof FLOW_SORT_SQL;

/** The sort keys (SQL column names, as the CLI's --sort takes them), in a fixed order. */
export const FLOW_SORT_COLUMNS = Object.keys(FLOW_SORT_SQL) as [FlowSortColumn, ...FlowSortColumn[]];
