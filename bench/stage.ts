import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeReporter } from './report';
import { runFlowsTableBench } from './flows-table-bench';

/** Runs one benchmark stage in its own process, so each reports its own peak RSS. */
const [stage, outDir, countText, jsonFlag] = process.argv.slice(2);
const count = Number(countText);
const report = makeReporter(jsonFlag === 'json');
mkdirSync(outDir, { recursive: true });
const fresh = (name: string) => {
  const p = join(outDir, name);
  rmSync(p, { force: true });
  rmSync(`${p}.wal`, { force: true });
  return p;
};

switch (stage) {
  case 'flows-table':
    await runFlowsTableBench(fresh('flows-table.duckdb'), count, report);
    break;
  case 'query': {
    const { runQueryBench } = await import('./query-bench');
    await runQueryBench({ flows: count, json: jsonFlag === 'json' }); // prints its own lines
    break;
  }
  case 'sessions': {
    const { runSessionsBench } = await import('./sessions-bench');
    await runSessionsBench({ flows: count, json: jsonFlag === 'json' });
    break;
  }
  default: {
    const mod = await import(`./${stage}-bench.ts`);
    await mod.runStage({ outDir, count, report, fresh });
  }
}
