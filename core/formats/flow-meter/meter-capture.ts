import type { DecodeContext, DecodeFailure } from '../decoder';
import type { FormatOption } from '../format-options';
import { CaptureCursor, openCapture } from '../packets/packet-reader';
import { LINK_TYPE_NAMES } from '../packets/decode-frame';
import { FlowMeter, type FlowMeterOptions } from './flow-meter';
import { PacketNames } from '../names/packet-names';

/** How often (in packets) the decoder hands control back to the ingest layer. */
const YIELD_EVERY = 8192;

/** The options of the flow meter, which the pcap and pcapng loaders declare. */
export const METER_OPTIONS: readonly FormatOption[] = [
  {
    key: 'idleTimeoutS', flag: 'idle-timeout', kind: 'seconds', label: 'Idle timeout', defaultText: '300 TCP / 60 UDP, ICMP',
    help: 'A flow ends after this many seconds without a packet. Default as Zeek: 300 s for established TCP, 60 s for UDP, ICMP and handshakes; a value here applies to all.',
  },
  {
    key: 'activeTimeoutS', flag: 'active-timeout', kind: 'seconds', label: 'Active timeout', defaultText: 'off',
    help: 'Split long flows into records of at most this many seconds (as NetFlow exporters do). Default off: one record per connection, like Zeek.',
  },
  {
    key: 'verifyChecksums', flag: 'verify-checksums', kind: 'boolean', label: 'Verify checksums', defaultText: 'false',
    help: 'true ignores packets with a bad TCP/UDP/ICMP checksum, as Zeek does. Default false: every captured packet is counted (as Zeek -C, nfpcapd, Argus), bad checksums are counted per flow (bad_checksums, history C) and per evidence.',
  },
];

/** Reads the meter options a user set for this import (METER_OPTIONS). */
export function meterOptions(o: Record<string, unknown>): FlowMeterOptions {
  const num = (k: string): number | undefined => {
    const v = o[k];
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  };
  const vc = o.verifyChecksums;
  return {
    idleTimeoutS: num('idleTimeoutS'),
    activeTimeoutS: num('activeTimeoutS'),
    verifyChecksums: vc === true || vc === 'true',
  };
}

/**
 * Decodes a pcap or pcapng capture and meters its packets into Zeek-style bidirectional
 * flows, reporting them to the sink. Shared by the `pcap` and `pcapng` loaders.
 */
export async function meterCapture(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { source, sink } = ctx;
  const cur = await openCapture(source, sink);
  if (!(cur instanceof CaptureCursor)) return cur;
  const meter = new FlowMeter(sink, meterOptions(ctx.options));
  // Names (DNS, SNI, HTTP Host) only for sinks that keep them; after the meter, which marks bad checksums.
  const names = sink.name ? new PacketNames((r) => sink.name!(r)) : null;
  let n = 0;
  for (;;) {
    while (cur.next()) {
      meter.add(cur.pkt);
      names?.add(cur.pkt);
      if (++n % YIELD_EVERY === 0) {
        await sink.yield();
        if (sink.aborted) return;
      }
    }
    if (!(await cur.refill())) break;
  }
  meter.finish();
  const facts = cur.facts();
  const linkTypes = (facts.linkTypes as number[]) ?? [];
  sink.fact('capture', facts);
  sink.fact('linkTypes', linkTypes.map((l) => `${l} ${LINK_TYPE_NAMES[l] ?? 'unsupported'}`));
  sink.fact('packets', cur.frames);
  sink.fact('ipPackets', cur.packets);
  if (cur.packets > 0) {
    sink.fact('firstPacketUs', cur.firstTsUs);
    sink.fact('lastPacketUs', cur.lastTsUs);
  }
  if (names) sink.count('names', names.found);
  sink.count('packets', cur.frames);
  sink.count('ip-packets', cur.packets);
}
