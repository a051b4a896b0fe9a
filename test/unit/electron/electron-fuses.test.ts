import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/corpus';

/** The `electronFuses` block of build/electron-builder.yml as key -> boolean (flat YAML, read by hand). */
function fuses(): Record<string, boolean> {
  const yml = readFileSync(join(REPO_ROOT, 'build/electron-builder.yml'), 'utf8');
  const block = /^electronFuses:\n((?:[ \t]+.*\n?)*)/m.exec(yml);
  expect(block, 'build/electron-builder.yml has an electronFuses block').not.toBeNull();
  const out: Record<string, boolean> = {};
  for (const line of block![1].split('\n')) {
    const m = /^\s+(\w+):\s*(true|false)\s*$/.exec(line);
    if (m) out[m[1]] = m[2] === 'true';
  }
  return out;
}

describe('electron-builder fuses (#14)', () => {
  it('turns off running as Node, NODE_OPTIONS and --inspect; demands the ASAR and its integrity', () => {
    expect(fuses()).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
