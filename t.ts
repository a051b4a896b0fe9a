import { victimCase, V } from './test/helpers/victim-case';
import { assessBreach } from './core/analysis/timeline/assessment';
const c = await victimCase();
const a = await assessBreach(c.store, { hosts: [V], sinceUs: Date.UTC(2024,2,12,9,30)*1000 });
console.log(JSON.stringify(a, null, 1));
c.cleanup();
