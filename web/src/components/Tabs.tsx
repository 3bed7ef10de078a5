import type { ReactNode } from 'react';
import { useSearchParams } from '../router.tsx';

export type TabDef = { key: string; label: ReactNode; count?: number; content: () => ReactNode };

/** Tabs whose choice lives in the URL (`?tab=key`), so a reload or a shared link keeps it. */
export function Tabs({ tabs, param = 'tab' }: { tabs: TabDef[]; param?: string }) {
  const [query, setQuery] = useSearchParams();
  const active = tabs.find((t) => t.key === query.get(param)) ?? tabs[0];
  return (
    <div className="tabs">
      <div className="tab-list" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            aria-selected={t === active}
            className={t === active ? 'tab active' : 'tab'}
            onClick={() => setQuery({ [param]: t === tabs[0] ? undefined : t.key })}
          >
            {t.label}
            {t.count !== undefined && <span className="tab-count">{t.count}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel">{active?.content()}</div>
    </div>
  );
}
