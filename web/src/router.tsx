import { createContext, useContext, useMemo, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/** A small history-API router: exact paths with `:param` segments, nothing more. */

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** Goes to `to` (a path with optional query) without reloading the page; scrolls to the top unless told not to. */
export function navigate(to: string, options: { replace?: boolean; scroll?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  if (options.scroll !== false) window.scrollTo(0, 0);
  for (const l of listeners) l();
}

export type Location = { pathname: string; search: string; query: URLSearchParams };

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return { pathname: url.pathname, search: url.search, query: url.searchParams };
  }, [href]);
}

/** The query string as a record, and a setter that replaces the given keys (undefined or '' removes). */
export function useSearchParams(): [URLSearchParams, (changes: Record<string, string | number | undefined | null>) => void] {
  const { pathname, query } = useLocation();
  const set = (changes: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    const qs = next.toString();
    navigate(qs ? `${pathname}?${qs}` : pathname, { replace: true, scroll: false });
  };
  return [query, set];
}

/** `matchPath('/products/:id', '/products/p_1')` -> `{ id: 'p_1' }`; null when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = split(pattern);
  const got = split(pathname);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

const split = (path: string) => path.split('/').filter(Boolean);

/** Static segments win over parameters, position by position: `/products/new` before `/products/:id`. */
export function bySpecificity(a: string, b: string): number {
  const sa = split(a);
  const sb = split(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i].startsWith(':') ? 1 : 0;
    const pb = sb[i].startsWith(':') ? 1 : 0;
    if (pa !== pb) return pa - pb;
  }
  return sb.length - sa.length;
}

/** Fills `:param` segments: `href('/products/:id', { id })`. */
export function href(pattern: string, params: Record<string, string | number>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`href: missing parameter ${name} for ${pattern}`);
    return encodeURIComponent(String(params[name]));
  });
}

const ParamsContext = createContext<Record<string, string>>({});

export function useParams<T extends Record<string, string> = Record<string, string>>(): T {
  return useContext(ParamsContext) as T;
}

export type Route = { path: string; render: () => ReactNode };

/** Renders the most specific route matching the current path, or `fallback`. */
export function Routes({ routes, fallback }: { routes: Route[]; fallback: ReactNode }) {
  const { pathname } = useLocation();
  const sorted = useMemo(() => [...routes].sort((a, b) => bySpecificity(a.path, b.path)), [routes]);
  for (const r of sorted) {
    const params = matchPath(r.path, pathname);
    if (params) return <ParamsContext.Provider value={params} key={r.path}>{r.render()}</ParamsContext.Provider>;
  }
  return <>{fallback}</>;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; replace?: boolean };

/** An anchor that navigates in place; ctrl/cmd/middle click still opens a new tab. */
export function Link({ to, replace, onClick, target, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (target && target !== '_self') return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return <a href={to} target={target} onClick={handle} {...rest} />;
}

/** True when `pathname` is `path` or below it (for highlighting navigation). */
export function isActive(path: string, pathname: string): boolean {
  if (path === '/') return pathname === '/';
  return pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`);
}
