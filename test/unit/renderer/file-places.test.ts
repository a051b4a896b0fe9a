import { describe, expect, it } from 'vitest';
import { foldersOf, uniquePlaces } from '../../../renderer/components/file-browser';

describe("the web file dialog's start folder and places", () => {
  it('folders of recent cases or evidence, most recent first, each once, missing ones left out', () => {
    expect(foldersOf([
      { path: '/cases/a/one.duckdb', at: 1 },
      { path: '/cases/b/two.duckdb', at: 3 },
      { path: '/cases/a/three.duckdb', at: 2 },
      { path: '/gone/old.duckdb', at: 9, exists: false },
    ])).toEqual(['/cases/b', '/cases/a']);
    expect(foldersOf([])).toEqual([]);
  });
  it('places without repeats or empty paths', () => {
    expect(uniquePlaces([{ label: 'Case folder', path: '/c' }, null, { label: 'c', path: '/c' }, { label: 'Home', path: '/root' }, { label: 'x', path: '' }]))
      .toEqual([{ label: 'Case folder', path: '/c' }, { label: 'Home', path: '/root' }]);
  });
});
