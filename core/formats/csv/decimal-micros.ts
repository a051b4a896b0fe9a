/**
 * Converts decimal seconds written as text (`1601998366.785668`, `-0.5`, `12`) to integer
 * microseconds without going through a float, so that 16-digit Unix times stay exact.
 * Digits past the sixth decimal are rounded half up. Returns null for anything else
 * (exponents, signs in the middle, empty text).
 */
export function decimalSecondsToMicros(text: string): number | null {
  const len = text.length;
  if (len === 0) return null;
  let i = 0;
  let neg = false;
  if (text.charCodeAt(0) === 45) { neg = true; i = 1; } else if (text.charCodeAt(0) === 43) i = 1;
  let whole = 0;
  let digits = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    whole = whole * 10 + (c - 48);
    digits++;
  }
  let frac = 0;
  let fracDigits = 0;
  let roundUp = false;
  if (i < len && text.charCodeAt(i) === 46) {
    i++;
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      if (fracDigits < 6) { frac = frac * 10 + (c - 48); fracDigits++; } else if (fracDigits === 6) { roundUp = c >= 53; fracDigits++; }
      digits++;
    }
  }
  if (i !== len || digits === 0) return null;
  for (let k = Math.min(fracDigits, 6); k < 6; k++) frac *= 10;
  const us = whole * 1e6 + frac + (roundUp ? 1 : 0);
  return neg ? -us : us;
}

/** Parses a non-negative decimal integer (no sign, no spaces); null otherwise. Exact below 2^53. */
export function parseCount(text: string): number | null {
  const len = text.length;
  if (len === 0 || len > 16) return len > 16 ? parseBigCount(text) : null;
  let v = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  return v;
}

function parseBigCount(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : null;
}
