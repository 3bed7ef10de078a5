import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ME_PATH, apiKey, useApiMutation } from '../api.ts';
import { useT } from '../i18n.ts';
import { signOut, type MeResponse } from '../session.tsx';
import { ErrorBox, Field } from '../components/index.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** Shown in place of any page while there is no session; the URL stays, so deep links survive. */
export function LoginPage({ expired }: { expired?: boolean }) {
  const { t } = useT();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useApiMutation<{ email: string; password: string }, MeResponse>((body) => ({ path: '/api/v1/sessions', body }), {
    // The answer is the same as GET /me: nothing cached from an earlier user survives.
    onSuccess: (me) => {
      signOut.onPurpose = false;
      client.removeQueries({ predicate: (q) => q.queryKey[1] !== ME_PATH });
      client.setQueryData(apiKey(ME_PATH), me);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email: email.trim(), password });
  };
  const busy = login.isPending || login.isSuccess;
  return (
    <div className="login-screen">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">IG</span>
          <div>
            <div className="login-name">{t('app.name')}</div>
            <div className="muted">{t('app.tagline')}</div>
          </div>
        </div>
        <h1>{t('login.title')}</h1>
        <p className="muted login-subtitle">{t('login.subtitle')}</p>
        {expired && !login.error && <div className="notice">{t('session.expired')}</div>}
        {login.error && <ErrorBox error={login.error} title={t('login.failed')} />}
        <form onSubmit={submit} noValidate>
          <Field label={t('login.email')} error={login.error} path="email" required>
            <input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus required />
          </Field>
          <Field label={t('login.password')} error={login.error} path="password" required>
            <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </Field>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || !email.trim() || !password}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <div className="login-footer">
          <LanguageSwitch />
        </div>
      </div>
    </div>
  );
}
