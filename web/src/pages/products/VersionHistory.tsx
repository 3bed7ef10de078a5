import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { Badge, Dialog, ErrorBox, Field, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { useCan } from '../../session.tsx';
import { formatValue } from './parts.tsx';
import type { Catalog, Diff, ParameterSet, ProductDetail } from './types.ts';

/** Versions with their MIIT approval, the approve action, and a field-level diff between any two. */
export function VersionHistory({ product, catalog }: { product: ProductDetail; catalog: Catalog }) {
  const { t } = useT('products');
  const canApprove = useCan('products:approve');
  const refs = product.sets.map((s) => (s.version === null ? 'draft' : String(s.version)));
  const [from, setFrom] = useState(refs[1] ?? refs[0] ?? '');
  const [to, setTo] = useState(refs[0] ?? '');
  const [approving, setApproving] = useState<ParameterSet | null>(null);
  const status = (s: ParameterSet) => t(`versions.status${s.status[0].toUpperCase()}${s.status.slice(1)}`);
  return (
    <div className="stack">
      <Panel flush title={t('versions.title')}>
        <Table
          rows={product.sets}
          rowKey={(s) => s.id}
          columns={[
            { key: 'version', header: t('versions.version'), render: (s) => (s.version === null ? t('versions.statusDraft') : `v${s.version}`) },
            { key: 'status', header: t('versions.status'), render: (s) => <Badge tone={s.status === 'approved' ? 'done' : s.status === 'draft' ? 'neutral' : 'info'}>{status(s)}{s.version === product.baselineVersion ? ` · ${t('field.baseline')}` : ''}</Badge> },
            { key: 'submitted', header: t('versions.submittedAt'), render: (s) => (s.submittedAt ? `${formatInstant(s.submittedAt)} · ${s.submittedBy}` : '—') },
            { key: 'approval', header: t('versions.approval'), render: (s) => (s.approval ? `${s.approval.reference} · ${s.approval.date}${s.approval.batch ? ` · ${s.approval.batch}` : ''}` : '—') },
            { key: 'catalog', header: 'catalog', mono: true, render: (s) => s.catalogVersion },
            { key: 'digest', header: 'digest', mono: true, render: (s) => (s.digest ? s.digest.slice(0, 12) : '—') },
            { key: 'actions', header: '', render: (s) => canApprove && s.status === 'submitted'
              ? <button type="button" className="btn btn-small" onClick={() => setApproving(s)} data-testid={`approve-${s.version}`}>{t('versions.approve')}</button> : null },
          ]}
        />
      </Panel>
      {refs.length >= 2 && (
        <Panel title={t('diff.title')} actions={
          <>
            <label className="small">{t('versions.from')} <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="diff-from">{refs.map((r) => <option key={r} value={r}>{r === 'draft' ? t('versions.statusDraft') : `v${r}`}</option>)}</select></label>
            <label className="small">{t('versions.to')} <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="diff-to">{refs.map((r) => <option key={r} value={r}>{r === 'draft' ? t('versions.statusDraft') : `v${r}`}</option>)}</select></label>
          </>
        }>
          <DiffView productId={product.id} from={from} to={to} catalog={catalog} />
        </Panel>
      )}
      <Approve product={product} set={approving} onClose={() => setApproving(null)} />
    </div>
  );
}

function DiffView({ productId, from, to, catalog }: { productId: string; from: string; to: string; catalog: Catalog }) {
  const { t, locale } = useT('products');
  const diff = useApiQuery<Diff>(from && to ? `/api/v1/products/${productId}/parameters/diff` : null, { from, to });
  if (diff.error) return <ErrorBox error={diff.error} />;
  if (!diff.data) return null;
  const def = (k: string) => catalog.parameters.find((p) => p.key === k);
  const show = (v: unknown, k: string) => formatValue(v, def(k), locale, t('yes'), t('no'));
  return (
    <div className="stack" data-testid="diff">
      {diff.data.mainChanged && <div className="notice">{t('diff.mainChanged')}</div>}
      {diff.data.rules.map((r) => <div key={r.rule} className="muted small"><span className="mono">{r.rule}</span> · {r.source} · {r.regime} {r.regimeVersion}</div>)}
      <Table
        rows={diff.data.changes}
        rowKey={(c) => c.key}
        empty={t('diff.none')}
        columns={[
          { key: 'key', header: t('diff.key'), render: (c) => <>{pick(c.label, locale)} <span className="mono muted small">{c.key}</span></> },
          { key: 'main', header: '', render: (c) => (c.main ? <Badge tone="info">{t('editor.main')}</Badge> : null) },
          { key: 'change', header: '', render: (c) => t(`diff.${c.change}`) },
          { key: 'old', header: t('diff.old'), render: (c) => show(c.old, c.key) },
          { key: 'new', header: t('diff.new'), render: (c) => show(c.new, c.key) },
        ]}
      />
    </div>
  );
}

function Approve({ product, set, onClose }: { product: ProductDetail; set: ParameterSet | null; onClose: () => void }) {
  const { t } = useT('products');
  const [f, setF] = useState({ reference: '', date: '', batch: '' });
  const approve = useApiMutation<typeof f, unknown>((x) => ({
    path: `/api/v1/products/${product.id}/parameters/${set?.version}/approve`,
    body: { reference: x.reference, date: x.date, ...(x.batch ? { batch: x.batch } : {}) },
  }), { invalidate: [`/api/v1/products/${product.id}`, '/api/v1/completeness'], onSuccess: onClose });
  return (
    <Dialog open={!!set} onClose={onClose} title={`${t('versions.approve')} · v${set?.version}`} footer={
      <>
        <button type="button" className="btn" onClick={onClose}>{t('common:actions.cancel')}</button>
        <button type="submit" form="approve-form" className="btn btn-primary" disabled={approve.isPending}>{t('common:actions.save')}</button>
      </>
    }>
      <form id="approve-form" className="stack" onSubmit={(e) => { e.preventDefault(); approve.mutate(f); }}>
        {approve.error && <ErrorBox error={approve.error} />}
        <Field label={t('versions.reference')} error={approve.error} path="reference" required><input value={f.reference} onChange={(e) => setF({ ...f, reference: e.target.value })} /></Field>
        <Field label={t('versions.date')} error={approve.error} path="date" required><input type="date" value={f.date} onChange={(e) => setF({ ...f, date: e.target.value })} /></Field>
        <Field label={t('field.batch')} error={approve.error} path="batch"><input value={f.batch} onChange={(e) => setF({ ...f, batch: e.target.value })} /></Field>
      </form>
    </Dialog>
  );
}
