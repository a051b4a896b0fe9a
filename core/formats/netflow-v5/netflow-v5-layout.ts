/**
 * Cisco NetFlow v5 export format ("NetFlow Export Datagram Format", Cisco IOS NetFlow
 * Configuration Guide, table "Version 5 header / flow record format"):
 *
 * header, 24 bytes: version u16, count u16, sys_uptime u32 (ms), unix_secs u32, unix_nsecs u32,
 *   flow_sequence u32, engine_type u8, engine_id u8, sampling_interval u16 (2-bit mode, 14-bit interval);
 * record, 48 bytes: srcaddr u32 @0, dstaddr @4, nexthop @8, input u16 @12, output @14, dPkts u32 @16,
 *   dOctets @20, first u32 @24 (sys_uptime ms), last @28, srcport u16 @32, dstport @34, pad1 @36,
 *   tcp_flags @37, prot @38, tos @39, src_as u16 @40, dst_as @42, src_mask @44, dst_mask @45, pad2 u16 @46.
 */
export const V5_HEADER_LENGTH = 24;
export const V5_RECORD_LENGTH = 48;
/** The largest count that fits a UDP datagram. Cisco sends at most 30. */
export const V5_MAX_COUNT = Math.floor((65535 - V5_HEADER_LENGTH) / V5_RECORD_LENGTH);
