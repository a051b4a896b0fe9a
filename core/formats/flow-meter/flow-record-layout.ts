/**
 * The flow table's per-slot record layout, shared by the table and the connections whose
 * times live in it (its own file so neither imports the other).
 */

/**
 * Per-slot record: 32 int32 words = 16 float64 words. The first 64 bytes hold everything
 * the per-packet path reads (key, expiry bound, the timers).
 */
export const REC_I32 = 32;
export const REC_F64 = 16;
// Int32 word offsets: normalized key.
export const K_PROTO = 0;
export const K_A = 1;
export const K_B = 2;
export const K_PORTS = 3;
/** Float64 word offset of the expiry bound (see rec64). */
export const REC_CHECK_AT = 2;
// Float64 word offsets of the connection's times (see Conn).
export const T_LAST = 3;
export const T_LAST_PACKET = 4;
export const T_DELETE_AT = 5;
export const T_ATTEMPT_AT = 6;
export const T_ACTIVE_END = 7;
export const T_START = 8;
export const T_CLOSE_TICK = 9;
