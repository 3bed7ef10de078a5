import { ApiError } from '../api.ts';
import { useT } from '../i18n.ts';

/**
 * Shows an error from the API: its `detail`, code and status. Field errors are listed only when
 * `showFieldErrors` is set (forms show them beside their fields instead, with `<Field>`).
 */
export function ErrorBox({ error, title, onRetry, showFieldErrors }: { error: unknown; title?: string; onRetry?: () => void; showFieldErrors?: boolean }) {
  const { t } = useT();
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const detail = api ? (api.status === 0 ? t('errors.network') : api.detail) : error instanceof Error ? error.message : String(error);
  return (
    <div className="error-box" role="alert">
      <div className="error-box-head">
        <strong>{title ?? (api ? t(`errors.codes.${api.code}`, { defaultValue: api.title }) : t('errors.title'))}</strong>
        {api && api.status > 0 && (
          <span className="muted mono">
            {api.code} · {t('errors.status', { status: api.status })}
          </span>
        )}
      </div>
      <div className="error-box-detail">{detail}</div>
      {api && api.errors.length > 0 &&
        (showFieldErrors ? (
          <ul className="error-box-list">
            {api.errors.map((e, i) => (
              <li key={i}>
                {e.line !== undefined && <span className="mono">{t('errors.line', { line: e.line })} · </span>}
                <span className="mono">{e.path || '(body)'}</span> — {e.message}
              </li>
            ))}
          </ul>
        ) : (
          <div className="error-box-detail muted">{t('errors.fieldErrors')}</div>
        ))}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('actions.retry')}
        </button>
      )}
    </div>
  );
}
