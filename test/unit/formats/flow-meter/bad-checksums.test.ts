import { describe, expect, it } from 'vitest';
import { pcapLoader } from '../../../../core/formats/pcap/pcap-loader';
import { corpus, CORPUS_SKIP_REASON, HAVE_CORPUS } from '../../../helpers/corpus';
import { fileSource } from '../../../helpers/file-source';
import { RecordingSink } from '../../../helpers/recording-sink';

async function decode(rel: string, options: Record<string, unknown> = {}): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const failure = await pcapLoader.decode({ source: fileSource(corpus(rel)), sink, fileName: rel, options });
  expect(failure).toBeUndefined();
  return sink;
}

const packets = (s: RecordingSink): number => s.flows.reduce((n, f) => n + f.packets + (f.revPackets ?? 0), 0);

describe.skipIf(!HAVE_CORPUS)('bad checksums: every captured packet is evidence (#11)', () => {
  if (!HAVE_CORPUS) console.warn(CORPUS_SKIP_REASON);

  it('ssh-bruteforce-port902.pcap: all 1,178 packets counted (as nfpcapd, Argus, Wireshark), 560 marked as bad checksums', async () => {
    const s = await decode('pcap/stratosphere/ssh-bruteforce-port902.pcap');
    expect(packets(s)).toBe(1178);
    const bad = s.flows.reduce((n, f) => n + (f.badChecksums ?? 0), 0);
    expect(bad).toBe(560);
    expect(s.counts['bad-checksum-packets']).toBe(560);
    // Zeek's C letter on the flows that had them.
    expect(s.flows.filter((f) => (f.badChecksums ?? 0) > 0).every((f) => /c/i.test(f.history ?? ''))).toBe(true);
    // Nearly all bad checksums were sent by the SSH server, the host the capture was taken on: offloading.
    const note = s.notes.find((n) => n.code === 'checksum-offloading-suspected');
    expect(note?.message).toMatch(/513 of them \(92 %\) were sent by 147\.32\.80\.37: this looks like NIC checksum offloading/);
    expect(s.facts.badChecksums).toMatchObject({ packets: 560, verified: false, offloadingSuspected: true, senders: { '147.32.80.37': 513, '147.32.80.40': 47 } });
  });

  it('--verify-checksums true keeps Zeek\'s behaviour: 618 packets, the rest ignored', async () => {
    const s = await decode('pcap/stratosphere/ssh-bruteforce-port902.pcap', { verifyChecksums: true });
    expect(packets(s)).toBe(618);
    expect(s.notes.find((n) => n.code === 'checksum-offloading-suspected')?.message).toMatch(/ignored as Zeek does/);
  });

  it('test7-malicious.pcap: the 471 packets with bad checksums are counted', async () => {
    const all = await decode('pcap/stratosphere/test7-malicious.pcap');
    const zeek = await decode('pcap/stratosphere/test7-malicious.pcap', { verifyChecksums: true });
    expect(packets(all) - packets(zeek)).toBe(471);
  });
});
