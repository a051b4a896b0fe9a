/** 0 -> a, 25 -> z, 26 -> ba: parameter names without digits, so SQL text never echoes a number. */
export function letters(i: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26);
  } while (i > 0);
  return s;
}
