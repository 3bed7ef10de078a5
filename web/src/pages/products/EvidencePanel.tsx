import { useState } from 'react';
import { useApiMutation } from '../../api.ts';
import { Badge, ErrorBox, Field, Panel, Table } from '../../components/index.ts';
import { formatDate, shortHash } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { useCan } from '../../session.tsx';
import type { Catalog, Product, SetWithEvidence } from './types.ts';

/** Reports linked to the working parameter set, upload with metadata, hash-checked download. */
export function EvidencePanel({ product, catalog, set, today }: { product: Product; catalog: Catalog; set: SetWithEvidence | undefined; today: string }) {
  const { t, locale } = useT('products');
  const canWrite = useCan('evidence:write');
  const label = (k: string) => { const p = catalog.parameters.find((x) => x.key === k); return p ? pick(p.label, locale) : k; };
  const needing = catalog.parameters.filter((p) => p.evidence !== 'none'
    && (p.appliesWhen.cdas === undefined || p.appliesWhen.cdas === product.cdas) && (p.appliesWhen.ota === undefined || p.appliesWhen.ota === product.ota));
  const [f, setF] = useState({ title: '', lab: '', reportNo: '', issuedOn: '', validUntil: '', keys: [] as string[] });
  const [file, setFile] = useState<File | null>(null);
  const upload = useApiMutation<void, unknown>(() => {
    const form = new FormData();
    for (const [k, v] of Object.entries(f)) if (k !== 'keys' && v) form.set(k, String(v));
    form.set('productId', product.id);
    form.set('version', set?.version === null || !set ? 'draft' : String(set.version));
    if (f.keys.length) form.set('keys', f.keys.join(','));
    if (file) form.set('file', file, file.name);
    return { path: '/api/v1/evidence', body: form };
  }, { invalidate: [`/api/v1/products/${product.id}`, '/api/v1/completeness'], onSuccess: () => { setF({ ...f, title: '', reportNo: '', keys: [] }); setFile(null); } });
  const rows = set?.evidence ?? [];
  return (
    <div className="stack">
      <Panel flush title={t('evidence.title')}>
        <Table
          rows={rows}
          rowKey={(e) => `${e.key}:${e.sha256}`}
          empty={t('evidence.none')}
          columns={[
            { key: 'key', header: t('evidence.keys'), render: (e) => <>{label(e.key)} <span className="mono muted small">{e.key}</span></> },
            { key: 'title', header: t('evidence.reportTitle'), render: (e) => e.title },
            { key: 'lab', header: t('evidence.lab'), render: (e) => e.lab },
            { key: 'no', header: t('evidence.reportNo'), mono: true, render: (e) => e.reportNo },
            { key: 'issued', header: t('evidence.issuedOn'), render: (e) => formatDate(e.issuedOn) },
            { key: 'valid', header: t('evidence.validUntil'), render: (e) => e.validUntil
              ? (e.validUntil < today ? <Badge tone="overdue">{t('evidence.expired')} {e.validUntil}</Badge> : e.validUntil) : '—' },
            { key: 'sha', header: 'SHA-256', mono: true, render: (e) => <a href={`/api/v1/evidence/${e.sha256}`} title={e.sha256}>{shortHash(e.sha256)} · {t('evidence.download')}</a> },
          ]}
        />
      </Panel>
      {canWrite && (
        <Panel title={t('evidence.upload')}>
          <form className="form-narrow stack" onSubmit={(e) => { e.preventDefault(); upload.mutate(undefined); }} data-testid="evidence-upload">
            {upload.error && <ErrorBox error={upload.error} showFieldErrors />}
            {upload.isSuccess && <div role="status" className="muted">{t('evidence.uploaded')}</div>}
            <Field label={t('evidence.file')} error={upload.error} path="file" required>
              <input type="file" accept=".pdf,.png,.jpg,.jpeg,.zip,.ofd,application/pdf,image/png,image/jpeg,application/zip" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </Field>
            <Field label={t('evidence.reportTitle')} error={upload.error} path="title" required><input value={f.title} onChange={(e) => setF({ ...f, title: e.target.value })} /></Field>
            <Field label={t('evidence.lab')} error={upload.error} path="lab" required><input value={f.lab} onChange={(e) => setF({ ...f, lab: e.target.value })} /></Field>
            <Field label={t('evidence.reportNo')} error={upload.error} path="reportNo" required><input value={f.reportNo} onChange={(e) => setF({ ...f, reportNo: e.target.value })} /></Field>
            <Field label={t('evidence.issuedOn')} error={upload.error} path="issuedOn" required><input type="date" value={f.issuedOn} onChange={(e) => setF({ ...f, issuedOn: e.target.value })} /></Field>
            <Field label={t('evidence.validUntil')} error={upload.error} path="validUntil"><input type="date" value={f.validUntil} onChange={(e) => setF({ ...f, validUntil: e.target.value })} /></Field>
            <Field label={t('evidence.keys')} error={upload.error} path="keys">
              <select multiple size={Math.min(10, needing.length)} value={f.keys} onChange={(e) => setF({ ...f, keys: [...e.target.selectedOptions].map((o) => o.value) })}>
                {needing.map((p) => <option key={p.key} value={p.key}>{pick(p.label, locale)} ({p.key})</option>)}
              </select>
            </Field>
            <div className="form-actions"><button type="submit" className="btn btn-primary" disabled={upload.isPending}>{t('evidence.upload')}</button></div>
          </form>
        </Panel>
      )}
    </div>
  );
}
