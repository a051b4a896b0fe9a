/**
 * A child process that imports files into a case the way the CLI does (runImport with the
 * derived tables), for the kill test: prints `ready` once the case is open, then `done`.
 * Run with `node --import tsx test/helpers/import-child.ts CASE FILE...`.
 */
import { registerDerivedTables } from '../../core/analysis/derived-tables';
import { runImport } from '../../core/ingest/import-runner';
import { CaseStore } from '../../core/store/case-store';

const [casePath, ...files] = process.argv.slice(2);
registerDerivedTables();
const store = await CaseStore.open(casePath);
process.stdout.write('ready\n');
const results = await runImport(store, files);
store.close();
process.stdout.write(`done ${results.map((r) => (r.ok ? 'ok' : r.error?.code)).join(',')}\n`);
