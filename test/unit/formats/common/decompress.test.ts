import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BrokenStreamError, decompress, detectCompression, type Compression } from '../../../../core/formats/common/decompress';

/** `printf 'hello flowcase\nline two\n'` compressed by bzip2 1.0.8 (-9) and zstd 1.5.4, for machines without the tools. */
const HELLO = 'hello flowcase\nline two\n';
const HELLO_BZ2 = 'QlpoOTFBWSZTWSSNYGkAAAVRgAAQQAArZYyAIAAinqGj1NP1IQAAJhKKCWxPHjubHCvi7kinChIEkawNIA==';
const HELLO_ZST = 'KLUv/SQYwQAAaGVsbG8gZmxvd2Nhc2UKbGluZSB0d28K9mn/nA==';

const HAVE_BZIP2 = spawnSync('bzip2', ['--help']).status === 0;
const HAVE_ZSTD = spawnSync('zstd', ['--version']).status === 0;
const NO_TOOL = (tool: string) => `${tool} command-line tool not installed (apt-get install ${tool}): large-stream test skipped`;

/** Compresses with the distribution's own tool, as the evidence would have been. */
function cli(tool: 'bzip2' | 'zstd', data: Uint8Array, args: string[]): Uint8Array {
  const r = spawnSync(tool, [...args, '-c'], { input: data, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
  return new Uint8Array(r.stdout);
}

/** Deterministic text of about n bytes that compresses like a flow log (repetitive, not trivial). */
function sampleText(n: number): Uint8Array {
  let x = 12345;
  const lines: string[] = [];
  let size = 0;
  while (size < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    const line = `${1600000000 + (x % 86400)}.${x % 1000000}\t10.0.${x & 255}.${(x >>> 8) & 255}\t${x % 65536}\t192.0.2.${(x >>> 16) & 255}\t443\ttcp\t${x % 9999}\n`;
    lines.push(line);
    size += line.length;
  }
  return new TextEncoder().encode(lines.join(''));
}

async function collect(kind: Compression, data: Uint8Array, chunkSize = 4096): Promise<Uint8Array> {
  const chunks = (async function* () {
    for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, i + chunkSize);
  })();
  const parts: Uint8Array[] = [];
  for await (const p of decompress(kind, chunks)) parts.push(p);
  return Buffer.concat(parts);
}

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('detectCompression()', () => {
  it('names gzip, bzip2 and zstd by their magic bytes and nothing else', () => {
    expect(detectCompression(gzipSync(Buffer.from('x')))).toBe('gzip');
    expect(detectCompression(b64(HELLO_BZ2))).toBe('bzip2');
    expect(detectCompression(b64(HELLO_ZST))).toBe('zstd');
    expect(detectCompression(new TextEncoder().encode('#separator \\x09'))).toBeNull();
  });
});

describe('decompress()', () => {
  it('streams gzip, bzip2 and zstd back to the original bytes', async () => {
    expect(Buffer.from(await collect('gzip', gzipSync(Buffer.from(HELLO)), 7)).toString()).toBe(HELLO);
    expect(Buffer.from(await collect('bzip2', b64(HELLO_BZ2), 7)).toString()).toBe(HELLO);
    expect(Buffer.from(await collect('zstd', b64(HELLO_ZST), 7)).toString()).toBe(HELLO);
  });

  it('reads concatenated gzip members as one stream', async () => {
    const two = Buffer.concat([gzipSync(Buffer.from('a\n')), gzipSync(Buffer.from('b\n'))]);
    expect(Buffer.from(await collect('gzip', two)).toString()).toBe('a\nb\n');
  });

  it('ends a truncated gzip stream with the compressed position instead of hanging', async () => {
    const gz = gzipSync(sampleText(200_000));
    const cut = gz.subarray(0, 5000);
    const err = await collect('gzip', cut, 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenStreamError);
    expect((err as BrokenStreamError).codec).toBe('gzip');
    expect((err as BrokenStreamError).compressedOffset).toBeGreaterThan(0);
    expect((err as BrokenStreamError).compressedOffset).toBeLessThanOrEqual(5000);
  });

  it('ends a corrupt or truncated bzip2 stream with the compressed position', async () => {
    const bad = b64(HELLO_BZ2);
    bad[20] ^= 0xff;
    const err = await collect('bzip2', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenStreamError);
    expect((err as Error).message).toMatch(/^bzip2 stream is broken near compressed byte \d+/);
    const cut = b64(HELLO_BZ2).subarray(0, 30);
    const err2 = await collect('bzip2', cut).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(BrokenStreamError);
    expect((err2 as BrokenStreamError).compressedOffset).toBeLessThanOrEqual(30);
  });

  it('ends a corrupt or truncated zstd stream with the compressed position', async () => {
    const cut = b64(HELLO_ZST).subarray(0, 20);
    const err = await collect('zstd', cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenStreamError);
    expect((err as BrokenStreamError).codec).toBe('zstd');
    const garbage = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(await collect('zstd', garbage).catch((e: unknown) => e)).toBeInstanceOf(BrokenStreamError);
  });

  it.skipIf(!HAVE_BZIP2)(HAVE_BZIP2 ? 'streams a many-block bzip2 file (bzip2 -1, 100k blocks) and concatenated streams' : NO_TOOL('bzip2'), async () => {
    const text = sampleText(1_500_000);
    const bz = cli('bzip2', text, ['-1']);
    const out = await collect('bzip2', bz, 65536);
    expect(out.length).toBe(text.length);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(text))).toBe(0);
    const both = Buffer.concat([cli('bzip2', Buffer.from('first\n'), []), cli('bzip2', Buffer.from('second\n'), [])]);
    expect(Buffer.from(await collect('bzip2', both)).toString()).toBe('first\nsecond\n');
    // A block cut in the middle: the error names a position inside the file, never past it.
    const err = await collect('bzip2', bz.subarray(0, Math.floor(bz.length / 2)), 65536).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenStreamError);
    expect((err as BrokenStreamError).compressedOffset).toBeLessThanOrEqual(Math.floor(bz.length / 2));
  });

  it.skipIf(!HAVE_ZSTD)(HAVE_ZSTD ? 'streams a multi-frame zstd file and reports where a cut one breaks' : NO_TOOL('zstd'), async () => {
    const text = sampleText(1_500_000);
    const zs = Buffer.concat([cli('zstd', text.subarray(0, 700_000), ['-q', '-3']), cli('zstd', text.subarray(700_000), ['-q', '-19'])]);
    const out = await collect('zstd', zs, 65536);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(text))).toBe(0);
    const half = Math.floor(zs.length / 2);
    const err = await collect('zstd', zs.subarray(0, half), 65536).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenStreamError);
    expect((err as BrokenStreamError).compressedOffset).toBeLessThanOrEqual(half);
  });
});
