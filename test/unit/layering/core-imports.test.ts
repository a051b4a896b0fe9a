import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/corpus';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []);
}

describe('layering', () => {
  it('core/ imports neither Electron, React, d3, the renderer nor the DOM', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(join(REPO_ROOT, 'core'))) {
      const text = readFileSync(file, 'utf8');
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      if (/from\s+['"](electron|react|react-dom|d3[^'"]*|@tanstack\/[^'"]*)['"]/.test(code)) offenders.push(`${relative(REPO_ROOT, file)}: UI import`);
      if (/from\s+['"][./]*(\.\.\/)+renderer\//.test(code)) offenders.push(`${relative(REPO_ROOT, file)}: imports renderer/`);
      if (/\b(window|document)\.\w/.test(code)) offenders.push(`${relative(REPO_ROOT, file)}: touches the DOM`);
    }
    expect(offenders).toEqual([]);
  });

  it('the renderer imports no Node built-ins and only pure or type-only modules from core/', () => {
    const offenders: string[] = [];
    const allowed = /core\/(model\/(ip|time|tcp-flags)|api\/(contract|reference-data))(\.ts)?['"]/;
    for (const file of tsFiles(join(REPO_ROOT, 'renderer'))) {
      const text = readFileSync(file, 'utf8');
      if (/from\s+['"]node:/.test(text)) offenders.push(`${relative(REPO_ROOT, file)}: node built-in`);
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+(['"][^'"]*core\/[^'"]*['"])/gm)) {
        if (!m[1] && !allowed.test(m[2])) offenders.push(`${relative(REPO_ROOT, file)}: ${m[2]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
