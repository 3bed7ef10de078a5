import { useEffect, useState, type FormEvent } from 'react';
import { useApiQuery } from '../../api.ts';
import { useT } from '../../i18n.ts';
import { useSearchParams } from '../../router.tsx';
import { ErrorBox, PageHeader, Panel } from '../../components/index.ts';
import { AuditTable } from './AuditTable.tsx';
import { ChainStatus } from './ChainStatus.tsx';
import type { AuditPage } from './types.ts';

const PAGE = 50;
/** The API answers at most this many entries per request. */
const MAX = 1000;

/** The tenant's audit log with subject / actor filters (kept in the URL). */
export function AuditLogPage() {
  const { t } = useT();
  const [query, setQuery] = useSearchParams();
  const subject = query.get('subject') ?? '';
  const actor = query.get('actor') ?? '';
  const [limit, setLimit] = useState(PAGE);
  const [draft, setDraft] = useState({ subject, actor });
  useEffect(() => setDraft({ subject, actor }), [subject, actor]);
  const log = useApiQuery<AuditPage>('/api/v1/audit', { limit, subject, actor }, { placeholderData: (prev) => prev });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setLimit(PAGE);
    setQuery({ subject: draft.subject.trim(), actor: draft.actor.trim() });
  };
  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} actions={<ChainStatus inline />} />
      <Panel
        flush
        title={log.data ? t('audit.showing', { shown: log.data.items.length, total: log.data.total }) : t('audit.title')}
        actions={
          <form className="filters" onSubmit={apply}>
            <input placeholder={t('audit.filterSubject')} aria-label={t('audit.filterSubject')} value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} />
            <input placeholder={t('audit.filterActor')} aria-label={t('audit.filterActor')} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
            <button type="submit" className="btn btn-small">{t('actions.search')}</button>
          </form>
        }
      >
        {log.error && <ErrorBox error={log.error} onRetry={() => void log.refetch()} />}
        <AuditTable rows={log.data?.items} loading={log.isPending} />
        {log.data && log.data.items.length < log.data.total && limit < MAX && (
          <div className="panel-foot">
            <button type="button" className="btn btn-small" onClick={() => setLimit((l) => Math.min(MAX, l * 2))} disabled={log.isFetching}>
              {t('actions.loadMore')}
            </button>
          </div>
        )}
      </Panel>
    </>
  );
}
