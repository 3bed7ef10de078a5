import { useApiQuery } from '../../api.ts';
import { Stat } from '../../components/index.ts';
import { useT } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import type { FilingList } from './types.ts';

/** Dashboard: packages the authorities asked questions about or rejected (they block until answered). */
export function FilingsWidget() {
  const { t } = useT('filings');
  const asked = useApiQuery<FilingList>('/api/v1/filings', { state: 'info_requested', limit: 1 });
  const rejected = useApiQuery<FilingList>('/api/v1/filings', { state: 'rejected', limit: 1 });
  const n = asked.data && rejected.data ? asked.data.total + rejected.data.total : undefined;
  return (
    <Link to="/filings" className="subtle-link">
      <Stat label={t('ui.needsAnswer')} value={n ?? '…'} tone={n ? 'dueSoon' : undefined}
        note={asked.data && rejected.data ? `${t('states.info_requested')}: ${asked.data.total} · ${t('states.rejected')}: ${rejected.data.total}` : undefined} />
    </Link>
  );
}

/** Regulator dashboard: packages waiting for a decision. */
export function AwaitingDecisionWidget() {
  const { t } = useT('filings');
  const waiting = useApiQuery<FilingList>('/api/v1/regulator/filings', { state: 'submitted', limit: 1 });
  return (
    <Link to="/regulator?state=submitted" className="subtle-link">
      <Stat label={t('ui.awaitingDecision')} value={waiting.data ? waiting.data.total : '…'} tone={waiting.data?.total ? 'dueSoon' : undefined} />
    </Link>
  );
}
