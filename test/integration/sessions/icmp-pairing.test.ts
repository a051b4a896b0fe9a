import { describe, expect, it } from 'vitest';
import { formatIp, parseIp } from '../../../core/model/ip';
import { CORPUS_SKIP_REASON, HAVE_CORPUS } from '../../helpers/corpus';
import { readZeekConnLog, sessionsOf } from './corpus-sessions';

/** Addresses in one spelling (the SQL console's ip_text writes IPv6 uncompressed). */
const addr = (a: string): string => formatIp(parseIp(a)!);
const key = (s: { origH: string; origP: number; respH: string; respP: number; proto: string }) =>
  `${s.proto} ${addr(s.origH)} ${s.origP} > ${addr(s.respH)} ${s.respP}`;

describe.skipIf(!HAVE_CORPUS)('ICMP sessions: id.resp_p is the answering type, as Zeek pairs them (#11)', () => {
  if (!HAVE_CORPUS) console.warn(CORPUS_SKIP_REASON);

  it('pppoe-icmp.pcap: echo 128/129, router solicitation 133/134, neighbour solicitation 135/136 and one-way types as Zeek logs them', async () => {
    const zeek = readZeekConnLog('pcap/zeek/pppoe-icmp.conn.log').filter((z) => z.proto === 'icmp');
    const ours = (await sessionsOf([{ rel: 'pcap/zeek/pppoe-icmp.pcap' }])).filter((s) => s.proto === 'icmp');
    expect(ours.map(key).sort()).toEqual(zeek.map(key).sort());
    expect(ours.map(key)).toEqual(expect.arrayContaining([
      'icmp fc00:0:2:100::1:1 128 > fc00::1 129', 'icmp fe80::c801:eff:fe88:8 134 > fe80::ce05:eff:fe88:0 133',
      'icmp fe80::c801:eff:fe88:8 136 > ff02::1 135',
    ]));
  });
});
