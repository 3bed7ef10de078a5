import { createContext, useContext } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ME_PATH, apiKey } from './api.ts';
import { pick, useT } from './i18n.ts';

export type Tenant = { id: string; kind: 'manufacturer' | 'regulator'; name: { zh: string; en: string }; regulator?: 'MIIT' | 'SAMR' | null };
export type User = { id: string; name: string; email: string | null; role: string };
/** GET /api/v1/me (the shell only renders for users of a tenant, so `tenant` is set inside it). */
export type Me = { user: User; tenant: Tenant; permissions: string[] };
/** As the API sends it: operators (token only) have no tenant. */
export type MeResponse = Omit<Me, 'tenant'> & { tenant: Tenant | null };

export const MeContext = createContext<Me | null>(null);

/** The signed-in user, tenant and permissions. Only inside the shell (every page is). */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() outside the signed-in shell');
  return me;
}

/** Whether the signed-in user holds `permission` (undefined means no permission is needed). */
export function useCan(permission?: string): boolean {
  const me = useContext(MeContext);
  return can(me, permission);
}

export const can = (me: Me | null, permission?: string) => !permission || !!me?.permissions.includes(permission);

export function useTenantName(): string {
  const { locale } = useT();
  return pick(useMe().tenant.name, locale);
}

/** Whether the last session ended by the user's own sign-out (then the login page says nothing about expiry). */
export const signOut = { onPurpose: false };

/** Ends the session and drops every cached answer, which brings back the login page. */
export function useLogout(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    signOut.onPurpose = true;
    try {
      await api('/api/v1/sessions/current', { method: 'DELETE' });
    } finally {
      client.removeQueries({ predicate: (q) => q.queryKey[1] !== ME_PATH });
      await client.resetQueries({ queryKey: apiKey(ME_PATH) });
    }
  };
}
