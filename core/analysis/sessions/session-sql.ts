/**
 * The SQL that turns flow rows into sessions, without a self-join:
 *
 *  1. `_sess_agg`: one GROUP BY over the window's flows per (sighting source, canonical
 *     5-tuple). For almost every key that group already is the session: its records span
 *     less than the idle limit and hold at most one SYN record per direction.
 *  2. Only the other keys (long-lived, repeated SYNs, several whole-connection rows) get
 *     the window pass: their rows, ordered by start, are cut where a new session begins
 *     (idle gap, a new SYN after FIN/RST, a pcap/Zeek row that is one connection by
 *     itself) and aggregated again per session number.
 *  3. `_sess_src` (a view): each session is oriented (originator) and given conn_state, history,
 *     a confidence and a reason.
 *  4. the insert: sessions of different sources (exporters / evidence files) with the
 *     same 5-tuple, overlapping times and similar counts are one conversation seen twice;
 *     the most exact sighting is kept, the others are recorded (sightings, flow_ids).
 *
 * Values come in as $parameters; the only interpolated text is constant SQL.
 */
import { REGISTERED_SERVICE_PORTS } from '../../model/service-ports';
import { SESSION_CONN_STATES, sessionReasonCode as R } from '../../store/schema';
import { ARP_PROTO } from '../../model/protocols';
import { icmpRespPortSql } from '../../formats/flow-meter/icmp-counterpart';

/** Formats whose rows are whole connections with Zeek's own state and history. */
export const EXACT_FORMATS: readonly string[] = ['pcap', 'pcapng', 'zeek', 'zeek-conn', 'zeek-tsv', 'zeek-json', 'zeek-conn-json'];


const sqlList = (xs: readonly (string | number)[]): string =>
  xs.map((x) => (typeof x === 'number' ? String(x) : `'${x.replace(/'/g, "''")}'`)).join(', ');

/** Packets a direction's SYN, FIN, RST and PSH flags account for at least (one each). */
const flagPackets = (f: string): string =>
  `(((${f} & 2) <> 0)::INTEGER + ((${f} & 1) <> 0)::INTEGER + ((${f} & 4) <> 0)::INTEGER + ((${f} & 8) <> 0)::INTEGER)`;

const isService = (port: string): string => `(${port} < 1024 OR ${port} IN (${sqlList(REGISTERED_SERVICE_PORTS)}))`;

// IPv4-mapped 0.0.0.0 and :: both mean "exporter unknown" (nfpcapd writes 0.0.0.0).
const V4_ZERO = (0xffffn << 32n).toString();

// The key every pass groups by: sighting source and the canonical 5-tuple.
const KEY_COLS = 'src, proto, a_ip, a_port, b_ip, b_port';

/**
 * Flows of the window with canonical key (lower endpoint first; ICMP types live in their
 * own columns, so ICMP pairs by address) and sighting source: the exporter when the
 * record names one, else the evidence set (a folder imported together, e.g. rotated
 * nfcapd files) and format, else the evidence file. Records of one source continue each
 * other across files; two sources are two sightings.
 */
const KEYED_FLOWS = `
SELECT *,
  CASE WHEN fwd THEN src_ip ELSE dst_ip END AS a_ip,
  CASE WHEN proto IN (1, 58) THEN 0 WHEN fwd THEN src_port ELSE dst_port END AS a_port,
  CASE WHEN fwd THEN dst_ip ELSE src_ip END AS b_ip,
  CASE WHEN proto IN (1, 58) THEN 0 WHEN fwd THEN dst_port ELSE src_port END AS b_port
FROM (
  SELECT f.flow_id, f.evidence_id, f.start_us, f.end_us, f.proto, f.src_ip, f.dst_ip, f.src_port, f.dst_port,
    f.packets, f.bytes, f.rev_packets, f.rev_bytes, f.tcp_flags, f.rev_tcp_flags, f.icmp_type, f.icmp_code,
    f.payload_bytes, f.rev_payload_bytes, f.missed_bytes, f.sampling, f.state, f.history, f.service, e.format,
    (f.src_ip < f.dst_ip OR (f.src_ip = f.dst_ip AND f.src_port <= f.dst_port)) AS fwd,
    (e.format IN (${sqlList(EXACT_FORMATS)}) OR f.history IS NOT NULL) AS exact,
    ((coalesce(f.tcp_flags, 0) | coalesce(f.rev_tcp_flags, 0)) & 2) <> 0 AS syn,
    ((coalesce(f.tcp_flags, 0) | coalesce(f.rev_tcp_flags, 0)) & 5) <> 0 AS closing,
    CASE WHEN f.exporter_ip IS NOT NULL AND f.exporter_ip <> 0 AND f.exporter_ip <> ${V4_ZERO}::UHUGEINT
           THEN hash(f.exporter_ip, 'exporter')
         WHEN e.evidence_set IS NOT NULL THEN hash(e.evidence_set, e.format, 'set')
         ELSE hash(f.evidence_id) END AS src
  FROM flows f JOIN evidence e USING (evidence_id)
  -- ARP rows are not IP connections: Zeek's conn.log has none.
  WHERE f.end_us >= $lo AND f.start_us <= $hi AND f.proto <> ${ARP_PROTO}
)`;

/** What a session keeps of its rows; a = the canonical lower endpoint, b = the other. */
const AGGREGATES = `
  hash(${KEY_COLS}) AS k,
  hash(proto, a_ip, a_port, b_ip, b_port) AS kk,
  min(start_us) AS start_us, max(end_us) AS end_us, count(*) AS n_rows,
  bool_or(exact) AS exact,
  -- Argus/binetflow rows are bidirectional even when only the bytes are split per direction.
  bool_or(rev_packets IS NOT NULL OR rev_bytes IS NOT NULL) AS bidir,
  arg_min(fwd, start_us) AS first_fwd,
  -- Rows with a history are whole connections (one row a session), so any value is theirs.
  any_value(history) AS row_history,
  any_value(format) AS format,
  -- ICMP: Zeek names the conversation by the request type (echo 8 over reply 0).
  max(icmp_type) AS icmp_type, max(icmp_code) AS icmp_code,
  arg_max(state, end_us) AS last_state,
  min(start_us) FILTER (WHERE fwd OR rev_packets > 0) AS a_first,
  min(start_us) FILTER (WHERE NOT fwd OR rev_packets > 0) AS b_first,
  sum(CASE WHEN fwd THEN packets ELSE coalesce(rev_packets, 0) END)::UBIGINT AS pk_a,
  sum(CASE WHEN fwd THEN coalesce(rev_packets, 0) ELSE packets END)::UBIGINT AS pk_b,
  sum(CASE WHEN fwd THEN bytes ELSE coalesce(rev_bytes, 0) END)::UBIGINT AS by_a,
  sum(CASE WHEN fwd THEN coalesce(rev_bytes, 0) ELSE bytes END)::UBIGINT AS by_b,
  sum(CASE WHEN fwd THEN payload_bytes ELSE rev_payload_bytes END)::UBIGINT AS pl_a,
  sum(CASE WHEN fwd THEN rev_payload_bytes ELSE payload_bytes END)::UBIGINT AS pl_b,
  bit_or(CASE WHEN fwd THEN tcp_flags ELSE rev_tcp_flags END) AS fl_a,
  bit_or(CASE WHEN fwd THEN rev_tcp_flags ELSE tcp_flags END) AS fl_b,
  bool_or(tcp_flags IS NOT NULL OR rev_tcp_flags IS NOT NULL) AS have_flags,
  max(service) AS service,
  sum(missed_bytes)::UBIGINT AS missed_bytes,
  max(coalesce(sampling, 1)) AS sampling,
  list(flow_id) AS flow_ids,
  -- Evidence files as a range: almost every session comes from one file, and a list
  -- aggregate per session costs as much as the flow_ids list. Sessions spanning several
  -- files get their exact list afterwards (SESSION_EVIDENCE_SQL).
  min(evidence_id) AS ev_min, max(evidence_id) AS ev_max,
  count(*) FILTER (WHERE syn AND fwd) AS syn_a_rows,
  count(*) FILTER (WHERE syn AND NOT fwd) AS syn_b_rows`;

/** Pass 1: every (source, 5-tuple) of the window as one candidate session. */
export const SESSION_AGG_SQL = `
CREATE OR REPLACE TEMP TABLE _sess_agg AS
SELECT ${KEY_COLS}, 1::BIGINT AS sess_no, ${AGGREGATES}, NULL::UINTEGER[] AS evidence_ids
FROM (${KEYED_FLOWS})
GROUP BY ${KEY_COLS}`;

/** Exact evidence lists for the (few) sessions whose flows come from more than one file. */
export const SESSION_EVIDENCE_SQL = `
UPDATE _sess_agg SET evidence_ids = m.ids
FROM (
  SELECT x.k, x.sess_no, list(DISTINCT f.evidence_id ORDER BY f.evidence_id) AS ids
  FROM (SELECT k, sess_no, unnest(flow_ids) AS flow_id FROM _sess_agg WHERE ev_min <> ev_max) x
  JOIN flows f USING (flow_id)
  GROUP BY x.k, x.sess_no
) m
WHERE _sess_agg.k = m.k AND _sess_agg.sess_no = m.sess_no`;

/** Keys whose group may hold more than one session (see the module comment). */
const NEEDS_SPLIT = `n_rows > 1 AND (end_us - start_us > $idle OR exact OR syn_a_rows > 1 OR syn_b_rows > 1)`;

/** Pass 2a: the window pass over the rows of keys that may hold several sessions. */
export const SESSION_SPLIT_SQL = `
CREATE OR REPLACE TEMP TABLE _sess_split AS
WITH rows AS (
  SELECT * FROM (${KEYED_FLOWS})
  WHERE hash(${KEY_COLS}) IN (SELECT k FROM _sess_agg WHERE ${NEEDS_SPLIT})
), marked AS (
  SELECT *,
    CASE
      WHEN prev_end IS NULL THEN 1
      -- pcap-metered and Zeek rows are whole connections already.
      WHEN exact OR prev_exact THEN 1
      WHEN start_us - prev_end > $idle THEN 1
      -- A SYN that starts after everything before it ended, right after a FIN/RST: the
      -- port pair was reused for a new connection.
      WHEN proto = 6 AND syn AND prev_closing AND start_us > prev_end THEN 1
      ELSE 0
    END AS new_sess
  FROM (
    SELECT *,
      max(end_us) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end,
      lag(exact) OVER w AS prev_exact,
      lag(closing) OVER w AS prev_closing
    FROM rows
    WINDOW w AS (PARTITION BY ${KEY_COLS} ORDER BY start_us, flow_id)
  )
), numbered AS (
  SELECT *, sum(new_sess) OVER (PARTITION BY ${KEY_COLS} ORDER BY start_us, flow_id ROWS UNBOUNDED PRECEDING) AS sess_no
  FROM marked
)
SELECT ${KEY_COLS}, sess_no, ${AGGREGATES}, NULL::UINTEGER[] AS evidence_ids
FROM numbered
GROUP BY ${KEY_COLS}, sess_no`;

/** Pass 2b: the split keys' sessions replace their single-group candidates. */
export const SESSION_REPLACE_SPLIT_SQL = [
  `DELETE FROM _sess_agg WHERE ${NEEDS_SPLIT}`,
  `INSERT INTO _sess_agg SELECT * FROM _sess_split`,
];

/**
 * Pass 3: each session oriented (orig/resp) and given conn_state, history, confidence.
 * A view, not a table: materialising it would copy every flow_ids list once more.
 */
export const SESSION_SOURCE_SQL = `
CREATE OR REPLACE TEMP VIEW _sess_src AS
WITH agg AS (
  SELECT * EXCLUDE (ev_min, ev_max, evidence_ids), last_state AS first_state,
    CASE WHEN ev_min = ev_max THEN [ev_min] ELSE evidence_ids END AS evidence_ids
  FROM _sess_agg
), dir AS (
  SELECT *,
    coalesce(fl_a, 0) AS fa, coalesce(fl_b, 0) AS fb,
    CASE
      WHEN exact THEN 'source'
      -- Only a SYN-ACK was seen (one side's flags are exactly SYN+ACK, the other sent no
      -- SYN): its sender is the responder, the roles flip like Zeek's '^h'.
      WHEN proto = 6 AND coalesce(fl_a, 0) = 18 AND (coalesce(fl_b, 0) & 2) = 0 THEN 'synack'
      WHEN proto = 6 AND coalesce(fl_b, 0) = 18 AND (coalesce(fl_a, 0) & 2) = 0 THEN 'synack'
      WHEN bidir THEN 'source'
      WHEN proto = 6 AND (coalesce(fl_a, 0) & 2) <> 0 AND (coalesce(fl_b, 0) & 2) = 0 THEN 'syn'
      WHEN proto = 6 AND (coalesce(fl_b, 0) & 2) <> 0 AND (coalesce(fl_a, 0) & 2) = 0 THEN 'syn'
      -- Both sides sent SYN: the SYN-ACK side has ACK; a side with SYN but no ACK ever
      -- sent only SYNs, so it is the originator; else the earlier SYN opened it.
      WHEN proto = 6 AND (coalesce(fl_a, 0) & 2) <> 0 AND ((fl_a & 16) = 0) <> ((fl_b & 16) = 0) THEN 'syn'
      WHEN proto = 6 AND (coalesce(fl_a, 0) & 2) <> 0 AND a_first IS DISTINCT FROM b_first THEN 'syn-first'
      WHEN ${isService('a_port')} <> ${isService('b_port')} THEN 'port'
      WHEN a_first IS DISTINCT FROM b_first THEN 'time'
      ELSE 'tie'
    END AS dir_rule
  FROM agg
), oriented AS (
  SELECT *,
    CASE dir_rule
      WHEN 'source' THEN first_fwd
      WHEN 'synack' THEN fb = 18
      WHEN 'syn' THEN CASE WHEN (fa & 2) <> 0 AND (fb & 2) = 0 THEN true
                           WHEN (fb & 2) <> 0 AND (fa & 2) = 0 THEN false
                           ELSE (fa & 16) = 0 END
      WHEN 'syn-first' THEN coalesce(a_first < b_first, b_first IS NULL)
      WHEN 'port' THEN NOT ${isService('a_port')}
      WHEN 'time' THEN coalesce(a_first < b_first, b_first IS NULL)
      ELSE a_port >= b_port
    END AS orig_is_a
  FROM dir
), ep AS (
  SELECT *,
    CASE WHEN orig_is_a THEN fa ELSE fb END AS fo, CASE WHEN orig_is_a THEN fb ELSE fa END AS fr,
    CASE WHEN orig_is_a THEN pk_a ELSE pk_b END AS po, CASE WHEN orig_is_a THEN pk_b ELSE pk_a END AS pr,
    -- A side is active when it sent packets or bytes (binetflow splits only the bytes).
    CASE WHEN orig_is_a THEN pk_a > 0 OR by_a > 0 ELSE pk_b > 0 OR by_b > 0 END AS o_act,
    CASE WHEN orig_is_a THEN pk_b > 0 OR by_b > 0 ELSE pk_a > 0 OR by_a > 0 END AS r_act,
    CASE
      WHEN exact THEN coalesce(row_history LIKE '^%', false)
      WHEN dir_rule = 'source' THEN have_flags AND proto = 6 AND ((CASE WHEN orig_is_a THEN fa ELSE fb END) & 2) = 0
      WHEN proto = 6 THEN dir_rule IN ('synack', 'port', 'time', 'tie')
      ELSE dir_rule IN ('port', 'tie')
    END AS direction_inferred
  FROM oriented
), st AS (
  -- Zeek's endpoint states (TCP_INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED,
  -- CLOSED, RESET) as far as OR-ed flags show them: RST and FIN are taken as the last
  -- thing an endpoint did; ACK with a SYN on both sides means the handshake completed.
  SELECT *,
    CASE WHEN NOT o_act THEN 'INACTIVE' WHEN (fo & 4) <> 0 THEN 'RESET' WHEN (fo & 1) <> 0 THEN 'CLOSED'
         WHEN (fo & 2) <> 0 THEN CASE WHEN (fo & 16) <> 0 AND (fr & 2) <> 0 THEN 'ESTABLISHED' ELSE 'SYN_SENT' END
         ELSE 'PARTIAL' END AS os,
    CASE WHEN NOT r_act THEN 'INACTIVE' WHEN (fr & 4) <> 0 THEN 'RESET' WHEN (fr & 1) <> 0 THEN 'CLOSED'
         WHEN (fr & 2) <> 0 THEN CASE WHEN (fr & 16) = 0 THEN 'SYN_SENT' WHEN (fo & 16) <> 0 THEN 'ESTABLISHED' ELSE 'SYN_ACK_SENT' END
         ELSE 'PARTIAL' END AS rs
  FROM ep
), flagstate AS (
  -- Zeek's conn_state() (base/protocols/conn/main.zeek) applied to those endpoint states.
  SELECT *,
    CASE
      WHEN rs = 'RESET' THEN CASE
        WHEN (fo & 2) <> 0 AND (fo & 21) = 0 THEN 'REJ'
        WHEN os IN ('SYN_SENT', 'SYN_ACK_SENT') THEN 'REJ'
        WHEN os IN ('INACTIVE', 'PARTIAL') THEN 'RSTRH'
        ELSE 'RSTR' END
      WHEN os = 'RESET' THEN CASE
        WHEN rs IN ('INACTIVE', 'PARTIAL') THEN CASE WHEN (fo & 2) <> 0 AND (fo & 17) = 0 THEN 'RSTOS0' ELSE 'OTH' END
        ELSE 'RSTO' END
      WHEN os = 'CLOSED' AND rs = 'CLOSED' THEN 'SF'
      WHEN os = 'CLOSED' THEN CASE WHEN rs IN ('INACTIVE', 'PARTIAL') THEN 'SH' ELSE 'S2' END
      WHEN rs = 'CLOSED' THEN CASE WHEN os IN ('INACTIVE', 'PARTIAL') THEN 'SHR' ELSE 'S3' END
      WHEN os = 'SYN_SENT' AND rs = 'INACTIVE' THEN 'S0'
      WHEN os = 'ESTABLISHED' AND rs = 'ESTABLISHED' THEN 'S1'
      ELSE 'OTH'
    END AS flag_state
  FROM st
)
SELECT *,
  CASE
    WHEN exact THEN coalesce(first_state, 'OTH')
    WHEN proto = 6 AND have_flags THEN flag_state
    WHEN proto = 6 THEN CASE last_state
      WHEN 'REQ' THEN CASE WHEN NOT r_act THEN 'S0' ELSE 'OTH' END
      WHEN 'ACC' THEN 'S1'
      WHEN 'CON' THEN 'S1'
      WHEN 'FIN' THEN 'SF'
      WHEN 'CLO' THEN 'SF'
      -- No payload on either side (<= 80 bytes a packet, Ethernet header included) = refused.
      WHEN 'RST' THEN CASE WHEN NOT r_act THEN 'RSTOS0' WHEN by_a + by_b <= 80 * (pk_a + pk_b) THEN 'REJ' ELSE 'RSTR' END
      ELSE 'OTH' END
    WHEN proto = 17 THEN CASE WHEN o_act AND r_act THEN 'SF' WHEN o_act THEN 'S0' WHEN r_act THEN 'SHR' ELSE 'OTH' END
    ELSE 'OTH'
  END AS conn_state,
  CASE
    WHEN exact THEN 'exact'
    WHEN sampling > 1 THEN 'ambiguous'
    WHEN proto = 6 AND have_flags THEN CASE
      WHEN rs = 'RESET' AND os = 'RESET' THEN 'ambiguous'
      WHEN direction_inferred AND flag_state IN ('S2', 'S3', 'SH', 'SHR', 'RSTO', 'RSTR', 'RSTRH', 'RSTOS0') THEN 'ambiguous'
      ELSE 'approximate' END
    WHEN proto = 6 THEN CASE WHEN last_state IN ('REQ', 'CON', 'ACC') THEN 'approximate' ELSE 'ambiguous' END
    ELSE 'approximate'
  END AS state_confidence,
  -- state_reason as its code (SESSION_STATE_REASONS) and the state the text names.
  CASE
    WHEN exact THEN NULL
    WHEN sampling > 1 THEN ${R('sampled')}
    WHEN proto = 6 AND have_flags THEN CASE
      WHEN rs = 'RESET' AND os = 'RESET' THEN ${R('both-rst')}
      WHEN direction_inferred AND flag_state IN ('S2', 'S3', 'SH', 'SHR', 'RSTO', 'RSTR', 'RSTRH', 'RSTOS0')
        THEN ${R('no-syn-close')}
      ELSE ${R('flags')} END
    WHEN proto = 6 THEN CASE
      WHEN last_state IS NULL THEN ${R('no-state')}
      WHEN last_state IN ('REQ', 'CON', 'ACC') THEN ${R('argus')}
      WHEN last_state IN ('FIN', 'CLO') THEN ${R('argus-close')}
      WHEN last_state = 'RST' THEN ${R('argus-rst')}
      ELSE ${R('argus-other')} END
    WHEN proto = 17 THEN ${R('udp')}
    ELSE ${R('other-proto')}
  END::UTINYINT AS state_reason_code,
  CASE WHEN NOT exact AND sampling <= 1 AND proto = 6 AND NOT have_flags AND last_state <> 'RST' THEN last_state END AS state_reason_arg,
  CASE
    WHEN exact THEN row_history
    WHEN proto = 6 AND have_flags THEN
      -- Letters the flags can show, each once, in a fixed order (not the packet order):
      -- S h A D a d F f R r; D/d from PSH (data pushed). Zeek's A/a is a pure ACK: shown
      -- only when the direction has more packets than its SYN/FIN/RST/PSH flags explain
      -- (an ACK bit that came with RST or FIN alone is not a letter of its own).
      nullif(concat(
        CASE WHEN (fo & 2) <> 0 THEN 'S' ELSE '' END, CASE WHEN (fr & 18) = 18 THEN 'h' WHEN (fr & 2) <> 0 THEN 's' ELSE '' END,
        CASE WHEN (fo & 16) <> 0 AND po > ${flagPackets('fo')} THEN 'A' ELSE '' END, CASE WHEN (fo & 8) <> 0 THEN 'D' ELSE '' END,
        CASE WHEN (fr & 16) <> 0 AND pr > ${flagPackets('fr')} THEN 'a' ELSE '' END, CASE WHEN (fr & 8) <> 0 THEN 'd' ELSE '' END,
        CASE WHEN (fo & 1) <> 0 THEN 'F' ELSE '' END, CASE WHEN (fr & 1) <> 0 THEN 'f' ELSE '' END,
        CASE WHEN (fo & 4) <> 0 THEN 'R' ELSE '' END, CASE WHEN (fr & 4) <> 0 THEN 'r' ELSE '' END), '')
    WHEN proto = 17 THEN nullif(concat(CASE WHEN o_act THEN 'D' ELSE '' END, CASE WHEN r_act THEN 'd' ELSE '' END), '')
    ELSE NULL
  END AS history,
  (CASE WHEN exact THEN 3 WHEN bidir THEN 2 ELSE 1 END) AS pref
FROM flagstate`;

/**
 * Pass 4: groups sightings of one conversation from different sources and inserts one
 * session per group. Counts, state and direction come from the most exact sighting
 * (pcap/Zeek, then bidirectional, then unidirectional records; then most packets).
 * `dedupe` = false skips the grouping windows when the window holds one source only.
 */
export function insertSessionsSql(dedupe: boolean): string {
  // Only 5-tuples seen by more than one source can hold duplicate sightings; the windows
  // below run over those sessions alone.
  const grouped = dedupe
    ? `
, multi AS (SELECT kk FROM _sess_src GROUP BY kk HAVING count(DISTINCT src) > 1
), single AS (
  SELECT *, flow_ids AS all_flow_ids, evidence_ids AS all_evidence_ids, 1 AS n_sightings
  FROM _sess_src WHERE kk NOT IN (SELECT kk FROM multi)
), clustered AS (
  SELECT *, sum(CASE WHEN prev_end IS NULL OR start_us > prev_end + $dup_tol THEN 1 ELSE 0 END)
      OVER (PARTITION BY kk ORDER BY start_us, src, sess_no ROWS UNBOUNDED PRECEDING) AS cl
  FROM (SELECT *, max(end_us) OVER (PARTITION BY kk ORDER BY start_us, src, sess_no
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
        FROM _sess_src WHERE kk IN (SELECT kk FROM multi))
), ranked AS (
  -- Inside one cluster of overlapping sessions, the n-th session of each source is the
  -- n-th conversation: sources are aligned by rank, never merged within one source.
  SELECT *, row_number() OVER (PARTITION BY kk, cl, src ORDER BY start_us, sess_no) AS rk
  FROM clustered
), primaried AS (
  SELECT *, first_value(pk_a + pk_b) OVER g AS pk0, first_value(src) OVER g AS src0, first_value(sess_no) OVER g AS sess0
  FROM ranked
  WINDOW g AS (PARTITION BY kk, cl, rk ORDER BY pref DESC, pk_a + pk_b DESC, src, sess_no)
), members AS (
  -- A sighting joins the primary only when its packet count is within a factor of two
  -- (or it is sampled); otherwise it stays a session of its own.
  SELECT *, (src = src0 AND sess_no = sess0) AS is_primary,
    (src = src0 AND sess_no = sess0) OR sampling > 1 OR ((pk_a + pk_b) * 2 >= pk0 AND (pk_a + pk_b) <= pk0 * 2) AS is_similar
  FROM primaried
), grouped AS (
  SELECT *, CASE WHEN is_similar THEN hash(kk, cl, src0, sess0) ELSE hash(kk, cl, src, sess_no) END AS grp FROM members
), lists AS (
  SELECT grp, flatten(list(flow_ids)) AS all_flow_ids, list_distinct(flatten(list(evidence_ids))) AS all_evidence_ids,
    count(*) AS n_sightings
  FROM grouped GROUP BY grp
), merged AS (
  SELECT * EXCLUDE (all_flow_ids, all_evidence_ids, n_sightings), all_flow_ids, all_evidence_ids, n_sightings FROM single
  UNION ALL BY NAME
  SELECT g.* EXCLUDE (prev_end, cl, rk, pk0, src0, sess0, is_primary, is_similar, grp), l.all_flow_ids, l.all_evidence_ids, l.n_sightings
  FROM grouped g JOIN lists l USING (grp)
  WHERE g.is_primary OR NOT g.is_similar
)`
    : `
, merged AS (SELECT *, flow_ids AS all_flow_ids, evidence_ids AS all_evidence_ids, 1 AS n_sightings FROM _sess_src)`;
  return `
INSERT INTO sessions (uid_hash, ts, end_us, "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", ip_proto, service,
  orig_bytes, resp_bytes, conn_state, history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes, missed_bytes,
  direction_inferred, state_confidence, state_reason_code, state_reason_arg, source_format, sightings, flow_ids, evidence_ids)
WITH dummy AS (SELECT 1)${grouped}, oriented_out AS (
  SELECT *,
    CASE WHEN orig_is_a THEN a_ip ELSE b_ip END AS o_h, CASE WHEN orig_is_a THEN a_port ELSE b_port END AS o_p,
    CASE WHEN orig_is_a THEN b_ip ELSE a_ip END AS r_h, CASE WHEN orig_is_a THEN b_port ELSE a_port END AS r_p
  FROM merged
), out AS (
  -- A hash of the oriented 5-tuple and start: the same session gets the same uid on every
  -- rebuild. (DuckDB's hash() is ~5x cheaper than md5 of the text; it is stable within a
  -- DuckDB version, which is what keeps note references valid across rebuilds.)
  SELECT *, hash(proto, o_h, o_p, r_h, r_p, start_us) AS uid_hash
  FROM oriented_out
)
SELECT
  -- uid, proto and duration are generated columns of sessions (computed when read).
  uid_hash, start_us AS ts, end_us,
  o_h, CASE WHEN proto IN (1, 58) THEN coalesce(icmp_type, 0) ELSE o_p END,
  r_h, CASE WHEN proto IN (1, 58) THEN ${icmpRespPortSql('proto', 'icmp_type', 'icmp_code')} ELSE r_p END,
  proto, service,
  CASE WHEN orig_is_a THEN pl_a ELSE pl_b END, CASE WHEN orig_is_a THEN pl_b ELSE pl_a END,
  -- conn_state is an ENUM of Zeek's values; a source state outside them (Zeek emits none) is OTH.
  CASE WHEN conn_state IN (${sqlList(SESSION_CONN_STATES)}) THEN conn_state ELSE 'OTH' END, history,
  CASE WHEN orig_is_a THEN pk_a ELSE pk_b END, CASE WHEN orig_is_a THEN by_a ELSE by_b END,
  CASE WHEN orig_is_a THEN pk_b ELSE pk_a END, CASE WHEN orig_is_a THEN by_b ELSE by_a END,
  missed_bytes, direction_inferred, state_confidence, state_reason_code, state_reason_arg, format, n_sightings,
  all_flow_ids, all_evidence_ids
FROM out`;
}
