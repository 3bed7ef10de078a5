import { useApiQuery } from '../../api.ts';
import { useT } from '../../i18n.ts';
import { Badge, Stat } from '../../components/index.ts';
import type { AuditVerify } from './types.ts';

/** The result of walking the tenant's hash chain (GET /api/v1/audit/verify). */
export function ChainStatus({ inline }: { inline?: boolean }) {
  const { t } = useT();
  // Walking the chain reads every entry: do it once per visit, again only on request.
  const verify = useApiQuery<AuditVerify>('/api/v1/audit/verify', undefined, { staleTime: 5 * 60_000 });
  const v = verify.data;
  const note = (r: AuditVerify) =>
    r.ok || !r.firstBroken
      ? t('dashboard.chainEntries', { count: r.entries })
      : `${t('dashboard.chainFirstBroken', { seq: r.firstBroken.seq })}${r.firstBroken.reason ? ` — ${r.firstBroken.reason}` : ''}`;
  if (inline) {
    return (
      <div className="chain-inline">
        <span className="muted">{t('dashboard.auditChain')}</span>
        {v && (
          <span data-testid="chain-status">
            <Badge tone={v.ok ? 'done' : 'overdue'}>{v.ok ? t('dashboard.chainOk') : t('dashboard.chainBroken')}</Badge>
          </span>
        )}
        {v && <span className="muted small">{note(v)}</span>}
        {verify.error && <span className="field-error">{verify.error.detail}</span>}
        <button type="button" className="btn btn-small" onClick={() => void verify.refetch()} disabled={verify.isFetching}>
          {t('audit.verify')}
        </button>
      </div>
    );
  }
  return (
    <Stat
      label={t('dashboard.auditChain')}
      tone={v ? (v.ok ? 'done' : 'overdue') : undefined}
      value={
        verify.error ? (
          <span className="muted small">{verify.error.detail}</span>
        ) : !v ? (
          '…'
        ) : (
          <span data-testid="chain-status">
            <Badge tone={v.ok ? 'done' : 'overdue'}>{v.ok ? t('dashboard.chainOk') : t('dashboard.chainBroken')}</Badge>
          </span>
        )
      }
      note={v && <span data-testid="chain-note">{note(v)}</span>}
    />
  );
}
