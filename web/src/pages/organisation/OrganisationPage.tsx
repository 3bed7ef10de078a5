import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { formatDate } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { useCan, useMe } from '../../session.tsx';
import { Badge, ErrorBox, KeyValues, PageHeader, Panel, Table } from '../../components/index.ts';
import { AddUserDialog } from './AddUserDialog.tsx';
import { CreateTokenDialog } from './CreateTokenDialog.tsx';
import { userColumns } from './userColumns.tsx';

type UserRow = { id: string; name: string; email: string; role: string; locale: string; createdAt: string };
type TokenRow = { id: string; name: string; role: string; scopes: string[]; createdAt: string; revokedAt: string | null };
type TenantDetail = { id: string; kind: 'manufacturer' | 'regulator'; name: { zh: string; en: string }; policy: Record<string, unknown>; regime: string };

/** Users, API tokens and the tenant's policy values (numbers no rule gives, chosen by the tenant). */
export function OrganisationPage() {
  const { t, locale } = useT();
  const { tenant } = useMe();
  const admin = useCan('tenant:admin');
  const base = `/api/v1/tenants/${encodeURIComponent(tenant.id)}`;
  const detail = useApiQuery<TenantDetail>(base);
  const users = useApiQuery<{ items: UserRow[] }>(`${base}/users`);
  const tokens = useApiQuery<{ items: TokenRow[] }>(admin ? `${base}/tokens` : null);
  const revoke = useApiMutation<string, TokenRow>((id) => ({ path: `${base}/tokens/${encodeURIComponent(id)}`, method: 'DELETE' }), { invalidate: [`${base}/tokens`, '/api/v1/audit'] });
  const [dialog, setDialog] = useState<'user' | 'token' | null>(null);
  const policy = Object.entries(detail.data?.policy ?? {}).sort(([a], [b]) => a.localeCompare(b));

  return (
    <>
      <PageHeader
        title={t('org.title')}
        subtitle={pick(tenant.name, locale)}
        actions={
          admin && (
            <>
              <button type="button" className="btn" onClick={() => setDialog('token')}>{t('org.createToken')}</button>
              <button type="button" className="btn btn-primary" onClick={() => setDialog('user')}>{t('org.addUser')}</button>
            </>
          )
        }
      />
      <div className="grid-2-1">
        <Panel flush title={users.data ? t('dashboard.userCount', { count: users.data.items.length }) : t('dashboard.users')}>
          {users.error && <ErrorBox error={users.error} onRetry={() => void users.refetch()} />}
          <Table
            rows={users.data?.items}
            loading={users.isPending}
            rowKey={(u) => u.id}
            columns={[
              ...userColumns<UserRow>(t),
              { key: 'locale', header: t('org.locale'), nowrap: true, render: (u) => t(`lang.${u.locale}`, { defaultValue: u.locale }) },
              { key: 'createdAt', header: t('dashboard.created'), nowrap: true, render: (u) => formatDate(u.createdAt) },
            ]}
          />
        </Panel>
        <Panel title={t('org.policy')}>
          <p className="muted small" style={{ marginTop: 0 }}>{t('org.policyNote')}</p>
          {detail.error && <ErrorBox error={detail.error} />}
          {detail.data && (policy.length === 0 ? (
            <div className="muted">{t('org.policyEmpty')}</div>
          ) : (
            <KeyValues items={policy.map(([k, v]) => [<span className="mono">{k}</span>, <span className="mono">{JSON.stringify(v)}</span>])} />
          ))}
        </Panel>
      </div>
      {admin && (
        <Panel flush title={t('org.tokens')}>
          {tokens.error && <ErrorBox error={tokens.error} onRetry={() => void tokens.refetch()} />}
          {revoke.error && <ErrorBox error={revoke.error} />}
          <Table
            rows={tokens.data?.items}
            loading={tokens.isPending}
            rowKey={(k) => k.id}
            columns={[
              { key: 'name', header: t('org.tokenName'), nowrap: true, render: (k) => k.name },
              { key: 'role', header: t('users.role'), nowrap: true, render: (k) => <Badge tone="neutral">{k.scopes.length ? k.scopes.join(', ') : t(`roles.${k.role}`, { defaultValue: k.role })}</Badge> },
              { key: 'createdAt', header: t('dashboard.created'), nowrap: true, render: (k) => formatDate(k.createdAt) },
              { key: 'state', header: t('org.tokenState'), nowrap: true, render: (k) => k.revokedAt
                ? <Badge tone="neutral">{t('org.tokenRevoked', { date: formatDate(k.revokedAt) })}</Badge>
                : <button type="button" className="btn btn-small" disabled={revoke.isPending}
                    onClick={() => { if (window.confirm(t('org.revokeConfirm', { name: k.name }))) revoke.mutate(k.id); }}>{t('org.revoke')}</button> },
            ]}
          />
        </Panel>
      )}
      {admin && <AddUserDialog open={dialog === 'user'} onClose={() => setDialog(null)} />}
      {admin && <CreateTokenDialog open={dialog === 'token'} onClose={() => setDialog(null)} />}
    </>
  );
}
