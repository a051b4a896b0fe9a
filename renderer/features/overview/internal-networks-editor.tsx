import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useApi } from '../../lib/api-context';
import { useAction, useApiQuery } from '../../lib/hooks';

/**
 * The case's internal networks (CIDRs, one a line): they decide inbound/outbound, the
 * internal/external marks and the incoming-connections report. Saved in the case and
 * audit-logged by the core.
 */
export function InternalNetworksEditor({ readOnly, onSaved }: { readOnly: boolean; onSaved: () => void }) {
  const api = useApi();
  const current = useApiQuery('settings.internalNetworks', {});
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const save = useAction();
  useEffect(() => {
    if (current.data) setText(current.data.networks.join('\n'));
  }, [current.data]);
  const nets = current.data?.networks ?? [];
  const parse = (t: string) => t.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  const dirty = JSON.stringify(parse(text)) !== JSON.stringify(nets);
  return (
    <section className="panel internal-nets" data-testid="internal-networks">
      <div className="panel-head chart-head">
        <h2>Internal networks</h2>
        <span className="muted nets-summary mono" title={nets.join('\n')}>
          {nets.length === 0 ? 'none (every address is external)' : nets.slice(0, 6).join(', ') + (nets.length > 6 ? ` … (+${nets.length - 6})` : '')}
        </span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => setOpen(!open)} data-testid="edit-internal-networks">
          {open ? 'Close' : 'Edit'}
        </button>
      </div>
      {open ? (
        <div className="panel-body nets-body">
          <textarea
            className="mono nets-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={Math.min(12, Math.max(4, parse(text).length + 1))}
            spellCheck={false}
            disabled={readOnly}
            aria-label="Internal networks, one CIDR a line"
            data-testid="internal-networks-text"
          />
          <div className="nets-side">
            <p className="muted">
              One network a line (10.0.0.0/8, 2001:db8::/32). Flows from these to elsewhere are <strong>outbound</strong>, to them from
              elsewhere <strong>inbound</strong>. Changes are recorded in the case's audit log.
            </p>
            <div className="nets-buttons">
              <button
                type="button"
                className="primary"
                disabled={readOnly || !dirty || save.pending}
                data-testid="save-internal-networks"
                onClick={() =>
                  void save.run(async () => {
                    const r = await api.invoke('settings.internalNetworks', { networks: parse(text) });
                    setText(r.networks.join('\n'));
                    current.reload();
                    onSaved();
                  })
                }
              >
                Save
              </button>
              <button type="button" disabled={readOnly || !current.data} onClick={() => setText((current.data?.defaults ?? []).join('\n'))}>
                Defaults
              </button>
              <button type="button" disabled={!dirty} onClick={() => setText(nets.join('\n'))}>
                Revert
              </button>
            </div>
            <ErrorMessage error={save.error ?? current.error} />
          </div>
        </div>
      ) : null}
    </section>
  );
}
