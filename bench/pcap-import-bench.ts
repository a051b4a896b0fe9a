import { join } from 'node:path';
import { writeSyntheticPcap } from '../test/helpers/synthetic-pcap';
import { benchExternal, benchImport, type StageContext } from './import-stage';
import { timed } from './report';

/**
 * pcap -> flow meter -> DuckDB, against nfdump's nfpcapd on the same file: once for a few long
 * flows (20 k concurrent connections of tens of packets), once for many short ones (scans, DNS,
 * short web requests: 2-9 packets each, hundreds of thousands of flows).
 */
export async function runStage(ctx: StageContext): Promise<void> {
  for (const [suffix, opts] of [['', { flows: 20_000 }], ['-short-flows', { flows: 5_000, shortFlows: true }]] as const) {
    const file = join(ctx.outDir, `synthetic${suffix}.pcap`);
    const { ms, value } = await timed(() => writeSyntheticPcap(file, { packets: ctx.count, seed: 7, ...opts }));
    ctx.report({ name: `pcap-generate${suffix}`, packets: value.packets, flows: value.flows, ms: Math.round(ms) });
    await benchImport(ctx, `pcap-import${suffix}`, file, value.packets);
    benchExternal(ctx, `nfpcapd-read-same-file${suffix}`, 'nfpcapd', (tmp) => ['-r', file, '-w', tmp, '-e', '300,60'], { packets: value.packets });
  }
}
