import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/corpus';
import { tempDir } from '../../helpers/temp';

/**
 * `npm run lint` (part of `npm test`) runs ESLint and the import-boundary rules. Here the
 * same command lints a small tree that breaks each rule once, and must fail naming them.
 */
const t = tempDir('flowcase-lint-');
afterAll(() => t.cleanup());

const BAD_TREE: Record<string, string> = {
  'core/model/flow.ts': `import type { Page } from '../query/page';\nexport type Flow = Page;\n`,
  'core/formats/decode.ts': `import { store } from '../store/store';\nexport const decode = store;\n`,
  'core/store/store.ts': `export const store = 1;\n`,
  'core/ingest/ingest.ts': `import { ui } from '../analysis/ui';\nexport const ingest = ui;\n`,
  'core/query/page.ts': `import type { Contract } from '../api/contract';\nexport interface Page { c?: Contract }\n`,
  'core/query/dom.ts': `export const here = window.location.href;\n`,
  'core/analysis/ui.ts': `import { useState } from 'react';\nexport const ui = useState;\n`,
  'core/api/contract.ts': `import { z } from 'zod';\nimport type { Page } from '../query/page';\nexport type Contract = Page;\nexport const schema = z.object({});\n`,
  'core/api/service.ts': `import { cli } from '../cli/cli';\nexport const service = cli;\n`,
  'core/cli/cli.ts': `import { web } from '../web/web';\nexport const cli = web;\n`,
  'core/web/web.ts': `export const web: any = 1;\n`,
  'renderer/view.tsx': [
    `import { readFileSync } from 'node:fs';`, `import { schema } from '../core/api/contract';`, `import { store } from '../core/store/store';`,
    `export const view = [readFileSync, schema, store];`, ``,
  ].join('\n'),
};

describe('npm run lint', () => {
  it('fails on a tree that breaks the layering, naming every rule it broke', () => {
    for (const [path, text] of Object.entries(BAD_TREE)) {
      mkdirSync(dirname(join(t.dir, path)), { recursive: true });
      writeFileSync(join(t.dir, path), text);
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(t.dir, 'node_modules')); // so 'react' and 'zod' resolve
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'tools/lint/lint.mjs'), '--root', t.dir], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const line = (rule: string, file: string) => expect(r.stdout).toMatch(new RegExp(`^${file}\\S*\\s+${rule.replace('/', '\\/')}\\s`, 'm'));
    line('model-imports-only-model', 'core/model/flow.ts');
    line('formats-import-only-model', 'core/formats/decode.ts');
    line('ingest-store-import-only-formats-model', 'core/ingest/ingest.ts');
    line('analysis-tier-imports-no-api', 'core/query/page.ts');
    line('no-import-cycles', 'core/');
    line('core-imports-no-ui', 'core/analysis/ui.ts');
    line('api-imports-no-transport', 'core/api/service.ts');
    line('transports-stay-apart', 'core/cli/cli.ts');
    line('renderer-imports-no-node', 'renderer/view.tsx');
    line('renderer-imports-contract-as-types', 'renderer/view.tsx');
    line('renderer-imports-only-core-api', 'renderer/view.tsx');
    line('no-restricted-globals', 'core/query/dom.ts');
    line('@typescript-eslint/no-explicit-any', 'core/web/web.ts');
    expect(r.stdout).toMatch(/^lint: \d+ problem\(s\)/m);
  });
});
