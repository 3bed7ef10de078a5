import { useApiQuery } from '../../api.ts';
import { Badge, ErrorBox, PageHeader, Panel, Table, toneFor } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { navigate, useSearchParams } from '../../router.tsx';
import { useCan } from '../../session.tsx';
import type { Campaign } from './types.ts';

const STATES = ['draft', 'classified', 'awaiting_prerequisites', 'cleared', 'rolling_out', 'halted', 'completed', 'cancelled'];

export function StateBadge({ state }: { state: string }) {
  const { t } = useT('ota');
  const tone = state === 'awaiting_prerequisites' ? 'dueSoon' : state === 'rolling_out' ? 'info' : toneFor(state);
  return <Badge tone={tone}>{t(`state.${state}`, { defaultValue: state })}</Badge>;
}

export function ClassBadge({ cls, recall }: { cls: string | null; recall: boolean }) {
  if (!cls) return <span className="muted">—</span>;
  return <span className="mono" data-testid="class-badge"><Badge tone={cls === 'A' ? 'done' : cls === 'B' ? 'dueSoon' : 'overdue'}>{cls}</Badge>{recall && <> <Badge tone="overdue">R</Badge></>}</span>;
}

export function CampaignList() {
  const { t } = useT('ota');
  const [q, setQ] = useSearchParams();
  const canWrite = useCan('campaigns:write');
  const list = useApiQuery<{ items: Campaign[]; total: number }>('/api/v1/campaigns', { state: q.get('state') ?? undefined, limit: 200 });
  const freq = useApiQuery<{ policy: { d30: number; d90: number; d365: number }; products: { productId: string; model: string; counts: { d30: number; d90: number; d365: number }; frequent: boolean }[] }>('/api/v1/ota/frequency');
  return (
    <>
      <PageHeader title={t('list.title')} subtitle={t('list.subtitle')} actions={<>
        {canWrite && <button type="button" className="btn btn-primary" onClick={() => navigate('/campaigns/new')} data-testid="new-campaign">{t('form.newTitle')}</button>}
        <select value={q.get('state') ?? ''} onChange={(e) => setQ({ state: e.target.value || undefined })} data-testid="state-filter">
          <option value="">{t('list.allStates')}</option>
          {STATES.map((s) => <option key={s} value={s}>{t(`state.${s}`, { defaultValue: s })}</option>)}
        </select>
      </>} />
      {list.error && <ErrorBox error={list.error} onRetry={() => list.refetch()} />}
      <Panel flush>
        <Table loading={list.isLoading} rows={list.data?.items ?? []} rowKey={(c) => c.id} empty={t('list.empty')}
          onRowClick={(c) => navigate(`/campaigns/${c.id}`)}
          columns={[
            { key: 'purpose', header: t('field.purpose'), render: (c) => c.purpose },
            { key: 'state', header: t('field.state'), nowrap: true, render: (c) => <StateBadge state={c.state} /> },
            { key: 'class', header: t('field.class'), render: (c) => <ClassBadge cls={c.class} recall={c.recall} /> },
            { key: 'software', header: t('field.software'), mono: true, render: (c) => c.software.map((s) => `${s.ecu} ${s.from}→${s.to}`).join(', ') },
            { key: 'window', header: t('field.window'), nowrap: true, render: (c) => c.window ? `${formatInstant(c.window.start)} – ${formatInstant(c.window.end)}` : '—' },
            { key: 'created', header: t('field.created'), nowrap: true, render: (c) => formatInstant(c.createdAt) },
          ]} />
      </Panel>
      <Panel title={t('frequency.title')} flush>
        <p className="muted small" style={{ padding: '0 12px' }}>{t('frequency.policy', { d30: freq.data?.policy.d30 ?? '…', d90: freq.data?.policy.d90 ?? '…', d365: freq.data?.policy.d365 ?? '…' })}</p>
        <Table rows={freq.data?.products ?? []} rowKey={(r) => r.productId} empty={t('frequency.empty')} columns={[
          { key: 'model', header: t('field.product'), mono: true, render: (r) => r.model },
          { key: 'd30', header: t('frequency.d30'), align: 'right', render: (r) => r.counts.d30 },
          { key: 'd90', header: t('frequency.d90'), align: 'right', render: (r) => r.counts.d90 },
          { key: 'd365', header: t('frequency.d365'), align: 'right', render: (r) => r.counts.d365 },
          { key: 'flag', header: '', render: (r) => r.frequent ? <Badge tone="dueSoon">{t('frequency.frequent')}</Badge> : null },
        ]} />
      </Panel>
    </>
  );
}
