import { useState, type FormEvent } from 'react';
import { useApiMutation } from '../../api.ts';
import { LOCALES, useT } from '../../i18n.ts';
import { useMe } from '../../session.tsx';
import { Dialog, ErrorBox, Field } from '../../components/index.ts';
import { ROLES_OF_KIND } from './roles.ts';

type NewUser = { email: string; name: string; role: string; password: string; locale: string };

/** POST /api/v1/tenants/{id}/users; the API's field errors appear under their fields. */
export function AddUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, locale } = useT();
  const { tenant } = useMe();
  const roles = ROLES_OF_KIND[tenant.kind];
  const empty: NewUser = { email: '', name: '', role: roles[roles.length - 1], password: '', locale };
  const [form, setForm] = useState<NewUser>(empty);
  const create = useApiMutation<NewUser>((body) => ({ path: `/api/v1/tenants/${encodeURIComponent(tenant.id)}/users`, body }), {
    invalidate: [`/api/v1/tenants/${encodeURIComponent(tenant.id)}/users`, '/api/v1/audit'],
    onSuccess: () => close(),
  });
  const close = () => {
    setForm(empty);
    create.reset();
    onClose();
  };
  const set = (k: keyof NewUser) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form);
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={t('org.addUser')}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>{t('actions.cancel')}</button>
          <button type="submit" form="add-user" className="btn btn-primary" disabled={create.isPending}>{t('org.addUser')}</button>
        </>
      }
    >
      <form id="add-user" onSubmit={submit} noValidate>
        {create.error && <ErrorBox error={create.error} />}
        <Field label={t('users.name')} error={create.error} path="name" required>
          <input name="name" value={form.name} onChange={set('name')} autoFocus />
        </Field>
        <Field label={t('users.email')} error={create.error} path="email" required>
          <input name="email" type="email" value={form.email} onChange={set('email')} autoComplete="off" />
        </Field>
        <div className="grid-2">
          <Field label={t('users.role')} error={create.error} path="role" required>
            <select name="role" value={form.role} onChange={set('role')}>
              {roles.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
            </select>
          </Field>
          <Field label={t('org.locale')} error={create.error} path="locale">
            <select name="locale" value={form.locale} onChange={set('locale')}>
              {LOCALES.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
            </select>
          </Field>
        </div>
        <Field label={t('login.password')} hint={t('org.passwordHint')} error={create.error} path="password" required>
          <input name="password" type="password" value={form.password} onChange={set('password')} autoComplete="new-password" />
        </Field>
      </form>
    </Dialog>
  );
}
