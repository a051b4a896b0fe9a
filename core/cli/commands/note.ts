import type { Note } from '../../api/contract/timeline';
import { withCase } from '../cli-session';
import { CliExit, listFlag, stringFlag, timeFlag, type CliCommand } from '../command';

/** `flowcase note CASE --flow ID|--session UID|--host ADDR|--from T --to T --text "..." [--tag T]...`: bookmarks with a note. */
export const noteCommand: CliCommand = {
  name: 'note',
  args: 'CASE',
  flags: {
    flow: { value: 'ID' }, session: { value: 'UID' }, detection: { value: 'ID' }, host: { value: 'ADDR' }, from: { value: 'T' }, to: { value: 'T' },
    text: { value: 'TEXT', newLine: true }, tag: { value: 'T', multiple: true }, json: {},
  },
  usageErrors: ['bad-target', 'bad-note', 'bad-address', 'bad-arguments'],
  async run(args, io) {
    const flow = stringFlag(args, 'flow');
    const session = stringFlag(args, 'session');
    const detection = stringFlag(args, 'detection');
    const host = stringFlag(args, 'host');
    const fromUs = timeFlag('from', stringFlag(args, 'from'));
    const toUs = timeFlag('to', stringFlag(args, 'to'));
    const named = [flow, session, detection].filter((x) => x !== undefined).length;
    if ((fromUs === undefined) !== (toUs === undefined)) throw new CliExit(2, 'a time range needs both --from and --to');
    const range = fromUs !== undefined;
    if (named > 1 || (named === 1 && (range || host)) || (named === 0 && !host && !range)) {
      throw new CliExit(2, 'say what the note is about: one of --flow ID, --session UID, --detection ID, --host ADDR, or --from T --to T (with --host to tie the range to a host)');
    }
    const target = flow !== undefined ? { kind: 'flow' as const, ref: flow }
      : session !== undefined ? { kind: 'session' as const, ref: session }
        : detection !== undefined ? { kind: 'detection' as const, ref: detection }
          : range ? { kind: 'range' as const, ref: '', fromUs, toUs, ...(host ? { host } : {}) }
            : { kind: 'host' as const, ref: host! };
    const text = stringFlag(args, 'text') ?? '';
    const tags = listFlag(args, 'tag').flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    const note: Note = await withCase(args.positionals[0], 'write', (api) => api.invoke('notes.add', { target, text, tags }));
    if (args.values.json) io.out(`${JSON.stringify(note)}\n`);
    else io.out(`note ${note.id} on ${note.targetKind} ${note.targetRef}${note.tags.length ? ` [${note.tags.join(', ')}]` : ''}: ${note.text}\n`);
    return 0;
  },
};
