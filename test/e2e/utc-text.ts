/**
 * The grid's time text for a UTC instant given in epoch seconds: `2023-11-14 22:13:20.250000`.
 * Written independently of the renderer's formatter so that the tests check it.
 */
export function utcText(epochSeconds: number): string {
  const us = Math.round(epochSeconds * 1e6);
  const whole = Math.floor(us / 1e6);
  const iso = new Date(whole * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(us - whole * 1e6).padStart(6, '0')}`;
}
