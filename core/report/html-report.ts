import type { AddressContext } from '../enrich/address-context';
import type { BreachAssessment } from '../analysis/timeline/assessment';
import type { StoryEntry } from '../analysis/timeline/story-types';
import type { TimelineEvent } from '../analysis/timeline/timeline-events';
import { bytesText, countText, plural, portText } from '../analysis/timeline/wording';
import { custodyText } from '../store/audit-head';
import { esc } from './html-escape';
import type { HostSection, ReportData } from './report-data';
import { barChartSvg, timeChartSvg } from './svg-charts';
import { zonedText } from './zoned-time';

/**
 * The report as one self-contained HTML file: inline CSS, inline SVG charts, no script, no
 * reference to anything outside the file, so it opens offline in any browser and prints
 * (to PDF) as it shows. Pure: the same data gives the same bytes; the generation time
 * appears on exactly one line (the `generated` paragraph), which is all that differs
 * between two generations of an unchanged case.
 */
export function renderHtmlReport(d: ReportData): string {
  const t = (us: number | null | undefined): string => (us === null || us === undefined ? '–' : zonedText(us, d.timeZone));
  const title = `Flowcase report: ${d.caseName}${d.hosts.length ? ` (${d.hosts.map((h) => h.host).join(', ')})` : ''}`;
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    // No script, no outside resources: the policy states it for any browser that opens the file.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<meta name="generator" content="${esc(d.versions.flowcase)}">`, `<title>${esc(title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');

  out.push('<header>', `<h1>${esc(title)}</h1>`, '<table class="kv">',
    row('Case file', `<span class="mono">${esc(d.casePath)}</span>`),
    row('Times', `shown in ${esc(d.timeZone)}; stored as UTC`),
    row('Evidence', `${plural(d.evidence.length, 'file')}, ${plural(d.totals.flows, 'flow record')} from ${esc(t(d.totals.firstUs))} to ${esc(t(d.totals.lastUs))}`),
    row('Custody', `<span class="custody">${esc(custodyText(d.custody))}</span>`),
    '</table>');
  // The one line that changes from one generation to the next.
  out.push(`<p class="generated">Generated ${esc(zonedText(d.generatedUs, d.timeZone))} by ${esc(d.versions.flowcase)}.</p>`);
  out.push('</header>');

  out.push('<nav><ol>', '<li><a href="#question">The question and the assessment</a></li>', '<li><a href="#evidence">Evidence</a></li>');
  for (const h of d.hosts) out.push(`<li><a href="#host-${anchor(h.host)}">Host ${esc(h.host)}</a></li>`);
  out.push('<li><a href="#timeline">Timeline with notes</a></li>', '<li><a href="#detections">Detections and how they were made</a></li>',
    '<li><a href="#method">How this report was made</a></li>', '<li><a href="#appendix">Appendix: the flows cited</a></li>', '</ol></nav>');

  // 1. The question and the assessment.
  out.push('<section id="question">', '<h2>The question and the assessment</h2>', `<p class="question">${esc(d.question)}</p>`);
  if (d.conclusions.length) {
    out.push('<h3>The analyst\'s conclusion</h3>');
    for (const c of d.conclusions) out.push(`<blockquote>${para(c.text)}<footer>note ${c.id}, revision ${c.revision}, ${esc(t(c.updatedUs))}</footer></blockquote>`);
  }
  if (!d.hosts.length) out.push('<p class="muted">No host is under assessment: bookmark the victim host, or name it (<span class="mono">--host</span>).</p>');
  for (const h of d.hosts) out.push(...assessmentSummary(h, t));
  out.push('</section>');

  // 2. Evidence.
  out.push('<section id="evidence">', '<h2>Evidence</h2>',
    '<p>Every file was hashed when it was imported and is never modified; a record keeps its file and its byte offset or line.</p>',
    '<table class="grid"><thead><tr><th>#</th><th>File</th><th>Format</th><th>Size</th><th>SHA-256</th><th>Records</th><th>Rejected</th><th>First</th><th>Last</th><th>Parser</th><th>Clock offset</th></tr></thead><tbody>');
  for (const e of d.evidence) {
    out.push(`<tr><td>${e.evidenceId}</td><td>${esc(e.name)}<div class="muted mono small">${esc(e.path)}</div></td><td>${esc(e.format)}</td>`
      + `<td class="num">${countText(e.size)} B</td><td class="mono hash">${esc(e.sha256)}</td><td class="num">${countText(e.records)}</td>`
      + `<td class="num">${countText(e.rejected)}</td><td>${esc(t(e.firstUs))}</td><td>${esc(t(e.lastUs))}</td><td>${esc(e.toolVersion)}</td>`
      + `<td class="num">${e.clockOffsetUs ? `${(e.clockOffsetUs / 1e6).toFixed(3)} s (recorded, not applied)` : '–'}</td></tr>`);
  }
  out.push('</tbody></table>');
  const withIssues = d.evidence.filter((e) => e.issues.length || Object.keys(e.issueCounts).length);
  if (withIssues.length) {
    out.push('<h3>Import issues</h3>', '<table class="grid"><thead><tr><th>File</th><th>Issue</th><th>Count</th><th>First occurrences (offset or line: message)</th></tr></thead><tbody>');
    for (const e of withIssues) {
      const codes = Object.keys(e.issueCounts).length ? Object.keys(e.issueCounts).sort() : [...new Set(e.issues.map((i) => i.code))].sort();
      for (const code of codes) {
        const first = e.issues.filter((i) => i.code === code).slice(0, 5).map((i) => `${countText(i.offset)}: ${esc(i.message)}`).join('<br>');
        out.push(`<tr><td>${esc(e.name)}</td><td class="mono">${esc(code)}</td><td class="num">${countText(e.issueCounts[code] ?? e.issues.filter((i) => i.code === code).length)}</td><td>${first}</td></tr>`);
      }
    }
    out.push('</tbody></table>');
  } else {
    out.push('<p>No import issues were recorded.</p>');
  }
  out.push('</section>');

  // 3. Each host.
  for (const h of d.hosts) out.push(...hostSection(h, d, t));

  // 4. The timeline with notes.
  out.push('<section id="timeline">', '<h2>Timeline with notes</h2>',
    '<p>Detections, the analyst\'s notes and bookmarks, the story of each host (accepted entries, and proposals not yet reviewed) and the first and last contact with each external peer, in time order. Each line names the filter that shows its flows.</p>');
  out.push(...timelineTable(d.timeline, t));
  const unplaced = d.notes.filter((x) => x.atUs === null);
  if (unplaced.length) {
    out.push('<h3>Notes without a place in time</h3><ul>');
    for (const x of unplaced) out.push(`<li>${esc(x.targetKind)} ${esc(x.targetRef)}: ${esc(x.text)}${tags(x.tags)}</li>`);
    out.push('</ul>');
  }
  out.push('</section>');

  // 5. Detections.
  out.push('<section id="detections">', '<h2>Detections and how they were made</h2>');
  if (!d.hasDetectionsTable) out.push('<p>No detection has been run on this case.</p>');
  else if (!d.detections.length) out.push('<p>The detectors found nothing about these hosts (suppressed findings are not shown).</p>');
  else {
    out.push('<table class="grid"><thead><tr><th>Start</th><th>End</th><th>Kind</th><th>Severity</th><th>Source</th><th>Target</th><th>Summary</th><th>Evidence filter</th></tr></thead><tbody>');
    for (const x of d.detections) {
      out.push(`<tr><td>${esc(t(x.startUs))}</td><td>${esc(t(x.endUs))}</td><td>${esc(x.kind)}</td><td>${esc(x.severity)}</td>`
        + `<td class="mono">${esc(x.src ?? 'many')}</td><td class="mono">${esc(x.dst ?? 'many')}</td><td>${esc(x.summary)}</td><td class="mono small">${esc(x.evidence)}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  if (d.detectionRuns.length) {
    out.push('<h3>Detector runs (versions, thresholds, exclusions)</h3>');
    const cols = [...new Set(d.detectionRuns.flatMap((r) => Object.keys(r)))];
    out.push(`<table class="grid"><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>`);
    for (const r of d.detectionRuns) out.push(`<tr>${cols.map((c) => `<td class="small">${esc(r[c] ?? '')}</td>`).join('')}</tr>`);
    out.push('</tbody></table>');
  } else if (d.hasDetectionsTable) {
    out.push('<p class="muted">The case records no detector runs beyond the findings themselves.</p>');
  }
  out.push('</section>');

  // 6. Method.
  const th = d.settings.storyThresholds;
  const cov = d.settings.coverageRules;
  out.push('<section id="method">', '<h2>How this report was made</h2>', '<table class="kv">',
    row('Flowcase', esc(d.versions.flowcase)), row('DuckDB', esc(d.versions.duckdb)),
    row('Parsers (per evidence)', esc(d.versions.parsers.join(', ') || '–')), row('Time zone', esc(d.timeZone)),
    row('Internal networks', `<span class="mono">${esc(d.settings.internalNetworks.join(', '))}</span>`),
    row('Counting', d.totals.counted === d.totals.flows
      ? `every conversation once (${plural(d.totals.counted, 'flow record')}; no record repeats another source's)`
      : `every conversation once: ${countText(d.totals.counted)} of ${plural(d.totals.flows, 'flow record')} counted, the others repeat traffic another source recorded`),
    row('Bytes', 'IP-layer bytes as each source recorded them; records from sampled exporters are scaled by their sampling rate in estimates, which say so'),
    row('Story rules', esc(`a source probed a host with ≥ ${th.minFailed} refused or unanswered attempts, scanned it with ≥ ${th.minScanPorts} ports tried, or brute-forced it with ≥ ${th.minBruteSessions} established sessions under ${bytesText(th.shortSessionBytes)} to one port; `
      + `the foothold is such a source's first established session of ≥ ${bytesText(th.minSuccessBytes)} (and ≥ ${th.successFactor}× the median of three or more on that port); `
      + `downloads ≥ ${bytesText(th.minDownloadBytes)} in one session; transfers out ≥ ${bytesText(th.minTransferBytes)} per destination; scans by the host ≥ ${th.minScanTargets} hosts on one port; at most ${th.maxPerKind} entries of a kind`)),
    row('Coverage rules', esc(`a gap is a stretch without records longer than ${cov.gapMinUs / 60e6} min and ${cov.gapFactor}× the source's usual spacing (its 90th percentile), judged for sources with records in at least ${cov.minActiveBins} time bins`)),
    row('Filters', 'each entry, event and figure names its filter expression; paste it into the Flows view to see exactly those records'),
    row('Custody', esc(custodyText(d.custody))),
    '</table>', '</section>');

  // 7. Appendix.
  out.push('<section id="appendix" class="appendix">', '<h2>Appendix: the flows cited</h2>');
  if (!d.citedFlows.length) out.push('<p>No flow is cited.</p>');
  else {
    out.push('<table class="grid small"><thead><tr><th>Flow</th><th>Start</th><th>Proto</th><th>Source</th><th>Destination</th><th>Packets</th><th>Bytes</th><th>Reverse</th><th>Evidence file</th><th>Offset / line</th><th>SHA-256 of the file</th><th>Cited as</th></tr></thead><tbody>');
    for (const f of d.citedFlows) {
      out.push(`<tr><td class="num">${f.flowId}</td><td>${esc(t(f.startUs))}</td><td>${esc(portText(f.dstPort, f.proto).split('/')[1])}</td>`
        + `<td class="mono">${esc(f.src)}:${f.srcPort}</td><td class="mono">${esc(f.dst)}:${f.dstPort}</td><td class="num">${countText(f.packets)}</td>`
        + `<td class="num">${countText(f.bytes)}${f.sampling && f.sampling > 1 ? ` (sampled 1:${f.sampling})` : ''}</td>`
        + `<td class="num">${f.revBytes === null ? '–' : `${countText(f.revPackets ?? 0)} / ${countText(f.revBytes)}`}</td><td>${esc(f.evidence)}</td>`
        + `<td class="num">${f.positionUnit === 'line' ? 'line ' : 'byte '}${countText(f.pos)}</td><td class="mono hash">${esc(f.sha256)}</td><td class="small">${esc(f.cited)}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('</section>', '</body>', '</html>', '');
  return out.join('\n');
}

function row(k: string, v: string): string {
  return `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
}

function anchor(host: string): string {
  return host.replace(/[^0-9a-zA-Z]/g, '-');
}

function para(text: string): string {
  return text.split(/\r?\n/).map((l) => esc(l)).join('<br>');
}

function tags(list: readonly string[] | undefined): string {
  return list?.length ? ` ${list.map((x) => `<span class="tag">${esc(x)}</span>`).join(' ')}` : '';
}

type TimeText = (us: number | null | undefined) => string;

function assessmentSummary(h: HostSection, t: TimeText): string[] {
  const out = [`<h3>Host ${esc(h.host)}</h3>`];
  const a = h.assessment;
  if (!a) {
    out.push('<p>No compromise time is known for this host (none given, and no foothold found), so no assessment of what left it is made.</p>');
    return out;
  }
  const basis = h.story.compromiseBasis === 'given' ? 'as the analyst gave it' : 'the start of the foothold session';
  out.push(`<p class="figure"><strong>${countText(a.bytes_out)} bytes</strong> (${esc(bytesText(a.bytes_out))}) left ${esc(a.host)} for `
    + `${plural(a.destinations.length, 'destination')} outside the internal networks between ${esc(t(a.since_us))} (${basis}) and ${esc(t(a.until_us))}`
    + `${a.coverage.sampled ? `; an estimate: ${countText(a.bytes_out_recorded)} bytes are recorded, the rest scaled from sampled records` : ''}.</p>`);
  out.push('<p>This figure must be stated with the following:</p>', '<ul class="qualifiers">');
  for (const q of a.qualifiers) out.push(`<li class="q-${esc(q.code)}">${esc(q.text)}</li>`);
  out.push('</ul>');
  return out;
}

function hostSection(h: HostSection, d: ReportData, t: TimeText): string[] {
  const out = [`<section id="host-${anchor(h.host)}">`, `<h2>Host ${esc(h.host)}</h2>`];
  const a = h.assessment;
  out.push('<h3>The story</h3>');
  const entries = h.story.entries.filter((e) => e.status !== 'dismissed');
  if (!entries.length) out.push('<p>Flowcase found no one probing this host and nothing it did afterwards to tell.</p>');
  else {
    out.push('<table class="grid"><thead><tr><th>Time</th><th>Phase</th><th>What happened</th><th>Review</th><th>Evidence filter</th></tr></thead><tbody>');
    for (const e of entries) out.push(storyRow(e, t));
    out.push('</tbody></table>');
  }
  const dismissed = h.story.entries.filter((e) => e.status === 'dismissed').length;
  if (dismissed) out.push(`<p class="muted">${plural(dismissed, 'proposed entry', 'proposed entries')} removed by the analyst.</p>`);

  if (h.series) {
    const marks = h.story.compromiseUs === null ? [] : [{ us: h.story.compromiseUs, label: 'compromise' }];
    const shades = (a?.coverage.gaps ?? []).map((g) => ({ fromUs: g.from_us, toUs: g.to_us, label: `${g.source}: no records (${g.kind})` }));
    out.push('<h3>Traffic over time</h3>', '<figure>', timeChartSvg({
      bins: h.series.bins, binUs: h.series.binUs, fromUs: h.series.fromUs, toUs: h.series.toUs, marks, shades, timeZone: d.timeZone,
      upLabel: 'sent', downLabel: 'received', title: `Bytes sent and received by ${h.host}`,
    }), `<figcaption>Bytes ${esc(h.host)} sent (above the line) and received (below), per ${esc(binText(h.series.binUs))}; the dashed line marks the compromise; shaded: a source recorded nothing.</figcaption>`, '</figure>');
  }
  if (a) {
    out.push('<h3>What left the host, by destination</h3>', '<figure>', barChartSvg(
      a.destinations.slice(0, 12).map((x) => ({ label: x.addr, value: x.bytes, note: x.sampled ? '(estimate)' : '' })),
      `Bytes ${h.host} sent by destination after the compromise`,
    ), '</figure>');
    out.push('<table class="grid"><thead><tr><th>Destination</th><th>Bytes</th><th>Recorded</th><th>Flows</th><th>First</th><th>Last</th><th>Services</th></tr></thead><tbody>');
    for (const x of a.destinations) {
      out.push(`<tr><td><span class="mono">${esc(x.addr)}</span>${contextText(h.destinations?.[x.addr])}</td><td class="num">${countText(x.bytes)}${x.sampled ? ' (estimate)' : ''}</td><td class="num">${countText(x.bytes_recorded)}</td>`
        + `<td class="num">${countText(x.flows)}</td><td>${esc(t(x.first_us))}</td><td>${esc(t(x.last_us))}</td><td>${esc(x.services.slice(0, 8).join(', '))}</td></tr>`);
    }
    out.push('</tbody></table>');
    out.push(...portAndHourTables(a, t));
    if (a.largest.length) {
      out.push('<h3>The largest transfers</h3>', '<table class="grid"><thead><tr><th>Start</th><th>End</th><th>Peer</th><th>Service</th><th>Bytes sent</th><th>Session</th><th>Evidence filter</th></tr></thead><tbody>');
      for (const l of a.largest) {
        out.push(`<tr><td>${esc(t(l.time_us))}</td><td>${esc(t(l.end_us))}</td><td class="mono">${esc(l.peer)}</td><td>${esc(portText(l.port, l.proto))}</td>`
          + `<td class="num">${countText(l.bytes)}</td><td class="mono">${esc(l.uid)}</td><td class="mono small">${esc(l.evidence)}</td></tr>`);
      }
      out.push('</tbody></table>');
    }
    out.push('<h3>Coverage of the evidence</h3>', '<table class="grid"><thead><tr><th>Source</th><th>First record</th><th>Last record</th><th>Records in the period</th><th>Usual spacing</th></tr></thead><tbody>');
    for (const s of a.coverage.sources) {
      out.push(`<tr><td>${esc(s.source)}</td><td>${esc(s.first)}</td><td>${esc(s.last)}</td><td class="num">${countText(s.flows)}</td><td class="num">${s.usual_spacing_s === null ? 'too sparse to judge' : `${s.usual_spacing_s} s`}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out;
}

function portAndHourTables(a: BreachAssessment, t: TimeText): string[] {
  const out = ['<div class="two">', '<table class="grid"><thead><tr><th>Service</th><th>Bytes</th><th>Flows</th></tr></thead><tbody>'];
  for (const p of a.by_port.slice(0, 15)) out.push(`<tr><td>${esc(p.service)}</td><td class="num">${countText(p.bytes)}</td><td class="num">${countText(p.flows)}</td></tr>`);
  out.push('</tbody></table>', '<table class="grid"><thead><tr><th>Hour</th><th>Bytes</th></tr></thead><tbody>');
  for (const x of a.by_hour.slice(0, 48)) out.push(`<tr><td>${esc(t(x.hour_us))}</td><td class="num">${countText(x.bytes)}</td></tr>`);
  if (a.by_hour.length > 48) out.push(`<tr><td colspan="2" class="muted">${a.by_hour.length - 48} more hours</td></tr>`);
  out.push('</tbody></table>', '</div>');
  return out;
}

function storyRow(e: StoryEntry, t: TimeText): string {
  const review = e.status === 'accepted' ? `accepted${e.note ? `: ${para(e.note)}` : ''}${tags(e.tags)}` : 'proposed, not reviewed';
  const changed = e.proposedSummary ? `<div class="muted small">Flowcase proposed: ${esc(e.proposedSummary)}</div>` : '';
  return `<tr class="${esc(e.status)}"><td>${esc(t(e.timeUs))}</td><td>${esc(e.phase)}</td><td><strong>${esc(e.kind)}</strong> ${esc(e.summary)}${changed}</td>`
    + `<td>${review}</td><td class="mono small">${esc(e.evidence)}</td></tr>`;
}

function timelineTable(events: readonly TimelineEvent[], t: TimeText): string[] {
  if (!events.length) return ['<p>The timeline is empty: no detection, note or host of interest yet.</p>'];
  const out = ['<table class="grid"><thead><tr><th>Time</th><th>Host</th><th>Source</th><th>Kind</th><th>Event</th><th>Note</th><th>Evidence filter</th></tr></thead><tbody>'];
  for (const e of events) {
    const status = e.source === 'story' ? ` <span class="muted">(${e.status === 'accepted' ? 'accepted' : 'proposed'})</span>` : '';
    out.push(`<tr class="src-${esc(e.source)}"><td>${esc(t(e.timeUs))}${e.endUs !== null && e.endUs !== e.timeUs ? `<div class="muted small">to ${esc(t(e.endUs))}</div>` : ''}</td>`
      + `<td class="mono">${esc(e.host ?? '')}</td><td>${esc(e.source)}${status}</td><td>${esc(e.kind)}</td><td>${esc(e.summary)}</td>`
      + `<td>${e.note ? para(e.note) : ''}${tags(e.tags)}</td><td class="mono small">${esc(e.evidence)}</td></tr>`);
  }
  out.push('</tbody></table>');
  return out;
}

function binText(us: number): string {
  const s = us / 1e6;
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${s / 60} min`;
  if (s < 86400) return `${s / 3600} h`;
  return `${s / 86400} d`;
}

const CSS = `
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;border-bottom:2px solid #1d1d1f;padding-bottom:2px;margin-top:32px}h3{font-size:15px;margin:20px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{text-align:left;vertical-align:top;padding:3px 6px}
table.grid{width:100%}table.grid th{background:#eceef1;border-bottom:1px solid #999}table.grid td{border-bottom:1px solid #ddd}
table.kv th{color:#555;font-weight:600;padding-right:16px;white-space:nowrap}
.num{text-align:right;white-space:nowrap}.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}.small{font-size:11px}
.hash{word-break:break-all;font-size:11px;max-width:260px}.muted{color:#666}.tag{background:#e6ecf5;border-radius:3px;padding:0 4px;font-size:11px}
.question{font-size:16px;font-style:italic}.figure{font-size:16px;background:#fbeff1;border-left:4px solid #b23a48;padding:8px 12px}
.qualifiers li{margin:3px 0}.generated{color:#555}.custody{font-family:ui-monospace,Menlo,Consolas,monospace}
tr.proposed td{color:#444}tr.accepted td:first-child{border-left:3px solid #2d7d46}
.two{display:flex;gap:24px}.two table{width:auto}figure{margin:8px 0}figcaption{color:#555;font-size:12px}
blockquote{margin:6px 0;padding:6px 12px;border-left:3px solid #2d7d46;background:#f3f8f4}blockquote footer{color:#666;font-size:11px}
nav ol{columns:2;margin:0 0 8px}
@page{size:A4;margin:14mm}
@media print{body{margin:0;max-width:none;font-size:10.5px}nav{display:none}section{break-inside:auto}h2{break-after:avoid}.appendix{break-before:page}tr{break-inside:avoid}}
`.trim();

/**
 * What the case knows about a destination, under its address: the names clients used
 * (from the evidence, oldest first), country and AS (from the attached databases), and the
 * asset-list entry. Empty when none is known.
 */
function contextText(c: AddressContext | undefined): string {
  if (!c) return '';
  const parts: string[] = [];
  if (c.names.length) parts.push(`name used: ${c.names.slice(0, 5).join(', ')}${c.names.length > 5 ? ` (+${c.names.length - 5})` : ''}`);
  const place = [c.country, c.city].filter(Boolean).join(', ');
  if (place) parts.push(place);
  if (c.asn !== null) parts.push(`AS${c.asn}${c.asOrg ? ` ${c.asOrg}` : ''}`);
  if (c.asset) parts.push(`asset: ${[c.asset.name, c.asset.owner, c.asset.criticality].filter(Boolean).join(', ')}`);
  return parts.length ? `<br><span class="small">${esc(parts.join(' · '))}</span>` : '';
}
