import type { ComponentType } from 'react';
import { bySpecificity } from './router.tsx';

/** What `web/src/pages/<slice>/index.tsx` exports as `pages`. */
export type PageDef = {
  /** `/products`, `/products/:productId` — params via `useParams()`. */
  path: string;
  /** i18n key of the navigation label (`products:nav.title`); pages without one are not in the menu. */
  navKey?: string;
  /** Permission the user needs (from src/access/policy.ts); hidden from the menu and refused without it. */
  permission?: string;
  element: ComponentType;
  /** Menu position, ascending (dashboard 0, audit log 900). */
  order?: number;
};

/** Optional `widgets` export: small panels shown on the dashboard (e.g. overdue obligations). */
export type WidgetDef = {
  key: string;
  permission?: string;
  order?: number;
  element: ComponentType;
};

type SliceModule = { pages?: PageDef[]; widgets?: WidgetDef[] };

const modules = import.meta.glob<SliceModule>('./pages/*/index.tsx', { eager: true });

export type DiscoveredPage = PageDef & { slice: string };
export type DiscoveredWidget = WidgetDef & { slice: string };

function discover() {
  const pages: DiscoveredPage[] = [];
  const widgets: DiscoveredWidget[] = [];
  const seen = new Map<string, string>();
  for (const [file, mod] of Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))) {
    const slice = /\.\/pages\/([^/]+)\/index\.tsx$/.exec(file)?.[1] ?? file;
    for (const p of mod.pages ?? []) {
      const shape = p.path.replace(/:[^/]+/g, ':');
      const owner = seen.get(shape);
      if (owner) {
        console.error(`icvgate: page ${p.path} of ${slice} is already defined by ${owner}; ignored`);
        continue;
      }
      seen.set(shape, slice);
      pages.push({ ...p, slice });
    }
    for (const w of mod.widgets ?? []) widgets.push({ ...w, slice });
  }
  pages.sort((a, b) => bySpecificity(a.path, b.path));
  widgets.sort((a, b) => (a.order ?? 500) - (b.order ?? 500) || a.key.localeCompare(b.key));
  return { pages, widgets };
}

export const { pages: PAGES, widgets: WIDGETS } = discover();

/** Menu entries: pages with a navKey, by `order`, then path. */
export const NAV = PAGES.filter((p) => p.navKey).sort((a, b) => (a.order ?? 500) - (b.order ?? 500) || a.path.localeCompare(b.path));
