import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOADERS } from '../../../core/formats/index';
import { ISSUE_CODES, issueCodeInfo } from '../../../core/formats/issue-codes';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('issue-codes.ts') ? [p] : [];
  });
}

describe('ISSUE_CODES', () => {
  it('names only formats Flowcase reads, with one-line meanings and kebab-case codes', () => {
    const ids = new Set(LOADERS.map((l) => l.id));
    for (const [code, info] of Object.entries(ISSUE_CODES)) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(info.meaning).not.toMatch(/\n/);
      for (const f of info.formats) expect(ids.has(f), `${code}: ${f}`).toBe(true);
    }
  });

  it('has no entry that no decoder raises, except the codes reserved for checks to come', () => {
    const text = sources('core/formats').map((p) => readFileSync(p, 'utf8')).join('\n');
    const unused = Object.entries(ISSUE_CODES).filter(([code, info]) => info.formats.length > 0 && !text.includes(`'${code}'`)).map(([c]) => c);
    expect(unused).toEqual([]);
    expect(Object.entries(ISSUE_CODES).filter(([, i]) => (i.formats as readonly string[]).length === 0).map(([c]) => c)).toEqual([]);
  });

  it('issueCodeInfo() answers undefined for a code an older case may hold', () => {
    expect(issueCodeInfo('unknown-template')?.severity).toBe('rejected');
    expect(issueCodeInfo('toString')).toBeUndefined();
  });
});
