import type { ApiError } from '../lib/api-client';

/**
 * An error exactly as the core worded it (e.g. "case is locked by another process"), with its
 * code for support. Nothing is paraphrased: the analyst may need to quote it.
 */
export function ErrorMessage({ error, onDismiss, title }: { error: ApiError | Error | null | undefined; onDismiss?: () => void; title?: string }) {
  if (!error) return null;
  const code = (error as ApiError).code;
  return (
    <div className="error-box" role="alert">
      <div className="error-text">
        {title ? <strong>{title}: </strong> : null}
        <span className="error-message">{error.message}</span>
        {code && code !== 'error' ? <span className="error-code">{code}</span> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      ) : null}
    </div>
  );
}
