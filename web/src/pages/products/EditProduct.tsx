import { useState } from 'react';
import { useApiMutation } from '../../api.ts';
import { Dialog, ErrorBox, Field } from '../../components/index.ts';
import { useT } from '../../i18n.ts';
import type { Product } from './types.ts';

type Form = { cdas: boolean; ota: boolean; automationLevel: number; status: Product['access']['status']; batch: string; approvalDate: string };

/** Change the product's facts: CDAS, OTA, level, access status (obligations follow on the server). */
export function EditProduct({ product, open, onClose }: { product: Product; open: boolean; onClose: () => void }) {
  const { t } = useT('products');
  const [f, setF] = useState<Form>({
    cdas: product.cdas, ota: product.ota, automationLevel: product.automationLevel,
    status: product.access.status, batch: product.access.batch ?? '', approvalDate: product.access.approvalDate ?? '',
  });
  const save = useApiMutation<Form, Product>((x) => ({
    path: `/api/v1/products/${product.id}`, method: 'PATCH',
    body: {
      cdas: x.cdas, ota: x.ota, automationLevel: x.automationLevel,
      access: { status: x.status, ...(x.batch ? { batch: x.batch } : {}), ...(x.approvalDate ? { approvalDate: x.approvalDate } : {}) },
    },
  }), { invalidate: [`/api/v1/products/${product.id}`, '/api/v1/completeness'], onSuccess: onClose });
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF({ ...f, [k]: v });
  return (
    <Dialog open={open} onClose={onClose} title={`${t('edit.title')} · ${product.model}`} footer={
      <>
        <button type="button" className="btn" onClick={onClose}>{t('common:actions.cancel')}</button>
        <button type="submit" form="edit-product" className="btn btn-primary" disabled={save.isPending}>{t('common:actions.save')}</button>
      </>
    }>
      <form id="edit-product" className="stack" onSubmit={(e) => { e.preventDefault(); save.mutate(f); }}>
        {save.error && <ErrorBox error={save.error} />}
        <label><input type="checkbox" style={{ width: 'auto', minHeight: 0 }} checked={f.cdas} onChange={(e) => set('cdas', e.target.checked)} /> {t('field.cdas')}</label>
        <label><input type="checkbox" style={{ width: 'auto', minHeight: 0 }} checked={f.ota} onChange={(e) => set('ota', e.target.checked)} /> {t('field.ota')}</label>
        <Field label={t('field.automationLevel')} error={save.error} path="automationLevel">
          <select value={f.automationLevel} onChange={(e) => set('automationLevel', Number(e.target.value))}>
            {[0, 1, 2, 3, 4, 5].map((l) => <option key={l} value={l}>{t(`level.${l}`)}</option>)}
          </select>
        </Field>
        <Field label={t('field.access')} error={save.error} path="access.status">
          <select value={f.status} onChange={(e) => set('status', e.target.value as Form['status'])}>
            {(['applying', 'approved', 'changed'] as const).map((s) => <option key={s} value={s}>{t(`access.${s}`)}</option>)}
          </select>
        </Field>
        <Field label={t('field.batch')} error={save.error} path="access.batch"><input value={f.batch} onChange={(e) => set('batch', e.target.value)} /></Field>
        <Field label={t('field.approvalDate')} error={save.error} path="access.approvalDate"><input type="date" value={f.approvalDate} onChange={(e) => set('approvalDate', e.target.value)} /></Field>
        <div className="muted small">{t('edit.hint')}</div>
      </form>
    </Dialog>
  );
}
