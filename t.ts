import { CaseStore } from './core/store/case-store';
import { assessBreach } from './core/analysis/timeline/assessment';
import { buildStory } from './core/analysis/timeline/story';
const store = await CaseStore.open('bench-out/timeline.duckdb', { readOnly: true });
for (const m of ['all', 'run', 'value', 'one'] as const) {
  const orig = (store as any)[m].bind(store);
  (store as any)[m] = async (sql: string, p?: unknown) => { const t = performance.now(); const r = await orig(sql, p); const ms = performance.now() - t; if (ms > 15) console.log(m, Math.round(ms), sql.replace(/\s+/g, ' ').slice(0, 140)); return r; };
}
const since = 1_710_201_600_000_000 + 9 * 3600e6;
let t = performance.now(); await assessBreach(store, { hosts: ['10.0.0.5'], sinceUs: since }); console.log('assess', performance.now() - t);
t = performance.now(); await buildStory(store, '10.0.0.5'); console.log('story', performance.now() - t);
const { buildTimeline } = await import('./core/analysis/timeline/timeline-events');
t = performance.now(); await buildTimeline(store, { hosts: ['10.0.0.5'] }); console.log('timeline', performance.now() - t);
store.close();
