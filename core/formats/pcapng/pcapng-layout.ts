/**
 * The pcapng layout (draft-ietf-opsawg-pcapng, "PCAP Next Generation Dump File Format"):
 * §3.1 the general block {type u32, total length u32, body, total length u32};
 * §4 the block types; §4.1 the Section Header Block's byte-order magic.
 */

/** §4.1 Section Header Block; §4.2 Interface Description; Appendix A the obsolete Packet Block; §4.4 Simple Packet; §4.3 Enhanced Packet. */
export const PCAPNG_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_PB = 0x00000002; // obsolete Packet Block (Appendix A)
export const BT_SPB = 0x00000003;
export const BT_EPB = 0x00000006;
/** §4.1: the SHB's byte-order magic, as written by the capturing host. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Blocks above this are treated as corrupt rather than buffered. */
export const MAX_BLOCK = 64 << 20;
