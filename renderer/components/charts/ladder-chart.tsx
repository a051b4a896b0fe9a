import { min } from 'd3';
import { formatBytes, formatCount, formatDuration, formatTime, tcpFlagLetters } from '../../lib/format';
import { useTimeZone } from '../../lib/time-zone';
import { useWidth } from './use-width';

/** One record of a session as the ladder draws it. */
export interface LadderRecord {
  id: string;
  startUs: number;
  endUs: number;
  /** The record's forward direction runs originator -> responder. */
  fromOrig: boolean;
  packets: number;
  bytes: number;
  revPackets: number | null;
  revBytes: number | null;
  flags: number | null;
  revFlags: number | null;
  /** Extra text (evidence and position) under the arrow. */
  source: string;
}

const ROW = 46;
const TOP = 44;
const ORIG = '#2f6fb0';
const RESP = '#e07b28';

/** Flag letters as Zeek-like short text: S A F R P U, only those set. */
function flagsShort(f: number | null): string {
  if (f === null) return '';
  return tcpFlagLetters(f).replace(/\./g, '');
}

/**
 * A ladder (message sequence) diagram of one session: the originator's and the
 * responder's lanes, each flow record as an arrow in its direction, placed in time order,
 * labelled with its flags, packets and bytes; a bidirectional record also gets the
 * answer arrow. The lanes show each record's span as a bar.
 */
export function LadderChart({ orig, resp, records, onSelect, selected }: {
  orig: string; resp: string; records: readonly LadderRecord[]; onSelect?: (id: string) => void; selected?: string | null;
}) {
  const tz = useTimeZone();
  const { ref, width } = useWidth<HTMLDivElement>(700);
  const left = 150;
  const right = Math.max(left + 220, width - 150);
  const steps: { rec: LadderRecord; forward: boolean; y: number }[] = [];
  let y = TOP + 16;
  for (const r of records) {
    steps.push({ rec: r, forward: true, y });
    y += ROW;
    if (r.revPackets !== null && r.revPackets > 0) {
      steps.push({ rec: r, forward: false, y: y - ROW / 2 + 16 });
      y += ROW / 2 + 10;
    }
  }
  const height = y + 10;
  const t0 = records.length ? min(records, (r) => r.startUs)! : 0;
  return (
    <div className="ladder" ref={ref} data-testid="ladder">
      <svg className="chart-svg" width={width} height={height} fontSize={11} role="img" aria-label={`Ladder of ${orig} and ${resp}`}>
        <defs>
          <marker id="ladder-arrow-o" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill={ORIG} />
          </marker>
          <marker id="ladder-arrow-r" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill={RESP} />
          </marker>
        </defs>
        <text x={left} y={16} textAnchor="middle" fontWeight={700} fill={ORIG}>originator</text>
        <text x={left} y={30} textAnchor="middle" fontFamily="ui-monospace, DejaVu Sans Mono, monospace" fill="#1b1f24">{orig}</text>
        <text x={right} y={16} textAnchor="middle" fontWeight={700} fill={RESP}>responder</text>
        <text x={right} y={30} textAnchor="middle" fontFamily="ui-monospace, DejaVu Sans Mono, monospace" fill="#1b1f24">{resp}</text>
        <line x1={left} x2={left} y1={TOP} y2={height - 4} stroke={ORIG} strokeWidth={3} strokeOpacity={0.35} />
        <line x1={right} x2={right} y1={TOP} y2={height - 4} stroke={RESP} strokeWidth={3} strokeOpacity={0.35} />
        {steps.map((s) => {
          const r = s.rec;
          // Which way this arrow runs: the record's direction, flipped for its answer half.
          const o2r = s.forward ? r.fromOrig : !r.fromOrig;
          const x1 = o2r ? left : right;
          const x2 = o2r ? right : left;
          const color = o2r ? ORIG : RESP;
          const pk = s.forward ? r.packets : r.revPackets ?? 0;
          const by = s.forward ? r.bytes : r.revBytes ?? 0;
          const fl = flagsShort(s.forward ? r.flags : r.revFlags);
          const sel = selected === r.id;
          return (
            <g key={`${r.id}-${s.forward ? 'f' : 'r'}`} className="ladder-step" cursor={onSelect ? 'pointer' : undefined} onClick={onSelect ? () => onSelect(r.id) : undefined} data-testid="ladder-step">
              {sel ? <rect x={left - 140} y={s.y - 22} width={right - left + 280} height={s.forward ? 36 : 26} fill="#d6e6fb" rx={3} /> : null}
              {s.forward ? (
                <>
                  <text x={8} y={s.y - 4} fill="#1b1f24" fontFamily="ui-monospace, DejaVu Sans Mono, monospace" fontSize={10}>{formatTime(r.startUs, tz, 'ms').slice(11)}</text>
                  <text x={8} y={s.y + 9} fill="#59636e" fontSize={10}>+{formatDuration(r.startUs - t0)}</text>
                </>
              ) : null}
              <line x1={x1} x2={x2} y1={s.y} y2={s.y} stroke={color} strokeWidth={s.forward ? 2 : 1.5} strokeDasharray={s.forward ? undefined : '5,3'} markerEnd={`url(#ladder-arrow-${o2r ? 'o' : 'r'})`} />
              <text x={(left + right) / 2} y={s.y - 5} textAnchor="middle" fill="#1b1f24">
                {fl ? <tspan fontWeight={700} fontFamily="ui-monospace, DejaVu Sans Mono, monospace">{fl}  </tspan> : null}
                {formatCount(pk)} pkt · {formatBytes(by)}
              </text>
              {s.forward ? (
                <text x={(left + right) / 2} y={s.y + 12} textAnchor="middle" fill="#59636e" fontSize={10}>
                  {r.source} · {formatDuration(r.endUs - r.startUs)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
