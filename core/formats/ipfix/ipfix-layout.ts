/**
 * IPFIX (RFC 7011) layout:
 * §3.1 message header, 16 bytes: version u16 (10), length u16, export time u32, sequence u32,
 *   observation domain id u32;
 * §3.3.2 set header: {set id u16, length u16}; §3.4.1 template record {id, field count,
 *   specifiers}; §3.4.2 options template record {id, field count, scope field count, specifiers};
 * §3.2 field specifier {element id u16 (bit 15 = enterprise), length u16[, enterprise number u32]};
 * RFC 5655 files are these messages back to back.
 */
export const IPFIX_HEADER_LENGTH = 16;

/** RFC 7011 §3.3.2: set id 2 = template, 3 = options template, >= 256 = data. */
export function validSetId(id: number): boolean {
  return id === 2 || id === 3 || id >= 256;
}
