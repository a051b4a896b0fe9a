import { describeFormats } from '../../formats/registry';
import '../../formats/index';
import type { CliCommand } from '../command';
import { renderTable } from '../table-format';

/** `flowcase formats`: the formats Flowcase reads, with the file patterns it recognises. */
export const formatsCommand: CliCommand = {
  name: 'formats',
  args: '',
  flags: { json: {} },
  async run(args, io) {
    // The same list `formats.list` answers, without opening the service (and DuckDB) for it.
    const formats = describeFormats();
    const list = formats.map(({ positionUnit, ...f }) => ({ ...f, position: positionUnit }));
    if (args.values.json) io.out(JSON.stringify(list, null, 1) + '\n');
    else io.out(renderTable(['id', 'format', 'files'], list.map((f) => [f.id, f.label, [...new Set([...f.patterns, ...f.extensions.map((e) => `*${e}`)])].join('  ')])));
    return 0;
  },
};
