import { Badge } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import type { Catalog, Product, Value } from './types.ts';

/** The notice that the catalog is a candidate list, shown wherever parameters are. */
export function CandidateNotice({ catalog }: { catalog: Pick<Catalog, 'provenance' | 'notice' | 'version'> | undefined }) {
  const { t, locale } = useT('products');
  if (!catalog) return null;
  if (catalog.provenance !== 'candidate') return <div className="muted small">{t('candidate.official')} · {catalog.version}</div>;
  return (
    <div className="notice notice-warn" role="note" data-testid="candidate-notice">
      <Badge tone="dueSoon">{t('candidate.badge')}</Badge> {catalog.notice ? pick(catalog.notice, locale) : t('candidate.notice')}
    </div>
  );
}

export function AccessBadge({ access }: { access: Product['access'] }) {
  const { t } = useT('products');
  const tone = access.status === 'applying' ? 'info' : 'done';
  return <Badge tone={tone}>{t(`access.${access.status}`)}{access.batch ? ` · ${access.batch}` : ''}</Badge>;
}

export function YesNo({ value }: { value: boolean }) {
  const { t } = useT('products');
  return <>{value ? t('yes') : t('no')}</>;
}

/** A parameter value for reading: enum codes shown with their labels, lists joined, units appended. */
export function formatValue(v: unknown, def: Catalog['parameters'][number] | undefined, locale: 'zh-CN' | 'en', yes: string, no: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? yes : no;
  const label = (code: string) => {
    const values = def?.values ?? (def?.items?.type === 'enum' ? def.items.values : undefined);
    const found = values?.find((x) => x.value === code);
    return found ? pick(found.label, locale) : code;
  };
  if (Array.isArray(v)) return v.map((x) => label(String(x))).join(locale === 'zh-CN' ? '、' : ', ');
  if (typeof v === 'number') return def?.unit ? `${v} ${def.unit.symbol}` : String(v);
  return label(String(v));
}

export type { Value };
