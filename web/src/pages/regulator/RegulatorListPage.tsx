import { useApiQuery } from '../../api.ts';
import { ErrorBox, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { navigate, useSearchParams } from '../../router.tsx';
import { StateBadge } from '../filings/parts.tsx';
import { KINDS, type Filing, type FilingList } from '../filings/types.ts';

/** What manufacturers submitted to the reviewer's authority, newest first. */
export function RegulatorListPage() {
  const { t, locale } = useT('filings');
  const [query, setQuery] = useSearchParams();
  const kind = query.get('kind') ?? '';
  const state = query.get('state') ?? '';
  const list = useApiQuery<FilingList>('/api/v1/regulator/filings', { limit: 200, kind: kind || undefined, state: state || undefined });
  const authority = list.data?.authority;
  return (
    <>
      <PageHeader title={authority ? t('ui.regulatorTitle', { authority: t(`authorities.${authority}`) }) : t('nav.regulator')} />
      <Panel
        flush
        title={list.data ? `${list.data.total}` : ''}
        actions={<>
          <select aria-label={t('ui.kind')} value={kind} onChange={(e) => setQuery({ kind: e.target.value })}>
            <option value="">{t('ui.all')}</option>
            {KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
          </select>
          <select aria-label={t('ui.state')} value={state} onChange={(e) => setQuery({ state: e.target.value })}>
            <option value="">{t('ui.all')}</option>
            {['submitted', 'accepted', 'rejected', 'info_requested', 'permit_granted'].map((s) => <option key={s} value={s}>{t(`states.${s}`)}</option>)}
          </select>
        </>}
      >
        {list.error && <ErrorBox error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Filing>
          rows={list.data?.items}
          loading={list.isPending}
          rowKey={(f) => f.id}
          empty={t('ui.noneAddressed')}
          onRowClick={(f) => navigate(`/regulator/${f.id}`)}
          columns={[
            { key: 'manufacturer', header: t('ui.manufacturer'), render: (f) => pick(f.manufacturer, locale) },
            { key: 'kind', header: t('ui.kind'), render: (f) => pick(f.title, locale) },
            { key: 'subject', header: t('ui.subject'), mono: true, render: (f) => f.subject.id },
            { key: 'version', header: t('ui.version'), align: 'right', render: (f) => `v${f.version}` },
            { key: 'state', header: t('ui.state'), render: (f) => <StateBadge state={f.state} /> },
            { key: 'received', header: t('ui.received'), nowrap: true, render: (f) => f.submissions.at(-1)?.submittedOn ?? '—' },
            { key: 'reference', header: t('ui.reference'), mono: true, render: (f) => f.submissions.map((s) => s.reference).filter(Boolean).join(', ') || '—' },
            { key: 'createdAt', header: t('ui.preparedAt'), nowrap: true, render: (f) => formatInstant(f.createdAt) },
          ]}
        />
      </Panel>
    </>
  );
}
