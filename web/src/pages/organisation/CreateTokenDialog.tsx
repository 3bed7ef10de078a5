import { useState, type FormEvent } from 'react';
import { useApiMutation } from '../../api.ts';
import { useT } from '../../i18n.ts';
import { useMe } from '../../session.tsx';
import { CopyText, Dialog, ErrorBox, Field } from '../../components/index.ts';
import { ROLES_OF_KIND } from './roles.ts';

type Created = { id: string; name: string; role: string; token: string };

/** POST /api/v1/tenants/{id}/tokens for OTA back ends and pipelines; the secret is shown once. */
export function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useT();
  const { tenant } = useMe();
  const roles = ROLES_OF_KIND[tenant.kind];
  const [form, setForm] = useState({ name: '', role: roles[roles.length - 1] });
  const create = useApiMutation<typeof form, Created>((body) => ({ path: `/api/v1/tenants/${encodeURIComponent(tenant.id)}/tokens`, body }), {
    invalidate: ['/api/v1/audit', `/api/v1/tenants/${encodeURIComponent(tenant.id)}/tokens`],
  });
  const close = () => {
    setForm({ name: '', role: roles[roles.length - 1] });
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form);
  };
  const created = create.data;
  return (
    <Dialog
      open={open}
      onClose={close}
      title={t('org.createToken')}
      footer={
        created ? (
          <button type="button" className="btn btn-primary" onClick={close}>{t('actions.close')}</button>
        ) : (
          <>
            <button type="button" className="btn" onClick={close}>{t('actions.cancel')}</button>
            <button type="submit" form="create-token" className="btn btn-primary" disabled={create.isPending}>{t('org.createToken')}</button>
          </>
        )
      }
    >
      {created ? (
        <div data-testid="token-created">
          <div className="notice">{t('org.tokenOnce')}</div>
          <CopyText value={created.token} />
        </div>
      ) : (
        <form id="create-token" onSubmit={submit} noValidate>
          {create.error && <ErrorBox error={create.error} />}
          <Field label={t('org.tokenName')} hint={t('org.tokenNameHint')} error={create.error} path="name" required>
            <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoFocus />
          </Field>
          <Field label={t('users.role')} error={create.error} path="role" required>
            <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
              {roles.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
            </select>
          </Field>
        </form>
      )}
    </Dialog>
  );
}
