import type { MouseEvent } from 'react';
import { endpoint } from '../../lib/format';
import { useOptionalAnalysis } from './analysis-state';
import './pivot.css';

/**
 * An address that opens its host pivot when clicked (anywhere: flows, talkers, peers,
 * sessions). Outside the analysis provider it is plain text.
 */
export function HostLink({ addr, port, className, internal }: { addr: string; port?: string; className?: string; internal?: boolean }) {
  const analysis = useOptionalAnalysis();
  const text = endpoint(addr, null, false);
  if (!analysis) return <span className={className}>{text}{port ?? ''}</span>;
  const open = (e: MouseEvent) => {
    // The link sits inside clickable rows: the row must not also take the click.
    e.stopPropagation();
    e.preventDefault();
    analysis.openHost(addr);
  };
  return (
    <span className={`host-link-wrap ${className ?? ''}`}>
      <a
        href="#"
        className={`host-link ${internal === true ? 'internal' : internal === false ? 'external' : ''}`}
        onClick={open}
        title={`Pivot on ${addr}${internal === undefined ? '' : internal ? ' (internal)' : ' (external)'}`}
        data-addr={addr}
        data-testid="host-link"
      >
        {text}
      </a>
      {port ?? ''}
    </span>
  );
}

/**
 * The grid form of a host link, for tables whose row click selects the row (flows,
 * sessions): the address is text (double-click pivots) and a small pivot button at the
 * cell's end opens the host, so selecting a row never navigates away by accident.
 */
export function GridAddr({ addr, className }: { addr: string; className?: string }) {
  const analysis = useOptionalAnalysis();
  const text = endpoint(addr, null, false);
  const open = (e: MouseEvent) => {
    e.stopPropagation();
    e.preventDefault();
    analysis?.openHost(addr);
  };
  return (
    <span className={`grid-addr ${className ?? ''}`} onDoubleClick={analysis ? open : undefined} data-addr={addr}>
      {text}
    </span>
  );
}

/** The pivot button that goes with GridAddr (placed last in the cell). */
export function PivotButton({ addr }: { addr: string }) {
  const analysis = useOptionalAnalysis();
  if (!analysis) return null;
  return (
    <button
      type="button"
      className="pivot-button"
      onClick={(e) => {
        e.stopPropagation();
        analysis.openHost(addr);
      }}
      title={`Pivot on ${addr} (or double-click the address)`}
      aria-label={`Pivot on ${addr}`}
      data-testid="pivot-button"
      data-addr={addr}
    >
      <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
        <circle cx="6" cy="6" r="3.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
        <path d="M6 0.5v2.6M6 8.9v2.6M0.5 6h2.6M8.9 6h2.6" stroke="currentColor" strokeWidth="1.4" />
      </svg>
    </button>
  );
}
