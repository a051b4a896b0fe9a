/**
 * NetFlow v9 (RFC 3954) layout:
 * §5.1 packet header, 20 bytes: version u16 (9), count u16, sysUptime u32 (ms), unix_secs u32,
 *   sequence u32, source id u32 (no length field: the FlowSets are walked to find the end);
 * §5.2 template FlowSet: {id 0, length, (template id, field count, (type, length)*)*};
 * §6.1 options template FlowSet: {id 1, length, (template id, scope length, option length,
 *   scope (type, length)*, option (type, length)*)*, padding};
 * §5.3 data FlowSet: {template id >= 256, length, records, padding}.
 */
export const V9_HEADER_LENGTH = 20;
/** A v9 packet travels in one UDP datagram. */
export const MAX_MESSAGE = 65535;

/** RFC 3954 §5.2-§5.3: FlowSet ID 0 = template, 1 = options template, >= 256 = data. */
export function validSetId(id: number): boolean {
  return id === 0 || id === 1 || id >= 256;
}
