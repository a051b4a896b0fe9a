import { timelineSource } from '../../report/export-rows';
import { writeExport } from '../../report/exporter';
import { microsToIso } from '../../model/time';
import { withCase } from '../cli-session';
import { stringFlag, timeFlag, type CliCommand } from '../command';
import { eventJson } from './timeline-json';

/** `flowcase timeline CASE [--host ADDR] [--from T] [--to T] [--format json|csv|timesketch|timesketch-csv]`: the case's events in time order. */
export const timelineCommand: CliCommand = {
  name: 'timeline',
  args: 'CASE',
  flags: { host: { value: 'ADDR' }, from: { value: 'T' }, to: { value: 'T' }, format: { choices: ['text', 'json', 'csv', 'timesketch', 'timesketch-csv'] } },
  usageErrors: ['bad-address', 'bad-window', 'bad-arguments'],
  async run(args, io) {
    const host = stringFlag(args, 'host');
    const fromUs = timeFlag('from', stringFlag(args, 'from'));
    const toUs = timeFlag('to', stringFlag(args, 'to'));
    const format = stringFlag(args, 'format') ?? 'text';
    await withCase(args.positionals[0], 'read', async (api) => {
      const t = await api.invoke('timeline.events', { ...(host ? { hosts: [host] } : {}), ...(fromUs !== undefined ? { fromUs } : {}), ...(toUs !== undefined ? { toUs } : {}) });
      if (format === 'json') io.out(`${JSON.stringify(t.events.map(eventJson), null, 1)}\n`);
      else if (format === 'text') {
        for (const e of t.events) io.out(`${microsToIso(e.timeUs)}  ${(e.host ?? '-').padEnd(15)} ${e.source.padEnd(9)} ${e.kind.padEnd(16)} ${e.summary}${e.note && !e.summary.includes(e.note) ? ` — ${e.note}` : ''}\n`);
      } else {
        // The export writers need the case for evidence positions: print through the same source.
        const store = api.requireCase();
        await writeExport(timelineSource(store, t.events), format as 'csv' | 'timesketch' | 'timesketch-csv', { write: (s: string) => io.out(s) },
          { generator: '', caseName: '', custody: null, selection: {} });
      }
    });
    return 0;
  },
};
