import { useApiMutation, useApiQuery, withQuery } from '../../api.ts';
import { Badge, ErrorBox, PageHeader, Panel, Stat, Table } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import { Link, navigate, useSearchParams } from '../../router.tsx';
import { useCan } from '../../session.tsx';
import { DueCell, ObligationStatus } from './parts.tsx';
import { ADDRESSEES, STATUSES, SUBJECT_TYPES, type Obligation, type ObligationList, type Reminder, type Summary } from './types.ts';
import { formatInstant } from '../../format.ts';

const FILTERS = ['status', 'addressee', 'subjectType', 'subject', 'overdue', 'dueSoon'] as const;

/** Dashboard (overdue, due soon, by addressee, by subject) and the filterable register with CSV / iCalendar export. */
export function ObligationsPage() {
  const { t, locale } = useT('obligations');
  const [query, setQuery] = useSearchParams();
  const filter = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? undefined]));
  const list = useApiQuery<ObligationList>('/api/v1/obligations', { ...filter, limit: 1000 });
  const summary = useApiQuery<Summary>('/api/v1/obligations/summary');
  const reminders = useApiQuery<{ items: Reminder[] }>('/api/v1/obligations/reminders', { limit: 10 });
  const canWrite = useCan('obligations:write');
  const backfill = useApiMutation(() => ({ path: '/api/v1/obligations/backfill', body: {} }), { invalidate: ['/api/v1/obligations'] });
  const exportHref = (format: 'csv' | 'ics') => withQuery('/api/v1/obligations', { ...filter, format, lang: locale, limit: 5000 });
  const s = summary.data;
  return (
    <>
      <PageHeader
        title={t('ui.title')}
        subtitle={t('ui.subtitle')}
        actions={
          <>
            <a className="btn" href={exportHref('csv')} download>{t('ui.exportCsv')}</a>
            <a className="btn" href={exportHref('ics')} download>{t('ui.exportIcs')}</a>
            <Link className="btn" to="/obligations/calendar">{t('nav.calendar')}</Link>
            {canWrite && <button type="button" className="btn btn-primary" onClick={() => backfill.mutate(undefined)} disabled={backfill.isPending}>{t('ui.backfill')}</button>}
          </>
        }
      />
      {summary.error && <ErrorBox error={summary.error} />}
      {backfill.error && <ErrorBox error={backfill.error} />}
      <div className="stats">
        <Stat label={t('ui.overdue')} value={s ? s.overdue : '…'} tone={s && s.overdue ? 'overdue' : undefined} />
        <Stat label={t('ui.dueSoon')} value={s ? s.dueSoon : '…'} tone={s && s.dueSoon ? 'dueSoon' : undefined}
          note={s && t('ui.policyValue', { value: `${s.policy.dueSoonDays?.value ?? 7} d` })} />
        <Stat label={t('ui.open')} value={s ? s.open : '…'} />
        <Stat label={t('ui.provisional')} value={s ? s.provisional : '…'} note={t('ui.provisionalNote')} />
      </div>
      {s && (
        <div className="grid-2">
          <Panel flush title={t('ui.byAddressee')}>
            <Table
              rows={s.byAddressee}
              rowKey={(r) => r.addressee}
              onRowClick={(r) => setQuery({ addressee: r.addressee })}
              columns={[
                { key: 'addressee', header: t('ui.addressee'), render: (r) => t(`addressee.${r.addressee}`) },
                { key: 'overdue', header: t('ui.overdue'), align: 'right', render: (r) => (r.overdue ? <Badge tone="overdue">{r.overdue}</Badge> : 0) },
                { key: 'dueSoon', header: t('ui.dueSoon'), align: 'right', render: (r) => (r.dueSoon ? <Badge tone="dueSoon">{r.dueSoon}</Badge> : 0) },
                { key: 'open', header: t('ui.open'), align: 'right' },
              ]}
            />
          </Panel>
          <Panel flush title={t('ui.bySubject')}>
            <Table
              rows={s.bySubject.slice(0, 12)}
              rowKey={(r) => `${r.subjectType}:${r.subjectId}`}
              onRowClick={(r) => setQuery({ subjectType: r.subjectType, subject: r.subjectId })}
              columns={[
                { key: 'subjectType', header: t('ui.subjectType'), render: (r) => t(`subjectType.${r.subjectType}`) },
                { key: 'subjectId', header: t('ui.subject'), mono: true },
                { key: 'overdue', header: t('ui.overdue'), align: 'right', render: (r) => (r.overdue ? <Badge tone="overdue">{r.overdue}</Badge> : 0) },
                { key: 'dueSoon', header: t('ui.dueSoon'), align: 'right' },
                { key: 'open', header: t('ui.open'), align: 'right' },
              ]}
            />
          </Panel>
        </div>
      )}
      <Panel flush title={t('ui.reminders')}>
        <Table<Reminder>
          rows={reminders.data?.items}
          loading={reminders.isPending}
          rowKey={(r) => r.id}
          empty={t('ui.noReminders')}
          onRowClick={(r) => navigate(`/obligations/${r.obligationId}`)}
          columns={[
            { key: 'at', header: '', nowrap: true, render: (r) => formatInstant(r.at) },
            { key: 'type', header: '', render: (r) => <Badge tone={r.type === 'obligation.overdue' ? 'overdue' : 'dueSoon'}>{t(r.type === 'obligation.overdue' ? 'status.overdue' : 'status.dueSoon')}</Badge> },
            { key: 'rule', header: t('ui.rule'), mono: true },
            { key: 'addressee', header: t('ui.addressee'), render: (r) => t(`addressee.${r.addressee}`) },
            { key: 'title', header: t('ui.obligation'), render: (r) => pick(r.title, locale) },
            { key: 'dueAt', header: t('ui.due'), nowrap: true, render: (r) => (r.dueAt ? formatInstant(r.dueAt) : '—') },
          ]}
        />
      </Panel>
      <Panel
        flush
        title={list.data ? `${t('ui.title')} (${list.data.total})` : t('ui.title')}
        actions={
          <div className="filters" aria-label={t('ui.filters')}>
            <select aria-label={t('ui.status')} value={filter.status ?? ''} onChange={(e) => setQuery({ status: e.target.value })}>
              <option value="">{t('ui.status')}: {t('ui.all')}</option>
              {STATUSES.map((x) => <option key={x} value={x}>{t(`status.${x}`)}</option>)}
            </select>
            <select aria-label={t('ui.addressee')} value={filter.addressee ?? ''} onChange={(e) => setQuery({ addressee: e.target.value })}>
              <option value="">{t('ui.addressee')}: {t('ui.all')}</option>
              {ADDRESSEES.map((x) => <option key={x} value={x}>{t(`addressee.${x}`)}</option>)}
            </select>
            <select aria-label={t('ui.subjectType')} value={filter.subjectType ?? ''} onChange={(e) => setQuery({ subjectType: e.target.value, subject: undefined })}>
              <option value="">{t('ui.subjectType')}: {t('ui.all')}</option>
              {SUBJECT_TYPES.map((x) => <option key={x} value={x}>{t(`subjectType.${x}`)}</option>)}
            </select>
            <label><input type="checkbox" checked={filter.overdue === 'true'} onChange={(e) => setQuery({ overdue: e.target.checked ? 'true' : undefined })} /> {t('ui.onlyOverdue')}</label>
            <label><input type="checkbox" checked={filter.dueSoon === 'true'} onChange={(e) => setQuery({ dueSoon: e.target.checked ? 'true' : undefined })} /> {t('ui.onlyDueSoon')}</label>
          </div>
        }
      >
        {list.error && <ErrorBox error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Obligation>
          rows={list.data?.items}
          loading={list.isPending}
          rowKey={(o) => o.id}
          empty={t('ui.none')}
          onRowClick={(o) => navigate(`/obligations/${o.id}`)}
          columns={[
            { key: 'due', header: t('ui.due'), nowrap: true, render: (o) => <DueCell o={o} /> },
            { key: 'status', header: t('ui.status'), render: (o) => <ObligationStatus o={o} /> },
            { key: 'rule', header: t('ui.rule'), mono: true, nowrap: true },
            { key: 'addressee', header: t('ui.addressee'), nowrap: true, render: (o) => t(`addressee.${o.addressee}`) },
            { key: 'title', header: t('ui.obligation'), render: (o) => pick(o.title, locale) },
            { key: 'subject', header: t('ui.subject'), render: (o) => <span>{t(`subjectType.${o.subjectType}`)} <span className="mono">{o.subjectId}</span></span> },
          ]}
        />
      </Panel>
    </>
  );
}
