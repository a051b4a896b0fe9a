// From the analysis layer, not the contract: the contract module loads zod, which --help need not parse.
import { DETECTION_KINDS, type DetectionKind } from '../../analysis/detect/detection-types';
import { microsToIso } from '../../model/time';
import { withCase } from '../cli-session';
import { CliExit, stringFlag, timeFlag, type CliCommand } from '../command';
import { detectionJson } from './detection-json';

function kindsFlag(v: string | undefined): DetectionKind[] | undefined {
  if (v === undefined) return undefined;
  const kinds = v.split(',').map((k) => k.trim()).filter(Boolean);
  const bad = kinds.filter((k) => !(DETECTION_KINDS as readonly string[]).includes(k));
  if (bad.length || !kinds.length) throw new CliExit(2, `--only takes detection kinds separated by commas (${DETECTION_KINDS.join(', ')}), not '${bad.join(',') || v}'`);
  return kinds as DetectionKind[];
}

/**
 * `flowcase detect CASE [--json] [--from T] [--to T] [--baseline-until T] [--only KIND,...]`: runs the
 * detectors, stores their detections (replacing the last run's) and prints them, strongest first.
 */
export const detectCommand: CliCommand = {
  name: 'detect',
  args: 'CASE',
  flags: {
    json: {}, from: { value: 'T' }, to: { value: 'T' }, 'baseline-until': { value: 'T' }, only: { value: 'KIND,...' },
    all: {}, 'no-run': {},
  },
  usageErrors: ['bad-window', 'bad-arguments'],
  async run(args, io) {
    const fromUs = timeFlag('from', stringFlag(args, 'from'));
    const toUs = timeFlag('to', stringFlag(args, 'to'));
    const baselineUntilUs = timeFlag('baseline-until', stringFlag(args, 'baseline-until'));
    const only = kindsFlag(stringFlag(args, 'only'));
    await withCase(args.positionals[0], args.values['no-run'] ? 'read' : 'write', async (api) => {
      const run = args.values['no-run'] ? await api.invoke('detections.lastRun', {}) : await api.invoke('detections.run', {
        ...(fromUs !== undefined ? { fromUs } : {}), ...(toUs !== undefined ? { toUs } : {}),
        ...(baselineUntilUs !== undefined ? { baselineUntilUs } : {}), ...(only ? { only } : {}),
      });
      const list = await api.invoke('detections.list', { status: args.values.all ? 'all' : 'open', ...(only ? { kinds: only } : {}) });
      if (args.values.json) {
        io.out(`${JSON.stringify(list.map(detectionJson), null, 1)}\n`);
        return;
      }
      for (const d of list) {
        io.out(`${d.severity.padEnd(8)} ${d.score.toFixed(2)} ${d.kind.padEnd(16)} ${microsToIso(d.startUs)}  ${d.summary}${d.status === 'suppressed' ? ' [suppressed]' : ''}\n`);
        io.out(`${' '.repeat(14)}evidence: ${d.evidence}\n`);
      }
      if (run) {
        io.err(`${list.length} detection${list.length === 1 ? '' : 's'} shown; run #${run.id}: ${run.detections} found, ${run.suppressed} suppressed by exclusions, `
          + `${Math.round(run.elapsedMs)} ms\n`);
      } else io.err('the detectors never ran on this case: run `flowcase detect CASE`\n');
    });
    return 0;
  },
};
