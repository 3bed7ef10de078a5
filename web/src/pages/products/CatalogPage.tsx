import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { Badge, ErrorBox, Field, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import { useCan } from '../../session.tsx';
import { CandidateNotice } from './parts.tsx';
import type { Catalog, ParameterDef } from './types.ts';

type Versions = { items: { version: string; provenance: string; digest: string; source: { filename?: string }; createdBy: string; createdAt: string }[] };
type ImportReport = { version: string; parameters: number; products: { model: string; draftCreated: boolean; unmapped: { key: string; reason: string }[] }[] };

/** The active catalog with every definition and its source; import of the official template. */
export function CatalogPage() {
  const { t, locale } = useT('products');
  const catalog = useApiQuery<Catalog>('/api/v1/catalog');
  const versions = useApiQuery<Versions>('/api/v1/catalog/versions');
  const c = catalog.data;
  const allowed = (p: ParameterDef) => {
    const values = p.values ?? (p.items?.type === 'enum' ? p.items.values : undefined);
    if (values) return values.map((v) => `${pick(v.label, locale)} (${v.value})`).join(' · ');
    if (p.type === 'number') return `${p.min ?? '…'}–${p.max ?? '…'} ${p.unit?.symbol ?? ''}`;
    return '';
  };
  return (
    <>
      <PageHeader title={c ? pick(c.title, locale) : t('catalog.title')} subtitle={<Link to="/products">← {t('list.title')}</Link>} />
      <CandidateNotice catalog={c} />
      {catalog.error && <ErrorBox error={catalog.error} />}
      <Panel flush title={c ? t('editor.catalogVersion', { version: c.version }) : ''}>
        <Table
          loading={catalog.isLoading}
          rows={c?.parameters ?? []}
          rowKey={(p) => p.key}
          columns={[
            { key: 'key', header: t('diff.key'), render: (p) => <>{pick(p.label, locale)}<div className="mono muted small">{p.key}</div></> },
            { key: 'group', header: t('catalog.group'), render: (p) => pick(c!.groups.find((g) => g.key === p.group)?.label ?? { zh: p.group, en: p.group }, locale) },
            { key: 'type', header: t('catalog.type'), mono: true, render: (p) => p.type === 'list' ? `list<${p.items?.type}>` : p.type },
            { key: 'allowed', header: t('editor.allowed'), render: (p) => <span className="small">{allowed(p)}</span> },
            { key: 'applies', header: t('catalog.applies'), render: (p) => [p.appliesWhen.cdas && 'CDAS', p.appliesWhen.ota && 'OTA'].filter(Boolean).join(' + ') || t('catalog.always') },
            { key: 'main', header: t('editor.main'), render: (p) => (p.main ? <Badge tone="info">{t('yes')}</Badge> : t('no')) },
            { key: 'evidence', header: t('evidence.title'), render: (p) => t(`catalog.evidence.${p.evidence}`) },
            { key: 'source', header: t('catalog.source'), render: (p) => {
              const s = c!.sources[p.source.ref];
              return <span className="small"><Badge tone={p.provenance === 'official' ? 'done' : 'dueSoon'}>{t(`catalog.provenance.${p.provenance}`)}</Badge> {s?.url ? <a href={s.url} target="_blank" rel="noreferrer">{s.title}</a> : s?.title}{p.source.note ? ` — ${p.source.note}` : ''}</span>;
            } },
          ]}
        />
      </Panel>
      {versions.data && versions.data.items.length > 0 && (
        <Panel flush title={t('catalog.versions')}>
          <Table rows={versions.data.items} rowKey={(v) => v.version} columns={[
            { key: 'v', header: t('versions.version'), mono: true, render: (v) => v.version },
            { key: 'p', header: t('catalog.source'), render: (v) => `${t(`catalog.provenance.${v.provenance}`)} · ${v.source.filename ?? ''}` },
            { key: 'by', header: '', render: (v) => `${formatInstant(v.createdAt)} · ${v.createdBy}` },
          ]} />
        </Panel>
      )}
      {useCan('tenant:admin') && <ImportForm />}
    </>
  );
}

function ImportForm() {
  const { t } = useT('products');
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState('');
  const [parseError, setParseError] = useState<string | undefined>();
  const run = useApiMutation<{ filename: string; contentBase64: string; mapping: unknown }, ImportReport>(
    (body) => ({ path: '/api/v1/catalog/import', body }), { invalidate: ['/api/v1/catalog', '/api/v1/products', '/api/v1/completeness'] });
  const submit = async () => {
    setParseError(undefined);
    let m: unknown;
    try { m = JSON.parse(mapping); } catch (e) { setParseError((e as Error).message); return; }
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    run.mutate({ filename: file.name, contentBase64: btoa(bin), mapping: m });
  };
  return (
    <Panel title={t('catalog.import')}>
      <form className="form-narrow stack" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="catalog-import">
        <div className="muted small">{t('catalog.importHint')}</div>
        {run.error && <ErrorBox error={run.error} showFieldErrors />}
        <Field label={t('catalog.template')} required><input type="file" accept=".csv,.xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></Field>
        <Field label={t('catalog.mapping')} message={parseError} required><textarea rows={8} className="mono" value={mapping} onChange={(e) => setMapping(e.target.value)} /></Field>
        <div className="form-actions"><button type="submit" className="btn btn-primary" disabled={run.isPending || !file}>{t('catalog.import')}</button></div>
        {run.data && (
          <div role="status">
            <strong>{run.data.version}</strong> · {run.data.parameters}
            <ul className="small">{run.data.products.map((p) => (
              <li key={p.model}><span className="mono">{p.model}</span>: {p.unmapped.length === 0 ? '✓' : p.unmapped.map((u) => `${u.key} (${u.reason})`).join('; ')}</li>
            ))}</ul>
          </div>
        )}
      </form>
    </Panel>
  );
}
