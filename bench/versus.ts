import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSyntheticNfcapd } from '../test/helpers/nfcapd-writer';
import { writeSyntheticPcap } from '../test/helpers/synthetic-pcap';

/**
 * `npm run bench -- --versus [--scale S] [--rounds N] [--out DIR]`: whole processes side by
 * side, Flowcase's `flowcase` command against nfdump's tools on the same generated files, in
 * one interleaved loop (so a busy machine slows both alike). Prints one JSON line per
 * comparison: medians of wall and CPU (user + system) time and their ratios (Flowcase / peer).
 * Installs Debian's nfdump package when nfpcapd/nfdump are missing (needs root and apt).
 */
export async function runVersus(opts: { scale: number; rounds: number; outDir: string }): Promise<void> {
  const out = (o: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(o) + '\n');
  if (!ensureNfdump(out)) return;
  mkdirSync(opts.outDir, { recursive: true });
  const packets = Math.max(1000, Math.round(1_700_000 * opts.scale));
  const flows = Math.max(1000, Math.round(1_000_000 * opts.scale));
  const longPcap = join(opts.outDir, 'versus-long.pcap');
  const shortPcap = join(opts.outDir, 'versus-short-flows.pcap');
  const nfcapd = join(opts.outDir, 'versus.nfcapd');
  const gen = [
    { file: longPcap, ...(await writeSyntheticPcap(longPcap, { packets, flows: 20_000, seed: 7 })) },
    { file: shortPcap, ...(await writeSyntheticPcap(shortPcap, { packets, flows: 5_000, seed: 7, shortFlows: true })) },
  ];
  const nf = writeSyntheticNfcapd(nfcapd, { records: flows, seed: 11 });
  for (const g of gen) out({ generated: g.file, packets: g.packets, flows: g.flows });
  out({ generated: nfcapd, flows: nf.records });

  const bin = resolve(import.meta.dirname, '..', 'bin', 'flowcase.mjs');
  const flowcase = (...args: string[]): string[] => [process.execPath, bin, ...args];
  const work = mkdtempSync(join(tmpdir(), 'flowcase-versus-'));
  const fresh = (name: string): string => {
    const p = join(work, name);
    rmSync(p, { force: true });
    rmSync(`${p}.wal`, { force: true });
    return p;
  };
  const nfOut = (): string => {
    const d = join(work, 'nfpcapd-out');
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d);
    return d;
  };
  // The case the pivot reads: the nfcapd file, imported once.
  const pivotCase = join(work, 'pivot.duckdb');
  run(flowcase('import', pivotCase, nfcapd, '--json'));
  const host = '10.0.0.1';
  const cases: Comparison[] = [
    { work: 'start', units: 0, goal: 'flowcase formats <= 150 ms', flowcase: () => flowcase('formats'), peer: () => ['nfdump', '-V'] },
    { work: 'start-help', units: 0, goal: 'flowcase --help <= 150 ms', flowcase: () => flowcase('--help'), peer: () => ['nfdump', '-V'] },
    { work: 'pcap-import-long-flows', units: gen[0].packets, goal: 'ratio <= 0.67', flowcase: () => flowcase('import', fresh('long.duckdb'), longPcap, '--json'), peer: () => ['nfpcapd', '-r', longPcap, '-w', nfOut(), '-e', '300,60'] },
    { work: 'pcap-import-short-flows', units: gen[1].packets, goal: 'ratio <= 0.67', flowcase: () => flowcase('import', fresh('short.duckdb'), shortPcap, '--json'), peer: () => ['nfpcapd', '-r', shortPcap, '-w', nfOut(), '-e', '300,60'] },
    { work: 'nfcapd-import', units: nf.records, goal: 'ratio <= 0.2', flowcase: () => flowcase('import', fresh('nfcapd.duckdb'), nfcapd, '--json'), peer: () => ['sh', '-c', `nfdump -r '${nfcapd}' -q -o csv > /dev/null`] },
    { work: 'pivot-one-host', units: nf.records, goal: 'ratio <= 1.0', flowcase: () => flowcase('pivot', pivotCase, host, '--json'), peer: () => ['sh', '-c', `nfdump -r '${nfcapd}' -q 'host ${host}' > /dev/null`] },
  ];
  const times = new Map<string, { f: Timing[]; p: Timing[] }>(cases.map((c) => [c.work, { f: [], p: [] }]));
  try {
    for (let r = 0; r < opts.rounds; r++) {
      for (const c of cases) {
        const t = times.get(c.work)!;
        // Alternate which goes first, so neither always runs on a warmer cache.
        if (r % 2 === 0) { t.f.push(run(c.flowcase())); t.p.push(run(c.peer())); } else { t.p.push(run(c.peer())); t.f.push(run(c.flowcase())); }
      }
    }
    for (const c of cases) {
      const t = times.get(c.work)!;
      const fw = median(t.f.map((x) => x.wallMs));
      const pw = median(t.p.map((x) => x.wallMs));
      const fc = median(t.f.map((x) => x.cpuMs));
      const pc = median(t.p.map((x) => x.cpuMs));
      out({
        work: c.work, peer: c.peer()[0] === 'sh' ? c.peer()[2].split(' ')[0] : c.peer()[0], rounds: opts.rounds, units: c.units || undefined,
        flowcase_ms: Math.round(fw), peer_ms: Math.round(pw), ratio: round2(fw / pw),
        flowcase_cpu_ms: Math.round(fc), peer_cpu_ms: Math.round(pc), cpu_ratio: round2(fc / pc),
        ...(c.units ? { flowcase_per_s: Math.round(c.units / (fw / 1000)), peer_per_s: Math.round(c.units / (pw / 1000)) } : {}),
        goal: c.goal,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface Comparison {
  work: string;
  units: number;
  goal: string;
  flowcase: () => string[];
  peer: () => string[];
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Runs a command to completion; wall time, and CPU time (user + system, children included) from /usr/bin/time when present. */
function run(cmd: string[]): Timing {
  const timeBin = existsSync('/usr/bin/time');
  const argv = timeBin ? ['/usr/bin/time', '-f', '\n%U %S', ...cmd] : cmd;
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t;
  const err = String(r.stderr).trim().split('\n');
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${r.status}): ${err.slice(-5).join(' ')}`);
  const [u, s] = timeBin ? err[err.length - 1].split(' ').map(Number) : [Number.NaN, Number.NaN];
  return { wallMs, cpuMs: (u + s) * 1000 };
}

/** nfpcapd and nfdump, from Debian's nfdump package when missing. */
function ensureNfdump(out: (o: Record<string, unknown>) => void): boolean {
  const have = (): boolean => spawnSync('sh', ['-c', 'command -v nfpcapd && command -v nfdump'], { stdio: 'ignore' }).status === 0;
  if (have()) return true;
  out({ installing: 'nfdump (apt-get install nfdump)' });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['install', '-y', '-qq', 'nfdump'], { stdio: 'ignore', env }).status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'nfdump'], { stdio: 'ignore', env });
  }
  if (have()) return true;
  out({ skipped: 'nfpcapd/nfdump not installed and apt-get install nfdump failed (needs root and the Debian archive)' });
  return false;
}

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];
const round2 = (x: number): number => Math.round(x * 100) / 100;
