/**
 * The README's tables that are generated from the code: the import options the formats
 * declare (core/formats/*-loader.ts) and the issue-code catalogue (core/formats/issue-codes.ts).
 * `npx tsx scripts/readme-tables.ts` rewrites them in README.md; a unit test fails when
 * README.md differs from what this writes, so the tables cannot drift from the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LOADERS } from '../core/formats/index';
import { ISSUE_CODES, type IssueSeverity } from '../core/formats/issue-codes';
import { optionMetavar } from '../core/formats/format-options';

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** One row per option and wording (formats that declare an option alike share a row), an option's rows together. */
export function optionsTable(): string {
  const rows = new Map<string, { key: string; name: string; value: string; dflt: string; help: string; formats: string[] }>();
  for (const loader of LOADERS) {
    for (const o of loader.options) {
      const id = JSON.stringify([o.key, o.flag, o.help, o.defaultText]);
      const name = o.flag ? `\`--${o.flag}\`` : `\`${o.key}\` (app: ${o.label})`;
      const row = rows.get(id) ?? { key: o.key, name, value: o.flag ? `\`${optionMetavar(o)}\`` : 'mapping dialog', dflt: o.defaultText, help: o.help, formats: [] };
      row.formats.push(`\`${loader.id}\``);
      rows.set(id, row);
    }
  }
  const keys = [...new Set([...rows.values()].map((r) => r.key))];
  const ordered = [...rows.values()].sort((a, b) => keys.indexOf(a.key) - keys.indexOf(b.key));
  return table(['option', 'formats', 'value', 'default', 'what it does'], ordered.map((r) => [r.name, r.formats.join(', '), r.value, r.dflt, r.help]));
}

const SEVERITY_ORDER: IssueSeverity[] = ['error', 'rejected', 'warning'];

/** Every issue code, worst first, with its meaning and the formats that raise it. */
export function issueCodesTable(): string {
  const entries = Object.entries(ISSUE_CODES).sort((a, b) => SEVERITY_ORDER.indexOf(a[1].severity) - SEVERITY_ORDER.indexOf(b[1].severity));
  return table(['code', 'severity', 'meaning', 'formats'], entries.map(([code, i]) => [
    `\`${code}\``, i.severity, i.meaning, i.formats.length ? i.formats.map((f) => `\`${f}\``).join(', ') : '(reserved)',
  ]));
}

const SECTIONS: Record<string, () => string> = { 'format-options': optionsTable, 'issue-codes': issueCodesTable };

/** README text with every generated section (between its BEGIN/END markers) written afresh. */
export function withGeneratedTables(readme: string): string {
  let out = readme;
  for (const [name, make] of Object.entries(SECTIONS)) {
    const begin = `<!-- BEGIN generated:${name} (scripts/readme-tables.ts) -->`;
    const end = `<!-- END generated:${name} -->`;
    const a = out.indexOf(begin);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`README.md lacks the markers of the generated section '${name}'`);
    out = `${out.slice(0, a + begin.length)}\n${make()}\n${out.slice(b)}`;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = new URL('../README.md', import.meta.url);
  const before = readFileSync(path, 'utf8');
  const after = withGeneratedTables(before);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(after === before ? 'README.md is up to date\n' : 'README.md tables rewritten\n');
}
