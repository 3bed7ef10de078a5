import { useState } from 'react';
import { useApiQuery } from '../../api.ts';
import { useCan } from '../../session.tsx';
import { EditProduct } from './EditProduct.tsx';
import { Badge, ErrorBox, KeyValues, Loading, PageHeader, Panel, Progress, Tabs } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import { Link, useParams } from '../../router.tsx';
import { EvidencePanel } from './EvidencePanel.tsx';
import { ParameterEditor } from './ParameterEditor.tsx';
import { AccessBadge, CandidateNotice, YesNo } from './parts.tsx';
import type { Catalog, Completeness, ProductDetail as Detail, SetWithEvidence } from './types.ts';
import { VersionHistory } from './VersionHistory.tsx';

const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** One product: facts, completeness, the parameter editor, version history with diff, evidence. */
export function ProductDetail() {
  const { productId } = useParams<{ productId: string }>();
  const { t, locale } = useT('products');
  const product = useApiQuery<Detail>(`/api/v1/products/${productId}`);
  const catalog = useApiQuery<Catalog>('/api/v1/catalog');
  const completeness = useApiQuery<Completeness>(`/api/v1/products/${productId}/completeness`);
  const canWrite = useCan('products:write');
  const [editing, setEditing] = useState(false);
  const p = product.data;
  const working = p ? (p.draft ?? p.sets[0] ?? null) : null;
  const workingRef = working ? (working.version === null ? 'draft' : String(working.version)) : null;
  const set = useApiQuery<SetWithEvidence>(workingRef ? `/api/v1/products/${productId}/parameters/${workingRef}` : null);
  if (product.error) return <ErrorBox error={product.error} onRetry={() => product.refetch()} />;
  if (!p || !catalog.data) return <Loading />;
  const c = completeness.data;
  return (
    <>
      <PageHeader
        title={<><span className="mono">{p.model}</span> · {pick(p.name, locale)}</>}
        subtitle={<Link to="/products">← {t('list.title')}</Link>}
        actions={<>
          <AccessBadge access={p.access} />
          {canWrite && <button type="button" className="btn" onClick={() => setEditing(true)} data-testid="edit-product">{t('edit.button')}</button>}
        </>}
      />
      <CandidateNotice catalog={catalog.data} />
      {editing && <EditProduct product={p} open={editing} onClose={() => setEditing(false)} />}
      <div className="grid-2-1">
        <Panel title={t('field.facts')}>
          <KeyValues items={[
            [t('field.model'), <span className="mono">{p.model}</span>],
            [t('field.category'), p.category],
            [t('field.manufacturer'), p.manufacturer ? pick(p.manufacturer, locale) : '—'],
            [t('field.access'), <AccessBadge access={p.access} />],
            [t('field.approvalDate'), p.access.approvalDate ?? '—'],
            [t('field.cdas'), <YesNo value={p.cdas} />],
            [t('field.ota'), <YesNo value={p.ota} />],
            [t('field.automationLevel'), t(`level.${p.automationLevel}`)],
            [t('field.baseline'), p.baselineVersion ? `v${p.baselineVersion}` : '—'],
          ]} />
        </Panel>
        <Panel title={t('completeness.title')}>
          {completeness.error && <ErrorBox error={completeness.error} />}
          {c && (
            <div className="stack" data-testid="completeness">
              <Progress value={c.percent / 100} label={t('completeness.title')} />
              {c.ready ? <Badge tone="done">{t('completeness.ready')}</Badge> : <Badge tone="dueSoon">{t('completeness.notReady')}</Badge>}
              {c.missing.length > 0 && <div><strong>{t('completeness.missing')}</strong><ul className="small">{c.missing.map((m) => <li key={m.key}>{pick(m.label, locale)} <span className="mono muted">{m.key}</span></li>)}</ul></div>}
              {c.evidenceMissing.length > 0 && <div><strong>{t('completeness.evidenceMissing')}</strong><ul className="small">{c.evidenceMissing.map((m) => (
                <li key={m.key}>{pick(m.label, locale)} — {m.reason === 'expired' ? t('completeness.reasonExpired', { date: m.expiredOn }) : t('completeness.reasonMissing')}</li>))}</ul></div>}
              {c.invalid.length > 0 && <div><strong>{t('completeness.invalid')}</strong><ul className="small">{c.invalid.map((m) => <li key={m.path}><span className="mono">{m.path}</span>: {m.message}</li>)}</ul></div>}
            </div>
          )}
        </Panel>
      </div>
      <Tabs tabs={[
        { key: 'parameters', label: t('editor.title'), content: () => <ParameterEditor product={p} catalog={catalog.data!} working={working} /> },
        { key: 'versions', label: t('versions.title'), count: p.sets.filter((s) => s.version !== null).length, content: () => <VersionHistory product={p} catalog={catalog.data!} /> },
        { key: 'evidence', label: t('evidence.title'), count: set.data?.evidence.length, content: () => <EvidencePanel product={p} catalog={catalog.data!} set={set.data} today={shanghaiToday()} /> },
      ]} />
    </>
  );
}
