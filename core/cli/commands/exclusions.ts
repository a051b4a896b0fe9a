import type { ExclusionScope } from '../../api/contract';
// From the analysis layer, not the contract: the contract module loads zod, which --help need not parse.
import { DETECTION_KINDS } from '../../analysis/detect/detection-types';
import { microsToIso } from '../../model/time';
import { withCase } from '../cli-session';
import { CliExit, stringFlag, type CliCommand } from '../command';

function scopeFrom(args: Parameters<CliCommand['run']>[0]): ExclusionScope {
  const detector = stringFlag(args, 'detector') ?? 'all';
  if (detector !== 'all' && !(DETECTION_KINDS as readonly string[]).includes(detector)) {
    throw new CliExit(2, `--detector is 'all' or one of ${DETECTION_KINDS.join(', ')}, not '${detector}'`);
  }
  const port = stringFlag(args, 'port');
  if (port !== undefined && !/^\d+$/.test(port)) throw new CliExit(2, `--port wants a port number, got '${port}'`);
  return {
    detector: detector as ExclusionScope['detector'], src: stringFlag(args, 'src') ?? null, dst: stringFlag(args, 'dst') ?? null,
    host: stringFlag(args, 'host') ?? null, port: port === undefined ? null : Number(port),
  };
}

/**
 * `flowcase exclusions CASE [list|add|remove] [ID]`: what the detectors must not alarm on.
 * `add --detector KIND|all [--src CIDR] [--dst CIDR] [--host CIDR] [--port N] --reason TEXT [--detection ID]`;
 * with --detection the exclusion marks that detection "not malicious" and must cover it.
 * `remove ID` deactivates one (it stays listed with --all). Every change is audited.
 */
export const exclusionsCommand: CliCommand = {
  name: 'exclusions',
  args: 'CASE [list|add|remove] [ID]',
  flags: {
    detector: { value: 'KIND|all' }, src: { value: 'CIDR' }, dst: { value: 'CIDR' }, host: { value: 'CIDR' }, port: { value: 'N' },
    reason: { value: 'TEXT' }, detection: { value: 'ID' }, all: {}, json: {},
  },
  usageErrors: ['bad-arguments', 'not-found'],
  async run(args, io) {
    const action = args.positionals[1] ?? 'list';
    if (!['list', 'add', 'remove'].includes(action)) throw new CliExit(2, `exclusions takes list, add or remove, not '${action}'`);
    await withCase(args.positionals[0], action === 'list' ? 'read' : 'write', async (api) => {
      if (action === 'add') {
        const reason = stringFlag(args, 'reason');
        if (!reason) throw new CliExit(2, 'exclusions add needs --reason TEXT (why this is not malicious)');
        const scope = scopeFrom(args);
        const detection = stringFlag(args, 'detection');
        if (detection !== undefined) {
          const r = await api.invoke('detections.suppress', { id: Number(detection), scope, reason });
          io.out(`exclusion #${r.exclusion.id} added; ${r.suppressed} detection${r.suppressed === 1 ? '' : 's'} suppressed\n`);
        } else {
          const x = await api.invoke('exclusions.add', { scope, reason });
          io.out(`exclusion #${x.id} added\n`);
        }
        return;
      }
      if (action === 'remove') {
        const id = Number(args.positionals[2]);
        if (!Number.isInteger(id) || id < 1) throw new CliExit(2, 'exclusions remove needs the exclusion id (see `flowcase exclusions CASE list`)');
        const x = await api.invoke('exclusions.remove', { id });
        io.out(`exclusion #${x.id} removed (kept in the case as inactive)\n`);
        return;
      }
      const list = await api.invoke('exclusions.list', { includeInactive: !!args.values.all });
      if (args.values.json) {
        io.out(`${JSON.stringify(list.map((x) => ({ id: x.id, detector: x.detector, src: x.src ?? null, dst: x.dst ?? null, host: x.host ?? null,
          port: x.port ?? null, reason: x.reason, created: microsToIso(x.createdUs), from_detection_id: x.fromDetectionId, active: x.active })), null, 1)}\n`);
        return;
      }
      for (const x of list) {
        const parts = [x.src && `src ${x.src}`, x.dst && `dst ${x.dst}`, x.host && `host ${x.host}`, x.port !== null && x.port !== undefined && `port ${x.port}`].filter(Boolean);
        io.out(`#${x.id} ${x.active ? 'active  ' : 'inactive'} ${x.detector.padEnd(16)} ${(parts.join(', ') || 'everything').padEnd(30)} ${x.reason}\n`);
      }
    });
    return 0;
  },
};
