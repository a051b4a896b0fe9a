import { join } from 'node:path';
import { writeSyntheticPcap } from '../test/helpers/synthetic-pcap';
import { benchExternal, benchImport, type StageContext } from './import-stage';
import { timed } from './report';

/** pcap -> flow meter -> DuckDB, against nfdump's nfpcapd on the same file. */
export async function runStage(ctx: StageContext): Promise<void> {
  const file = join(ctx.outDir, 'synthetic.pcap');
  const { ms, value } = await timed(() => writeSyntheticPcap(file, { packets: ctx.count, flows: 20_000, seed: 7 }));
  ctx.report({ name: 'pcap-generate', packets: value.packets, flows: value.flows, ms: Math.round(ms) });
  await benchImport(ctx, 'pcap-import', file, value.packets);
  benchExternal(ctx, 'nfpcapd-read-same-file', 'nfpcapd', (tmp) => ['-r', file, '-w', tmp, '-e', '300,60'], { packets: value.packets });
}
