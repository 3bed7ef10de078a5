import { useState, type FormEvent } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { Badge, CopyText, ErrorBox, Field, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { useSearchParams } from '../../router.tsx';
import { useCan } from '../../session.tsx';

type Webhook = { id: string; url: string; events: string[]; description: string | null; active: boolean; createdAt: string };
type Delivery = {
  id: string; eventType: string; idempotencyKey: string; status: 'pending' | 'delivered' | 'failed'; attempts: number; nextAttemptAt: string | null;
  lastStatus: number | null; lastError: string | null; deliveredAt: string | null; createdAt: string;
};

/** Subscriptions and the delivery log of the selected one. */
export function WebhooksPage() {
  const { t } = useT('obligations');
  const [query, setQuery] = useSearchParams();
  const selected = query.get('webhook');
  const hooks = useApiQuery<{ items: Webhook[] }>('/api/v1/webhooks');
  const log = useApiQuery<{ items: Delivery[]; total: number }>(selected ? `/api/v1/webhooks/${encodeURIComponent(selected)}/deliveries` : null, { limit: 200 });
  const canWrite = useCan('webhooks:write');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('obligation.*');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useApiMutation((body: Record<string, unknown>) => ({ path: '/api/v1/webhooks', body }), {
    invalidate: ['/api/v1/webhooks'],
    onSuccess: (r) => setSecret((r as { secret: string }).secret),
  });
  const retry = useApiMutation((d: { webhookId: string; deliveryId: string }) => ({
    path: `/api/v1/webhooks/${encodeURIComponent(d.webhookId)}/deliveries/${encodeURIComponent(d.deliveryId)}/retry`, body: {},
  }), { invalidate: ['/api/v1/webhooks'] });
  const deactivate = useApiMutation((id: string) => ({ path: `/api/v1/webhooks/${encodeURIComponent(id)}`, method: 'DELETE' }), { invalidate: ['/api/v1/webhooks'] });
  return (
    <>
      <PageHeader title={t('webhooks.title')} subtitle={t('webhooks.subtitle')} />
      {canWrite && (
        <Panel title={t('webhooks.create')}>
          <form className="form-grid" onSubmit={(e: FormEvent) => { e.preventDefault(); setSecret(null); create.mutate({ url: url.trim(), events: events.split(',').map((s) => s.trim()).filter(Boolean) }); }}>
            <Field label={t('webhooks.url')} error={create.error} path="url" required><input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" /></Field>
            <Field label={t('webhooks.events')} error={create.error} path="events.0"><input value={events} onChange={(e) => setEvents(e.target.value)} /></Field>
            <button className="btn btn-primary" type="submit" disabled={create.isPending}>{t('webhooks.create')}</button>
          </form>
          {secret && <div className="notice">{t('webhooks.secretOnce')} <CopyText value={secret} /></div>}
        </Panel>
      )}
      <Panel flush title={t('webhooks.title')}>
        {hooks.error && <ErrorBox error={hooks.error} />}
        <Table<Webhook>
          rows={hooks.data?.items}
          loading={hooks.isPending}
          rowKey={(w) => w.id}
          empty={t('webhooks.none')}
          onRowClick={(w) => setQuery({ webhook: w.id })}
          columns={[
            { key: 'url', header: t('webhooks.url'), mono: true },
            { key: 'events', header: t('webhooks.event'), render: (w) => w.events.join(', ') },
            { key: 'active', header: '', render: (w) => <Badge tone={w.active ? 'done' : 'neutral'}>{t(w.active ? 'webhooks.active' : 'webhooks.inactive')}</Badge> },
            { key: 'createdAt', header: '', nowrap: true, render: (w) => formatInstant(w.createdAt) },
            { key: 'actions', header: '', render: (w) => canWrite && w.active
              ? <button className="btn btn-small" type="button" onClick={(e) => { e.stopPropagation(); deactivate.mutate(w.id); }}>{t('webhooks.deactivate')}</button> : null },
          ]}
        />
      </Panel>
      {selected && (
        <Panel flush title={`${t('webhooks.deliveries')}${log.data ? ` (${log.data.total})` : ''}`}>
          {log.error && <ErrorBox error={log.error} />}
          {retry.error && <ErrorBox error={retry.error} />}
          <Table<Delivery>
            rows={log.data?.items}
            loading={log.isPending}
            rowKey={(d) => d.id}
            empty={t('webhooks.noDeliveries')}
            columns={[
              { key: 'createdAt', header: '', nowrap: true, render: (d) => formatInstant(d.createdAt) },
              { key: 'eventType', header: t('webhooks.event'), mono: true },
              { key: 'status', header: '', render: (d) => <Badge tone={d.status === 'delivered' ? 'done' : d.status === 'failed' ? 'overdue' : 'dueSoon'}>{d.status}</Badge> },
              { key: 'attempts', header: t('webhooks.attempts'), align: 'right' },
              { key: 'lastStatus', header: t('webhooks.lastStatus'), render: (d) => d.lastStatus ?? '—' },
              { key: 'lastError', header: t('webhooks.lastError'), render: (d) => d.lastError ?? '' },
              { key: 'next', header: t('webhooks.nextAttempt'), nowrap: true, render: (d) => (d.nextAttemptAt ? formatInstant(d.nextAttemptAt) : d.deliveredAt ? formatInstant(d.deliveredAt) : '—') },
              { key: 'key', header: t('webhooks.idempotencyKey'), mono: true, render: (d) => <span className="small">{d.idempotencyKey}</span> },
              { key: 'retry', header: '', render: (d) => (canWrite && d.status === 'failed'
                ? <button className="btn btn-small" type="button" onClick={() => retry.mutate({ webhookId: selected, deliveryId: d.id })}>{t('webhooks.retry')}</button> : null) },
            ]}
          />
        </Panel>
      )}
    </>
  );
}
