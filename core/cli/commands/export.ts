import { resolve } from 'node:path';
import { EXPORT_KINDS } from '../../report/export-rows';
import { EXPORT_FORMATS } from '../../report/exporter';
import { withCase } from '../cli-session';
import { CliExit, listFlag, stringFlag, timeFlag, wholeNumber, type CliCommand } from '../command';

/** `flowcase export CASE flows|sessions|detections|timeline --format F --out FILE`: the view's rows as CSV, JSON or Timesketch. */
export const exportCommand: CliCommand = {
  name: 'export',
  args: 'CASE WHAT',
  flags: {
    format: { choices: EXPORT_FORMATS }, out: { value: 'FILE' }, filter: { value: 'EXPR' }, from: { value: 'T' }, to: { value: 'T' },
    host: { value: 'ADDR', multiple: true }, state: { value: 'S0,REJ' }, limit: { value: 'N' },
  },
  usageErrors: ['bad-filter', 'bad-address', 'bad-window', 'bad-arguments'],
  async run(args, io) {
    const [casePath, kind] = args.positionals;
    if (!(EXPORT_KINDS as readonly string[]).includes(kind)) throw new CliExit(2, `WHAT is ${EXPORT_KINDS.join(', ')}, not '${kind}'`);
    const out = stringFlag(args, 'out');
    const format = (stringFlag(args, 'format') ?? 'csv') as (typeof EXPORT_FORMATS)[number];
    const fromUs = timeFlag('from', stringFlag(args, 'from'));
    const toUs = timeFlag('to', stringFlag(args, 'to'));
    const limit = stringFlag(args, 'limit') === undefined ? undefined : wholeNumber('limit', stringFlag(args, 'limit'), 0);
    const r = await withCase(casePath, 'read', (api) => api.invoke('export.write', {
      kind: kind as (typeof EXPORT_KINDS)[number], format, ...(out ? { path: resolve(out) } : {}), filter: stringFlag(args, 'filter'),
      ...(fromUs !== undefined ? { fromUs } : {}), ...(toUs !== undefined ? { toUs } : {}), hosts: listFlag(args, 'host'),
      ...(stringFlag(args, 'state') ? { states: stringFlag(args, 'state')!.split(',') } : {}), ...(limit ? { limit } : {}),
    }));
    io.err(`${r.rows} rows written to ${r.path}\n`);
    return 0;
  },
};
