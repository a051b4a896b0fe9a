#!/usr/bin/env node
// `npm run lint`: ESLint (eslint.config.js) and the import-boundary rules
// (.dependency-cruiser.cjs) over the repository. Prints each problem with its rule's name;
// exits 1 when there is any. `--root DIR` lints another tree with the same rules (the
// tests use it on a deliberately bad one).
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['core', 'renderer', 'electron', 'test', 'bench', 'scripts'];

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function eslintProblems(root) {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: join(REPO, 'eslint.config.js'),
    cache: root === REPO,
    cacheLocation: join(REPO, 'node_modules', '.cache', 'eslint', '.eslintcache'),
    errorOnUnmatchedPattern: false,
    // Worker threads: parsing TypeScript is most of the time, and files parse independently.
    concurrency: 'auto',
  });
  const results = await eslint.lintFiles(SOURCES.filter((d) => existsSync(join(root, d))));
  return results.flatMap((r) => r.messages.map((m) => ({
    rule: m.ruleId ?? 'eslint', where: `${relative(root, r.filePath)}:${m.line}:${m.column}`, message: m.message,
  })));
}

async function boundaryProblems(root) {
  const { cruise } = await import('dependency-cruiser');
  const { createRequire } = await import('node:module');
  const config = createRequire(import.meta.url)(join(REPO, '.dependency-cruiser.cjs'));
  const dirs = ['core', 'renderer', 'electron'].filter((d) => existsSync(join(root, d)));
  const previous = process.cwd();
  process.chdir(root); // rule paths are relative to the tree's root
  try {
    const cache = root === REPO ? { folder: join(REPO, 'node_modules', '.cache', 'dependency-cruiser'), strategy: 'content' } : false;
    const result = await cruise(dirs, { ...config.options, cache, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir: root });
    return result.output.summary.violations.map((v) => ({
      rule: v.rule.name,
      where: v.from,
      message: v.cycle ? `cycle: ${v.cycle.map((c) => c.name ?? c).join(' -> ')}` : `imports ${v.to}`,
    }));
  } finally {
    process.chdir(previous);
  }
}

const root = resolve(argValue('--root') ?? REPO);
if (!existsSync(join(REPO, 'tools', 'lint', 'node_modules', 'eslint'))) {
  process.stderr.write('lint: the lint tools are not installed; run `npm install` (it installs tools/lint)\n');
  process.exit(1);
}
const started = performance.now();
// ESLint lints in worker threads while the boundary check runs here.
const problems = (await Promise.all([eslintProblems(root), boundaryProblems(root)])).flat();
for (const p of problems) process.stdout.write(`${p.where}  ${p.rule}  ${p.message}\n`);
const secs = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(problems.length ? `lint: ${problems.length} problem(s) (${secs} s)\n` : `lint: clean (${secs} s)\n`);
process.exitCode = problems.length ? 1 : 0;
