import { useMemo, useRef } from 'react';
import { ME_PATH, useApiQuery } from './api.ts';
import { useT } from './i18n.ts';
import { PAGES } from './pages.ts';
import { Routes, useLocation, type Route } from './router.tsx';
import { MeContext, can, signOut, useLogout, type Me, type MeResponse } from './session.tsx';
import { ErrorBox, Loading, PageHeader } from './components/index.ts';
import { Layout } from './shell/Layout.tsx';
import { LoginPage } from './shell/LoginPage.tsx';
import { PageErrorBoundary } from './shell/PageErrorBoundary.tsx';

/** Asks /me: no session -> login page; otherwise the layout with the discovered pages. */
export function App() {
  const me = useApiQuery<MeResponse>(ME_PATH, undefined, { retry: false, staleTime: 5 * 60_000 });
  const hadSession = useRef(false);
  if (me.data) hadSession.current = true;
  if (me.isPending) return <div className="splash"><Loading /></div>;
  if (me.error?.status === 401) return <LoginPage expired={hadSession.current && !signOut.onPurpose} />;
  // A failed re-check (server restarting, network gone) keeps the signed-in view; only a 401 signs out.
  if (!me.data) return <div className="splash"><ErrorBox error={me.error} onRetry={() => void me.refetch()} /></div>;
  if (!me.data.tenant) return <NoTenant />;
  const signedIn = me.data as Me;
  return (
    <MeContext.Provider value={signedIn}>
      <Layout>
        <PageRoutes me={signedIn} />
      </Layout>
    </MeContext.Provider>
  );
}

function PageRoutes({ me }: { me: Me }) {
  const routes = useMemo<Route[]>(
    () =>
      PAGES.map((p) => ({
        path: p.path,
        render: () => (can(me, p.permission) ? <p.element /> : <Forbidden permission={p.permission!} />),
      })),
    [me],
  );
  const { pathname } = useLocation();
  return (
    <PageErrorBoundary key={pathname}>
      <Routes routes={routes} fallback={<NotFound />} />
    </PageErrorBoundary>
  );
}

function NotFound() {
  const { t } = useT();
  const { pathname } = useLocation();
  return <PageHeader title={t('state.notFound')} subtitle={t('state.notFoundDetail', { path: pathname })} />;
}

function Forbidden({ permission }: { permission: string }) {
  const { t } = useT();
  return <PageHeader title={t('state.forbidden')} subtitle={t('state.forbiddenDetail', { permission })} />;
}

/** Operator credentials have no tenant: the console is for the people of one organisation. */
function NoTenant() {
  const { t } = useT();
  const logout = useLogout();
  return (
    <div className="splash">
      <div className="error-box">
        <div className="error-box-detail">{t('session.noTenant')}</div>
        <button type="button" className="btn btn-small" onClick={() => void logout()}>{t('session.logout')}</button>
      </div>
    </div>
  );
}
