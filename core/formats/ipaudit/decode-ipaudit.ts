import type { DecodeContext, DecodeFailure, RecordProblem } from '../decoder';
import type { FlowInput } from '../../model/flow-batch';
import { parseIp4 } from '../../model/ip';
import { forEachLine, rejectLine } from '../common/line-reader';
import { parseCount } from '../csv/decimal-micros';
import { ipauditDay, type IpauditDay } from './ipaudit-date';

const DAY_US = 86_400_000_000;
/** `08:00:02.7605`: IPAudit prints times of day to 1/10000 s. */
const TIME = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const MAC = /^[0-9a-fA-F]{12}$/;

/**
 * Reads IPAudit's text output (ipaudit(8), "OUTPUT"): one connection per line,
 * `ip1 ip2 proto port1 port2 bytes_to_ip1 bytes_to_ip2 pkts_to_ip1 pkts_to_ip2`, then with -t
 * `first_time last_time first_talker last_talker`, with -e the two Ethernet addresses.
 * ip1 is the local host. The source of a flow is the first talker (1 = ip1, 2 = ip2) when the
 * line has one, else ip1; packets/bytes are then what the other host received, and the
 * reverse direction fills revPackets/revBytes. Times of day take their date from the file
 * name or the `date` option, in the `timeZone` option's zone (default UTC).
 */
export async function decodeIpaudit(ctx: DecodeContext): Promise<DecodeFailure | void> {
  const { sink } = ctx;
  const day = ipauditDay(ctx.fileName, ctx.options);
  if ('code' in day) return day;
  sink.fact('dateSource', day.source);
  sink.fact('date', `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`);
  sink.fact('timeZone', day.clock.timeZone);
  const midnightUs = day.clock.toUtcMicros(day.year, day.month, day.day, 0, 0, 0);
  let noTimesNoted = false;
  return forEachLine(ctx, (no, text) => {
    const line = text.trim();
    if (line.length === 0) return;
    const out = parseLine(line.split(/\s+/), no, day, midnightUs);
    if ('code' in out) return rejectLine(sink, no, out);
    if (out.attrs?.first_talker === undefined && !noTimesNoted) {
      noTimesNoted = true;
      sink.note({ code: 'no-flow-times', offset: no, message: 'lines without first/last time (ipaudit run without -t): flows take the interval start from the file name (or midnight of the date), and ip1 as source' });
    }
    sink.flow(out);
  });
}

function parseLine(v: string[], pos: number, day: IpauditDay, midnightUs: number): FlowInput | RecordProblem {
  if (v.length < 9) return { code: 'bad-column-count', message: `${v.length} fields, IPAudit writes at least 9` };
  const ip1 = parseIp4(v[0]);
  if (ip1 === null) return { code: 'bad-address', message: `'${v[0]}' is not an IPv4 address` };
  const ip2 = parseIp4(v[1]);
  if (ip2 === null) return { code: 'bad-address', message: `'${v[1]}' is not an IPv4 address` };
  const n: number[] = [];
  for (let i = 2; i < 9; i++) {
    const x = parseCount(v[i]);
    if (x === null) return { code: 'bad-number', message: `field ${i + 1} '${v[i]}' is not a count` };
    n.push(x);
  }
  const [proto, port1, port2, bytesTo1, bytesTo2, pktsTo1, pktsTo2] = n;
  if (proto > 255 || port1 > 65535 || port2 > 65535) return { code: 'bad-number', message: `protocol or port out of range` };

  let firstUs: number | null = null;
  let lastUs: number | null = null;
  let firstTalker: number | undefined;
  let lastTalker: number | undefined;
  const macs: string[] = [];
  let i = 9;
  if (i < v.length && TIME.test(v[i])) {
    if (v.length < 13) return { code: 'bad-column-count', message: `${v.length} fields; with times IPAudit writes 13` };
    firstUs = timeOfDay(v[9]);
    lastUs = timeOfDay(v[10]);
    if (firstUs === null || lastUs === null) return { code: 'bad-time', message: `'${v[9]} ${v[10]}' are not times of day` };
    firstTalker = Number(v[11]);
    lastTalker = Number(v[12]);
    if ((firstTalker !== 1 && firstTalker !== 2) || (lastTalker !== 1 && lastTalker !== 2)) return { code: 'bad-number', message: `talkers '${v[11]} ${v[12]}' are not 1 or 2` };
    i = 13;
  }
  for (; i < v.length; i++) {
    if (!MAC.test(v[i])) return { code: 'bad-column-count', message: `unexpected field ${i + 1} '${v[i]}'` };
    macs.push(v[i].toLowerCase());
  }
  if (macs.length !== 0 && macs.length !== 2) return { code: 'bad-column-count', message: `${macs.length} Ethernet address(es), IPAudit writes 2` };

  let startUs: number;
  let endUs: number;
  if (firstUs === null || lastUs === null) {
    startUs = endUs = midnightUs + (day.startMinute ?? 0) * 60_000_000;
  } else {
    // A time of day earlier than the interval start (less an hour of slack) is after midnight.
    if (day.startMinute !== null && firstUs < (day.startMinute - 60) * 60_000_000) firstUs += DAY_US;
    if (lastUs < firstUs) lastUs += DAY_US;
    startUs = midnightUs + firstUs;
    endUs = midnightUs + lastUs;
  }
  const ip2First = firstTalker === 2;
  const flow: FlowInput = ip2First
    ? { pos, startUs, endUs, proto, src: ip2, dst: ip1, srcPort: port2, dstPort: port1, packets: pktsTo1, bytes: bytesTo1, revPackets: pktsTo2, revBytes: bytesTo2 }
    : { pos, startUs, endUs, proto, src: ip1, dst: ip2, srcPort: port1, dstPort: port2, packets: pktsTo2, bytes: bytesTo2, revPackets: pktsTo1, revBytes: bytesTo1 };
  const attrs: Record<string, unknown> = { local: ip2First ? 'dst' : 'src' };
  if (firstTalker !== undefined) {
    attrs.first_talker = firstTalker;
    attrs.last_talker = lastTalker;
  }
  if (macs.length === 2) {
    attrs.src_mac = ip2First ? macs[1] : macs[0];
    attrs.dst_mac = ip2First ? macs[0] : macs[1];
  }
  flow.attrs = attrs;
  return flow;
}

/** Microseconds after midnight, or null. */
function timeOfDay(s: string): number | null {
  const m = TIME.exec(s);
  if (!m) return null;
  const h = +m[1], mi = +m[2], sec = +m[3];
  if (h > 23 || mi > 59 || sec > 60) return null;
  const frac = m[4] ? Number((m[4] + '000000').slice(0, 6)) : 0;
  return ((h * 60 + mi) * 60 + sec) * 1_000_000 + frac;
}
