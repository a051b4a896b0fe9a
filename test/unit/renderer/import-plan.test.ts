import { describe, expect, it } from 'vitest';
import { describeFormats } from '../../../core/formats/index';
import { ipauditDay } from '../../../core/formats/ipaudit/ipaudit-date';
import {
  blockingProblem, candidateLabel, groupImports, ipauditNameDate, isImportable, optionsFor, separatorName, stageFromSniff, type StagedFile,
} from '../../../renderer/features/import/import-plan';

const formats = describeFormats();
const staged = (patch: Partial<StagedFile>): StagedFile => ({
  path: `/e/${patch.name ?? 'f'}`, name: 'f', size: 1, compression: null, candidates: [], folder: false, format: null, options: {}, ...patch,
});

describe('stageFromSniff()', () => {
  it('takes the best candidate, and reads EISDIR as a folder to expand rather than an error', () => {
    const f = stageFromSniff({ path: '/e/a.pcap', name: 'a.pcap', size: 9, compression: null, candidates: [{ id: 'pcap', label: 'pcap', score: 90 }, { id: 'netflow-pcap', label: 'nf', score: 50 }] });
    expect(f).toMatchObject({ format: 'pcap', folder: false, error: undefined, options: {} });
    const dir = stageFromSniff({ path: '/e/set', name: 'set', size: 0, compression: null, candidates: [], error: '/e/set: EISDIR' });
    expect(dir).toMatchObject({ folder: true, error: undefined, format: null });
    expect(isImportable(dir)).toBe(true);
    const missing = stageFromSniff({ path: '/e/x', name: 'x', size: 0, compression: null, candidates: [], error: '/e/x: ENOENT' });
    expect(missing.error).toBe('/e/x: ENOENT');
    expect(isImportable(missing)).toBe(false);
  });
});

describe('optionsFor()', () => {
  it('sends only the options the chosen format declares, without empty values', () => {
    const o = { date: '2006-03-27', timeZone: 'UTC', idleTimeoutS: 60, activeTimeoutS: Number.NaN, preset: '' };
    expect(optionsFor('ipaudit', o, formats)).toEqual({ date: '2006-03-27', timeZone: 'UTC' });
    expect(optionsFor('pcap', o, formats)).toEqual({ idleTimeoutS: 60 });
    expect(optionsFor('csv', o, formats)).toEqual({ timeZone: 'UTC' });
    expect(optionsFor('zeek-conn', o, formats)).toEqual({});
    expect(optionsFor(null, o, formats)).toEqual({});
  });
});

describe('blockingProblem()', () => {
  it("applies the core's IPAudit date rule: a date from the name, or one typed that is a day of the calendar", () => {
    const problem = (patch: Partial<StagedFile>) => blockingProblem(staged({ format: 'ipaudit', ...patch }), formats);
    expect(problem({ name: '2006-03-27-08:00.txt' })).toBeNull();
    expect(problem({ name: '2006-03-27-08_00.txt.gz' })).toBeNull();
    expect(problem({ name: 'traffic.txt' })).toMatch(/no date.*enter the date/);
    expect(problem({ name: '2006-02-30-08:00.txt' })).toMatch(/no date.*enter the date/); // no such day: the name carries none
    expect(problem({ name: 'traffic.txt', options: { date: '2006-03-27' } })).toBeNull();
    expect(problem({ name: 'traffic.txt', options: { date: '2006-02-30' } })).toBe('Date wants a day of the calendar');
    expect(problem({ name: 'traffic.txt', options: { date: '27.03.2006' } })).toBe('Date wants a date as YYYY-MM-DD');
  });

  it('asks for a CSV mapping only when recognition failed, and for timeouts above zero', () => {
    expect(blockingProblem(staged({ format: 'csv', csv: { preset: null, guessed: false, error: 'no time column' } }), formats)).toMatch(/Map columns/);
    expect(blockingProblem(staged({ format: 'csv', csv: { preset: null, guessed: false, error: 'x' }, options: { mapping: { startTime: 'ts' } } }), formats)).toBeNull();
    expect(blockingProblem(staged({ format: 'pcap', options: { idleTimeoutS: 0 } }), formats)).toMatch(/wants seconds above 0/);
    expect(blockingProblem(staged({ format: 'pcap', options: { idleTimeoutS: 30 } }), formats)).toBeNull();
  });
});

describe('ipauditNameDate()', () => {
  it('reads the date (and interval start) exactly as the core does, Windows copies included', () => {
    for (const name of ['2006-03-27-08:00.txt', '2006-03-27-08_00.txt.gz', '2006-03-27-0800.txt', 'ipaudit-2006-03-27.txt', 'x.txt', '2006-02-30-08:00.txt']) {
      const core = ipauditDay(name, {});
      const expected = 'code' in core ? null
        : `${core.year}-${String(core.month).padStart(2, '0')}-${String(core.day).padStart(2, '0')}${core.startMinute === null ? '' : ` ${String(Math.floor(core.startMinute / 60)).padStart(2, '0')}:${String(core.startMinute % 60).padStart(2, '0')}`}`;
      expect(ipauditNameDate(name), name).toBe(expected);
    }
    expect(ipauditNameDate('2006-03-27-08:00.txt')).toBe('2006-03-27 08:00');
    expect(ipauditNameDate('ipaudit-2006-03-27.txt')).toBe('2006-03-27');
    expect(ipauditNameDate('2006-02-30-08:00.txt')).toBeNull();
  });
});

describe('groupImports()', () => {
  it('makes one job per format and options, in the order shown, whatever order the options were typed in', () => {
    const files = [
      staged({ name: 'a.pcap', format: 'pcap', options: { idleTimeoutS: 60, activeTimeoutS: 600 } }),
      staged({ name: 'b.log', format: 'zeek-conn' }),
      staged({ name: 'c.pcap', format: 'pcap', options: { activeTimeoutS: 600, idleTimeoutS: 60 } }),
      staged({ name: 'd.pcap', format: 'pcap' }),
      staged({ name: 'set', folder: true, format: 'pcap', options: { idleTimeoutS: 5 } }),
      staged({ name: 'gone', error: 'ENOENT', format: 'pcap' }),
      staged({ name: 'unknown', format: null }),
    ];
    expect(groupImports(files, formats)).toEqual([
      { format: 'pcap', options: { idleTimeoutS: 60, activeTimeoutS: 600 }, paths: ['/e/a.pcap', '/e/c.pcap'] },
      { format: 'zeek-conn', options: undefined, paths: ['/e/b.log'] },
      { format: 'pcap', options: undefined, paths: ['/e/d.pcap'] },
      { format: undefined, options: undefined, paths: ['/e/set'] },
    ]);
  });
});

describe('candidateLabel() and separatorName()', () => {
  it('names the two readings of a NetFlow capture plainly, other formats by their label', () => {
    const both = [{ id: 'netflow-pcap', label: 'NetFlow in pcap', score: 90 }, { id: 'pcap', label: 'pcap', score: 80 }];
    expect(candidateLabel('pcap', 'pcap', both)).toBe('Meter the packets into flows (pcap)');
    expect(candidateLabel('netflow-pcap', 'NetFlow in pcap', both)).toBe('Decode the NetFlow/IPFIX export packets (netflow-pcap)');
    expect(candidateLabel('pcap', 'pcap', [both[1]])).toBe('pcap (pcap)');
    expect([',', ';', '\t', 'tab', ' ', '|'].map(separatorName)).toEqual(['comma (,)', 'semicolon (;)', 'tab', 'tab', 'space', "'|'"]);
  });
});
