import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { Badge, Dialog, ErrorBox, Field, PageHeader, Panel, Progress, Stat, Table } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import { navigate } from '../../router.tsx';
import { useCan } from '../../session.tsx';
import { AccessBadge, CandidateNotice, YesNo } from './parts.tsx';
import type { Catalog, Product, Register } from './types.ts';

const CATEGORIES = ['M1', 'M2', 'M3', 'N1', 'N2', 'N3'];

/** All products of the tenant with their completeness; export of the register; a new product. */
export function ProductList() {
  const { t, locale } = useT('products');
  const register = useApiQuery<Register>('/api/v1/completeness');
  const catalog = useApiQuery<Catalog>('/api/v1/catalog');
  const canWrite = useCan('products:write');
  const [open, setOpen] = useState(false);
  const rows = register.data?.items ?? [];
  const ready = rows.filter((r) => r.ready).length;
  return (
    <>
      <PageHeader
        title={t('list.title')}
        subtitle={catalog.data && `${pick(catalog.data.title, locale)} · ${catalog.data.version}`}
        actions={
          <>
            <a className="btn" href={`/api/v1/completeness?format=csv&lang=${locale}`} download data-testid="export-register">{t('list.exportCsv')}</a>
            {canWrite && <button type="button" className="btn btn-primary" onClick={() => setOpen(true)} data-testid="new-product">{t('list.create')}</button>}
          </>
        }
      />
      <CandidateNotice catalog={catalog.data} />
      {register.error && <ErrorBox error={register.error} onRetry={() => register.refetch()} />}
      <div className="stats">
        <Stat label={t('nav.products')} value={register.data ? rows.length : '…'} />
        <Stat label={t('list.ready')} value={register.data ? ready : '…'} tone={rows.length && ready === rows.length ? 'done' : undefined} />
        <Stat label={t('list.notReady')} value={register.data ? rows.length - ready : '…'} tone={rows.length - ready ? 'dueSoon' : undefined} />
      </div>
      <Panel flush>
        <Table
          loading={register.isLoading}
          rows={rows}
          rowKey={(r) => r.product.id}
          empty={t('list.empty')}
          onRowClick={(r) => navigate(`/products/${r.product.id}`)}
          columns={[
            { key: 'model', header: t('field.model'), mono: true, nowrap: true, render: (r) => r.product.model },
            { key: 'name', header: t('field.name'), render: (r) => pick(r.product.name, locale) },
            { key: 'category', header: t('field.category'), render: (r) => r.product.category },
            { key: 'access', header: t('field.access'), render: (r) => <AccessBadge access={r.product.access} /> },
            { key: 'cdas', header: t('field.cdas'), render: (r) => <YesNo value={r.product.cdas} /> },
            { key: 'ota', header: t('field.ota'), render: (r) => <YesNo value={r.product.ota} /> },
            { key: 'level', header: 'GB/T 40429', render: (r) => `L${r.product.automationLevel}` },
            { key: 'completeness', header: t('list.completeness'), width: '180px', render: (r) => <Progress value={r.percent / 100} label={r.product.model} /> },
            { key: 'ready', header: '', render: (r) => r.ready ? <Badge tone="done">{t('list.ready')}</Badge> : <Badge tone="dueSoon">{t('list.notReady')}</Badge> },
          ]}
        />
      </Panel>
      <NewProduct open={open} onClose={() => setOpen(false)} />
    </>
  );
}

type Form = { model: string; nameZh: string; nameEn: string; category: string; cdas: boolean; ota: boolean; automationLevel: number };

function NewProduct({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useT('products');
  const [f, setF] = useState<Form>({ model: '', nameZh: '', nameEn: '', category: 'M1', cdas: true, ota: true, automationLevel: 2 });
  const create = useApiMutation<Form, Product>((x) => ({
    path: '/api/v1/products',
    body: { model: x.model, name: { zh: x.nameZh, en: x.nameEn }, category: x.category, cdas: x.cdas, ota: x.ota, automationLevel: x.automationLevel },
  }), { invalidate: ['/api/v1/products', '/api/v1/completeness'], onSuccess: (p) => { onClose(); navigate(`/products/${p.id}`); } });
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF({ ...f, [k]: v });
  return (
    <Dialog open={open} onClose={onClose} title={t('list.create')} footer={
      <>
        <button type="button" className="btn" onClick={onClose}>{t('common:actions.cancel')}</button>
        <button type="submit" form="new-product" className="btn btn-primary" disabled={create.isPending}>{t('common:actions.save')}</button>
      </>
    }>
      <form id="new-product" className="stack" onSubmit={(e) => { e.preventDefault(); create.mutate(f); }}>
        {create.error && <ErrorBox error={create.error} />}
        <Field label={t('field.model')} error={create.error} path="model" required><input value={f.model} onChange={(e) => set('model', e.target.value)} placeholder="TSL7000BEVAR0" /></Field>
        <Field label={t('field.nameZh')} error={create.error} path="name.zh" required><input value={f.nameZh} onChange={(e) => set('nameZh', e.target.value)} /></Field>
        <Field label={t('field.nameEn')} error={create.error} path="name.en" required><input value={f.nameEn} onChange={(e) => set('nameEn', e.target.value)} /></Field>
        <Field label={t('field.category')} error={create.error} path="category" required>
          <select value={f.category} onChange={(e) => set('category', e.target.value)}>{CATEGORIES.map((c) => <option key={c}>{c}</option>)}</select>
        </Field>
        <Field label={t('field.automationLevel')} error={create.error} path="automationLevel" required>
          <select value={f.automationLevel} onChange={(e) => set('automationLevel', Number(e.target.value))}>
            {[0, 1, 2, 3, 4, 5].map((l) => <option key={l} value={l}>{t(`level.${l}`)}</option>)}
          </select>
        </Field>
        <label><input type="checkbox" checked={f.cdas} onChange={(e) => set('cdas', e.target.checked)} /> {t('field.cdas')}</label>
        <label><input type="checkbox" checked={f.ota} onChange={(e) => set('ota', e.target.checked)} /> {t('field.ota')}</label>
      </form>
    </Dialog>
  );
}
