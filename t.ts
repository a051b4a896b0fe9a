import { join } from 'node:path';
import './core/formats/index';
import { writeBreachCapture } from './test/helpers/breach-capture';
import { tempDir } from './test/helpers/temp';
import { FlowcaseService } from './core/api/flowcase-service';
const t = tempDir('bc-');
writeBreachCapture(join(t.dir, 'breach.pcap'));
const s = new FlowcaseService({ transport: 'web' });
await s.openCase(join(t.dir, 'c.duckdb'));
const done = new Promise((r) => { const off = s.on('import.done', (e) => { off(); r(e); }); });
await s.call('import.start', { paths: [join(t.dir, 'breach.pcap')] });
await done;
const story: any = await s.call('story.build', { host: '10.0.0.5' });
const foot = story.entries.find((e: any) => e.kind === 'foothold');
try { const r: any = await s.call('story.decide', { host: '10.0.0.5', key: foot.key, decision: 'accept' }); console.log(r.entries.map((e: any) => e.kind + ':' + e.status)); } catch (e) { console.log('ERR', e); }
await s.dispose();
