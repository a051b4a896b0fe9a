/** TCP flags as letters in nfdump's order (CWR ECE URG ACK PSH RST SYN FIN), '.' for unset. */
export function tcpFlagsText(flags: number | null | undefined): string {
  if (flags === null || flags === undefined) return '';
  const letters = 'CEUAPRSF';
  let out = '';
  for (let i = 0; i < 8; i++) out += flags & (0x80 >> i) ? letters[i] : '.';
  return out;
}
