import { useEffect, type ReactNode } from 'react';
import { useT } from '../i18n.ts';
import { NAV } from '../pages.ts';
import { Link, isActive, useLocation } from '../router.tsx';
import { can, useLogout, useMe, useTenantName } from '../session.tsx';
import { Badge } from '../components/index.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** Top bar (organisation, language, user) and the side menu built from the discovered pages. */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useT();
  const me = useMe();
  const tenantName = useTenantName();
  const logout = useLogout();
  const { pathname } = useLocation();
  const nav = NAV.filter((p) => can(me, p.permission));
  // The deepest matching entry is the active one, so /audit does not also light up /.
  const active = nav.filter((p) => isActive(p.path, pathname)).sort((a, b) => b.path.length - a.path.length)[0];
  const title = active ? t(active.navKey!) : null;
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title, t]);
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">IG</span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </Link>
        <div className="topbar-tenant" data-testid="tenant-name">
          <span className="topbar-tenant-name">{tenantName}</span>
          <Badge tone="info">{me.tenant.regulator ?? t(`tenantKind.${me.tenant.kind}`)}</Badge>
        </div>
        <div className="topbar-spacer" />
        <LanguageSwitch className="on-dark" />
        <div className="topbar-user" title={me.user.email ?? undefined}>
          <span className="topbar-user-name">{me.user.name}</span>
          <span className="topbar-user-role">{t(`roles.${me.user.role}`, { defaultValue: me.user.role })}</span>
        </div>
        <button type="button" className="btn btn-on-dark" onClick={() => void logout()}>
          {t('session.logout')}
        </button>
      </header>
      <div className="shell-body">
        <nav className="sidebar" aria-label={t('nav.menu')}>
          <ul>
            {nav.map((p) => (
              <li key={p.path}>
                <Link to={p.path} className={p === active ? 'active' : undefined} aria-current={p === active ? 'page' : undefined}>
                  {t(p.navKey!)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content">
          {children}
          <footer className="content-footer">{t('app.timezoneNote')}</footer>
        </main>
      </div>
    </div>
  );
}
