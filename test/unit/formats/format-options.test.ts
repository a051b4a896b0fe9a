import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeOptionsSchema } from '../../../core/api/contract';
import { LOADERS } from '../../../core/formats/index';
import { checkOptionValue, type FormatOption } from '../../../core/formats/format-options';
import { formatOptionFlags, parseFormatOptions } from '../../../core/formats/option-flags';
import { REPO_ROOT } from '../../helpers/corpus';
import { withGeneratedTables } from '../../../scripts/readme-tables';

const FORMATS = join(REPO_ROOT, 'core/formats');
const declared = LOADERS.flatMap((l) => l.options);

/** A value each kind accepts, to try the contract with. */
function sample(o: FormatOption): unknown {
  switch (o.kind) {
    case 'date': return '2006-03-27';
    case 'time-zone': case 'utc-offset': return 'UTC';
    case 'seconds': return 30;
    case 'boolean': return false;
    case 'choice': return o.choices![0];
    case 'csv-mapping': return { startTime: 'ts', srcAddr: 'sa', dstAddr: 'da' };
  }
}

describe('format option declarations', () => {
  it('every format folder has <id>-loader.ts, a decode-*.ts and, for a binary format, its <id>-layout.ts', () => {
    // netflow-pcap reads pcap/pcapng framing and the NetFlow layouts; it has none of its own.
    const ownLayout = (id: string) => id !== 'netflow-pcap';
    for (const l of LOADERS) {
      const folder = readdirSync(FORMATS).find((d) => statSync(join(FORMATS, d)).isDirectory() && existsSync(join(FORMATS, d, `${l.id}-loader.ts`)));
      expect(folder, `${l.id}-loader.ts`).toBeDefined();
      const files = readdirSync(join(FORMATS, folder!));
      expect(files.some((f) => /^decode-.*\.ts$/.test(f)), `${folder}/decode-*.ts`).toBe(true);
      if (l.positionUnit === 'byte' && ownLayout(l.id)) expect(files.some((f) => f.endsWith('-layout.ts')), `${folder}/*-layout.ts`).toBe(true);
    }
  });

  it('match the options the API contract accepts, key for key', () => {
    const keys = new Set(declared.map((o) => o.key));
    expect([...keys].sort()).toEqual(Object.keys(DecodeOptionsSchema.shape).sort());
    for (const o of declared) expect(DecodeOptionsSchema.safeParse({ [o.key]: sample(o) }).success, o.key).toBe(true);
  });

  it('are the only options the decoders read', () => {
    const keys = new Set(declared.map((o) => o.key));
    const read = new Set<string>();
    const walk = (dir: string): void => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/\boptions\.(\w+)\b/g)) read.add(m[1]);
      }
    };
    walk(FORMATS);
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((k) => !keys.has(k))).toEqual([]);
  });

  it('give one CLI flag per option, whatever number of formats read it', () => {
    const flags = formatOptionFlags();
    expect(flags.map((f) => f.flag)).toEqual(['date', 'time-zone', 'preset', 'separator', 'has-header', 'time-format', 'keep-arp', 'idle-timeout', 'active-timeout', 'verify-checksums']);
    expect(flags.find((f) => f.flag === 'time-zone')!.uses.map((u) => u.format)).toEqual(['ipaudit', 'csv', 'argus-csv']);
  });
});

describe('parseFormatOptions()', () => {
  it('reads flags into decode options keyed as decoders read them, typed by their declaration', () => {
    expect(parseFormatOptions({ 'idle-timeout': '90', 'verify-checksums': 'false', date: '2006-03-27', separator: 'tab' })).toEqual({
      options: { idleTimeoutS: 90, verifyChecksums: false, date: '2006-03-27', separator: 'tab' },
    });
    expect(parseFormatOptions({})).toEqual({ options: {} });
  });

  it('refuses a value its declaration does not allow, naming the flag', () => {
    expect(parseFormatOptions({ 'active-timeout': 'soon' })).toEqual({ error: "--active-timeout wants seconds above 0 (at most 2592000), got 'soon'" });
    expect(parseFormatOptions({ date: '27.03.2006' })).toEqual({ error: "--date wants a date as YYYY-MM-DD, got '27.03.2006'" });
    expect(parseFormatOptions({ 'keep-arp': 'yes' })).toEqual({ error: "--keep-arp wants true or false, got 'yes'" });
    expect(parseFormatOptions({ preset: 'argus' })).toEqual({ error: "--preset wants one of auto, nfdump, cicflowmeter, got 'argus'" });
  });

  it('checkOptionValue() refuses days that are not in the calendar and empty zones', () => {
    const date = declared.find((o) => o.key === 'date')!;
    const zone = declared.find((o) => o.key === 'timeZone')!;
    expect([checkOptionValue(date, '2024-02-29'), checkOptionValue(date, '2023-02-29'), checkOptionValue(zone, ' ')]).toEqual([
      null, 'wants a day of the calendar', 'wants a zone name (UTC, Europe/Berlin) or an offset (+01:00)',
    ]);
  });
});

describe('README', () => {
  it('holds the options and issue-code tables as scripts/readme-tables.ts writes them (run it after changing a declaration)', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(withGeneratedTables(readme)).toBe(readme);
  });
});
