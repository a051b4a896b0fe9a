/** An IPv6 address at `o`, network byte order, as four words (a fresh array: the flow keeps it). */
export function readIp6(dv: DataView, o: number): Uint32Array {
  const w = new Uint32Array(4);
  w[0] = dv.getUint32(o);
  w[1] = dv.getUint32(o + 4);
  w[2] = dv.getUint32(o + 8);
  w[3] = dv.getUint32(o + 12);
  return w;
}
