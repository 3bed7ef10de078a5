import { useMemo, useRef } from 'react';
import { ME_PATH, useApiQuery } from './api.ts';
import { useT } from './i18n.ts';
import { PAGES } from './pages.ts';
import { Routes, useLocation, type Route } from './router.tsx';
import { MeContext, can, type Me } from './session.tsx';
import { ErrorBox, Loading, PageHeader } from './components/index.ts';
import { Layout } from './shell/Layout.tsx';
import { LoginPage } from './shell/LoginPage.tsx';

/** Asks /me: no session -> login page; otherwise the layout with the discovered pages. */
export function App() {
  const me = useApiQuery<Me>(ME_PATH, undefined, { retry: false, staleTime: 5 * 60_000 });
  const hadSession = useRef(false);
  if (me.data) hadSession.current = true;
  if (me.isPending) return <div className="splash"><Loading /></div>;
  if (me.error?.status === 401) return <LoginPage expired={hadSession.current} />;
  if (me.error || !me.data) return <div className="splash"><ErrorBox error={me.error} onRetry={() => void me.refetch()} /></div>;
  return (
    <MeContext.Provider value={me.data}>
      <Layout>
        <PageRoutes me={me.data} />
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
  return <Routes routes={routes} fallback={<NotFound />} />;
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
