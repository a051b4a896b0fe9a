import { withCase } from '../cli-session';
import { CliExit, type CliCommand } from '../command';

/**
 * `flowcase thresholds CASE [set DETECTOR NAME VALUE|default] [--json]`: each detector's
 * thresholds (value, default, meaning); `set` changes one for this case (audited), `default` resets it.
 */
export const thresholdsCommand: CliCommand = {
  name: 'thresholds',
  args: 'CASE [set] [DETECTOR] [NAME] [VALUE]',
  flags: { json: {} },
  usageErrors: ['bad-arguments', 'not-found'],
  async run(args, io) {
    const [path, action, detector, name, value] = args.positionals;
    if (action !== undefined && action !== 'set') throw new CliExit(2, `thresholds takes 'set DETECTOR NAME VALUE', not '${action}'`);
    await withCase(path, action ? 'write' : 'read', async (api) => {
      if (action === 'set') {
        if (!detector || !name || value === undefined) throw new CliExit(2, 'usage: flowcase thresholds CASE set DETECTOR NAME VALUE|default');
        const v = value === 'default' ? null : Number(value);
        if (v !== null && !Number.isFinite(v)) throw new CliExit(2, `a threshold is a number (or 'default'), not '${value}'`);
        const t = await api.invoke('detections.setThreshold', { detector, name, value: v });
        io.out(`${t.detector} ${t.name} = ${t.value}${t.value === t.defaultValue ? ' (default)' : ` (default ${t.defaultValue})`}\n`);
        return;
      }
      const list = await api.invoke('detections.thresholds', {});
      if (args.values.json) {
        io.out(`${JSON.stringify(list.map((t) => ({ detector: t.detector, name: t.name, value: t.value, default: t.defaultValue, help: t.help })), null, 1)}\n`);
        return;
      }
      for (const t of list) {
        io.out(`${t.detector.padEnd(17)} ${t.name.padEnd(24)} ${String(t.value).padStart(10)}${t.value === t.defaultValue ? '          ' : ' (changed)'}  ${t.help}\n`);
      }
    });
    return 0;
  },
};
