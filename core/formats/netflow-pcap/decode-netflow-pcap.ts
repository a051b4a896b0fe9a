import type { DecodeContext, DecodeFailure } from '../decoder';
import { ExportDecoder } from '../netflow-export/export-decoder';
import { isBrokenExportPayload, isExportPayload } from '../netflow-export/is-export-payload';
import { CaptureCursor, openCapture } from '../packets/packet-reader';

/**
 * Decodes the NetFlow v5/v9/IPFIX export traffic in a pcap/pcapng capture: every UDP
 * payload (any port, IPv4 or IPv6 transport) that is an export message by content. The
 * exporter is the UDP source address; a record's position is the file offset of the
 * packet that carried it.
 */
export async function decodeNetflowPcap(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { source, sink } = ctx;
  const cur = await openCapture(source, sink);
  if (!(cur instanceof CaptureCursor)) return cur;
  const dec = new ExportDecoder(sink);
  let otherUdp = 0;
  let otherIp = 0;
  let fragments = 0;
  let sinceYield = 0;
  for (;;) {
    while (cur.next()) {
      const pkt = cur.pkt;
      if (pkt.proto !== 17 || !pkt.hasTransport) {
        if (pkt.proto === 17 && pkt.isFragment) fragments++;
        else otherIp++;
        continue;
      }
      if (pkt.isFragment || pkt.payload.length < pkt.payloadLen) {
        // A fragmented or snapped export datagram cannot be decoded whole.
        if (isExportPayloadHead(pkt.payload)) {
          fragments++;
          sink.reject({ code: pkt.isFragment ? 'fragmented-datagram' : 'truncated-datagram', offset: pkt.offset, message: `export datagram of ${pkt.payloadLen} bytes, ${pkt.payload.length} captured in this packet` });
        } else otherUdp++;
        continue;
      }
      const p = pkt.payload;
      if (!isExportPayload(p) && !isBrokenExportPayload(p, pkt.srcPort, pkt.dstPort)) {
        otherUdp++;
        continue;
      }
      dec.decodeMessages(p, 0, p.length, 0, pkt.src, pkt.offset, true);
      if (++sinceYield >= 64) {
        sinceYield = 0;
        await sink.yield();
        if (sink.aborted) return;
      }
    }
    if (!(await cur.refill())) break;
  }
  if (otherUdp) sink.count('non-export-udp-packets', otherUdp);
  if (otherIp) sink.count('non-udp-packets', otherIp);
  if (fragments) sink.count('fragmented-export-packets', fragments);
  sink.fact('capture', cur.facts());
  dec.finish();
}

/** The first bytes of a fragment can still show an export header. */
function isExportPayloadHead(p: Uint8Array): boolean {
  if (p.length < 4) return false;
  const v = (p[0] << 8) | p[1];
  return v === 5 || v === 9 || v === 10;
}
