import type { ReactNode } from 'react';
import { useApiQuery } from '../../api.ts';
import { formatDate, formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { WIDGETS } from '../../pages.ts';
import { Link } from '../../router.tsx';
import { can, useCan, useMe, type User } from '../../session.tsx';
import { Badge, ErrorBox, KeyValues, PageHeader, Panel, Stat, Table } from '../../components/index.ts';
import { AuditTable } from '../audit/AuditTable.tsx';
import { ChainStatus } from '../audit/ChainStatus.tsx';
import { userColumns } from '../organisation/userColumns.tsx';
import type { AuditPage } from '../audit/types.ts';

/** GET /api/v1/tenants/{id}; fields beyond id/kind/name are optional so older servers still render. */
type TenantDetail = {
  id: string;
  kind: 'manufacturer' | 'regulator';
  name: { zh: string; en: string };
  regulator?: string | null;
  overseas?: boolean;
  country?: string | null;
  uscc?: string | null;
  regime?: string;
  createdAt?: string;
};

/** The organisation at a glance: who it is, who works in it, and what was done last. */
export function Dashboard() {
  const { t, locale } = useT();
  const me = useMe();
  const tenantId = me.tenant.id;
  const readTenant = useCan('tenant:read');
  const readAudit = useCan('audit:read');
  const tenant = useApiQuery<TenantDetail>(readTenant ? `/api/v1/tenants/${encodeURIComponent(tenantId)}` : null);
  const users = useApiQuery<{ items: User[] }>(readTenant ? `/api/v1/tenants/${encodeURIComponent(tenantId)}/users` : null);
  const audit = useApiQuery<AuditPage>(readAudit ? '/api/v1/audit' : null, { limit: 10 });
  const tn = tenant.data ?? { ...me.tenant };
  const other = locale === 'zh-CN' ? tn.name.en : tn.name.zh;
  const widgets = WIDGETS.filter((w) => can(me, w.permission));

  return (
    <>
      <PageHeader
        title={<span data-testid="dashboard-tenant">{pick(tn.name, locale)}</span>}
        subtitle={
          <>
            {other && <span>{other}</span>}
            <Badge tone="info">{tn.regulator ?? t(`tenantKind.${tn.kind}`)}</Badge>
          </>
        }
      />

      <div className="stats">
        {readAudit && <ChainStatus />}
        {readAudit && <Stat
          label={t('dashboard.auditEntries')}
          value={audit.data ? audit.data.total : '…'}
          note={audit.data?.items[0] && t('dashboard.lastEntry', { at: formatInstant(audit.data.items[0].at) })}
        />}
        <Stat label={t('dashboard.users')} value={users.data ? users.data.items.length : '…'} note={users.error?.detail} />
        <Stat label={t('dashboard.regime')} value={tenant.data ? <span className="mono">{tenant.data.regime}</span> : '…'} />
      </div>

      {widgets.length > 0 && (
        <div className="widgets">
          {widgets.map((w) => (
            <w.element key={`${w.slice}:${w.key}`} />
          ))}
        </div>
      )}

      <div className="grid-2-1">
        <Panel
          flush
          title={t('dashboard.latestAudit')}
          actions={<Link to="/audit" className="small">{t('dashboard.viewAll')} →</Link>}
        >
          {audit.error ? <ErrorBox error={audit.error} onRetry={() => void audit.refetch()} /> : <AuditTable compact rows={audit.data?.items} loading={audit.isPending} />}
        </Panel>

        <div className="stack">
          <Panel title={t('dashboard.tenant')}>
            {tenant.error && <ErrorBox error={tenant.error} />}
            <KeyValues
              items={[
                [t('dashboard.nameZh'), tn.name.zh],
                [t('dashboard.nameEn'), tn.name.en],
                [t('dashboard.kind'), t(`tenantKind.${tn.kind}`)],
                ...(tn.regulator ? ([[t('dashboard.regulator'), tn.regulator]] as [string, string][]) : []),
                ...(tn.kind === 'manufacturer' && tenant.data
                  ? ([
                      [t('dashboard.overseas'), tenant.data.overseas ? t('yes') : t('no')],
                      ...(tenant.data.country ? [[t('dashboard.country'), tenant.data.country]] : []),
                      ...(tenant.data.uscc ? [[t('dashboard.uscc'), <span className="mono">{tenant.data.uscc}</span>]] : []),
                    ] as [string, ReactNode][])
                  : []),
                [t('dashboard.tenantId'), <span className="mono">{tn.id}</span>],
                ...(tenant.data?.createdAt ? ([[t('dashboard.created'), formatDate(tenant.data.createdAt)]] as [string, string][]) : []),
              ]}
            />
          </Panel>

          <Panel flush title={users.data ? t('dashboard.userCount', { count: users.data.items.length }) : t('dashboard.users')}>
            {users.error ? (
              <ErrorBox error={users.error} />
            ) : (
              <Table
                rows={users.data?.items}
                loading={users.isPending}
                rowKey={(u) => u.id}
                columns={userColumns<User>(t)}
              />
            )}
          </Panel>
        </div>
      </div>
    </>
  );
}
