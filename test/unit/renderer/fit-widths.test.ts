import { describe, expect, it } from 'vitest';
import { fitWidths } from '../../../renderer/components/virtual-table';

describe('grid columns fit their box (1280 px) by narrowing the columns that may', () => {
  it('keeps the sizes when they fit, else takes the excess from the columns with room, in proportion, never below their minimum', () => {
    expect(fitWidths([100, 200, 100], [undefined, 150, 50], 500)).toEqual([100, 200, 100]);
    const w = fitWidths([100, 200, 100], [undefined, 150, 50], 340);
    expect(w.reduce((a, b) => a + b, 0)).toBe(340);
    expect(w[0]).toBe(100);
    expect(w[1]).toBe(170);
    expect(w[2]).toBe(70);
    // More excess than room: everything at its minimum, the rest scrolls.
    expect(fitWidths([100, 200, 100], [undefined, 150, 50], 200)).toEqual([100, 150, 50]);
    expect(fitWidths([100, 200], [undefined, undefined], 10)).toEqual([100, 200]);
  });
});
