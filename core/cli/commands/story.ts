import { microsToIso } from '../../model/time';
import { withCase } from '../cli-session';
import { CliExit, stringFlag, timeFlag, type CliCommand } from '../command';
import { renderTable } from '../table-format';
import { eventJson, storyEntryEvent } from './timeline-json';

/** `flowcase story CASE --host ADDR [--since T] [--json]`: the storyline Flowcase proposes for a host. */
export const storyCommand: CliCommand = {
  name: 'story',
  args: 'CASE',
  flags: { host: { value: 'ADDR' }, since: { value: 'T' }, json: {} },
  usageErrors: ['bad-address', 'bad-arguments'],
  async run(args, io) {
    const host = stringFlag(args, 'host');
    if (!host) throw new CliExit(2, 'usage: flowcase story CASE --host ADDR [--since T] [--json]');
    const sinceUs = timeFlag('since', stringFlag(args, 'since'));
    const story = await withCase(args.positionals[0], 'read', (api) => api.invoke('story.build', { host, ...(sinceUs !== undefined ? { sinceUs } : {}) }));
    const entries = story.entries.filter((e) => e.status !== 'dismissed');
    if (args.values.json) {
      io.out(`${JSON.stringify(entries.map((e) => ({ ...eventJson(storyEntryEvent(e)), phase: e.phase, status: e.status, key: e.key })), null, 1)}\n`);
      return 0;
    }
    io.out(`story of ${story.host}: compromise ${story.compromiseUs === null ? 'unknown' : `${microsToIso(story.compromiseUs)} (${story.compromiseBasis})`}\n`);
    io.out(renderTable(['time', 'phase', 'kind', 'status', 'summary'], entries.map((e) => [microsToIso(e.timeUs), e.phase, e.kind, e.status, e.summary])));
    return 0;
  },
};
