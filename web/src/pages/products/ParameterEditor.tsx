import { useEffect, useState } from 'react';
import { ApiError, useApiMutation } from '../../api.ts';
import { Badge, ErrorBox, Field, Panel } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import { useCan } from '../../session.tsx';
import type { Catalog, ParameterDef, ParameterSet, Product, Value } from './types.ts';

type Draft = Record<string, Value | undefined>;

const applies = (p: ParameterDef, product: Product) =>
  (p.appliesWhen.cdas === undefined || p.appliesWhen.cdas === product.cdas) && (p.appliesWhen.ota === undefined || p.appliesWhen.ota === product.ota);

/** The draft editor, grouped by catalog group, with labels, units and allowed values; every API error under its field. */
export function ParameterEditor({ product, catalog, working }: { product: Product; catalog: Catalog; working: ParameterSet | null }) {
  const { t, locale } = useT('products');
  const canWrite = useCan('products:write');
  const [values, setValues] = useState<Draft>(working?.values ?? {});
  useEffect(() => setValues(working?.values ?? {}), [working?.id, working?.updatedAt]);
  const invalidate = [`/api/v1/products/${product.id}`, '/api/v1/completeness'];
  const save = useApiMutation<Draft, ParameterSet>((v) => ({
    path: `/api/v1/products/${product.id}/parameters/draft`, method: 'PUT',
    body: { values: Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')) },
  }), { invalidate });
  const submit = useApiMutation<void, ParameterSet>(() => ({ path: `/api/v1/products/${product.id}/parameters/draft/submit`, body: {} }), { invalidate });
  const error = save.error ?? submit.error;
  const readOnly = !canWrite;
  const set = (key: string, v: Value | undefined) => setValues({ ...values, [key]: v });
  const params = catalog.parameters.filter((p) => applies(p, product));
  return (
    <div className="stack" data-testid="parameter-editor">
      <div className="muted small">
        {working ? `${working.status === 'draft' ? t('editor.draft') : `v${working.version}`} · ` : `${t('editor.noDraft')} · `}
        {t('editor.catalogVersion', { version: working?.catalogVersion ?? catalog.version })}
      </div>
      {error && <ErrorBox error={error} title={t('editor.errors')} showFieldErrors />}
      {save.isSuccess && !save.isPending && !error && <div className="muted" role="status">{t('editor.saved')}</div>}
      {submit.data && <div className="muted" role="status">{t('editor.submitted', { version: submit.data.version })}</div>}
      {catalog.groups.map((g) => {
        const inGroup = params.filter((p) => p.group === g.key);
        if (inGroup.length === 0) return null;
        return (
          <Panel key={g.key} title={pick(g.label, locale)}>
            <div className="grid-2">
              {inGroup.map((p) => (
                <Field
                  key={p.key}
                  label={<>{pick(p.label, locale)}{p.unit ? ` (${p.unit.symbol})` : ''} {p.main && <Badge tone="info">{t('editor.main')}</Badge>} {p.evidence === 'required' && <Badge tone="neutral">{t('editor.evidenceRequired')}</Badge>}</>}
                  hint={<span className="mono small">{p.key}{hint(p, t, locale)}</span>}
                  error={error}
                  path={`values.${p.key}`}
                  required={p.required}
                >
                  <Input def={p} value={values[p.key]} onChange={(v) => set(p.key, v)} disabled={readOnly} />
                </Field>
              ))}
            </div>
          </Panel>
        );
      })}
      {working && Object.keys(working.unmapped).length > 0 && (
        <Panel title={t('editor.unmapped')}>
          <ul className="small">
            {Object.entries(working.unmapped).map(([k, u]) => <li key={k}><span className="mono">{k}</span> = {JSON.stringify(u.value)} — {u.reason}</li>)}
          </ul>
        </Panel>
      )}
      {canWrite && (
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => save.mutate(values)} disabled={save.isPending} data-testid="save-draft">{t('editor.save')}</button>
          <button type="button" className="btn btn-primary" disabled={submit.isPending || save.isPending}
            onClick={() => save.mutate(values, { onSuccess: () => submit.mutate(undefined) })} data-testid="submit-draft">{t('editor.submit')}</button>
        </div>
      )}
      {error instanceof ApiError && error.errors.length === 0 && null}
    </div>
  );
}

function hint(p: ParameterDef, t: (k: string) => string, locale: 'zh-CN' | 'en'): string {
  if (p.type === 'number') {
    const range = [p.min, p.max].every((x) => x === undefined) ? '' : ` · ${t('editor.range')} ${p.min ?? '…'}–${p.max ?? '…'}`;
    return ` · ${pick(p.unit!.label, locale)}${range}`;
  }
  return '';
}

type ControlProps = { id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string };

/** One control per type; `Field` passes id and aria attributes, which land on the labelled element. */
function Input({ def, value, onChange, disabled, ...aria }: { def: ParameterDef; value: Value | undefined; onChange: (v: Value | undefined) => void; disabled: boolean } & ControlProps) {
  const { t, locale } = useT('products');
  switch (def.type) {
    case 'boolean':
      return (
        <select {...aria} value={value === undefined ? '' : String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}>
          <option value="">{t('editor.unset')}</option>
          <option value="true">{t('yes')}</option>
          <option value="false">{t('no')}</option>
        </select>
      );
    case 'enum':
      return (
        <select {...aria} value={value === undefined ? '' : String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">{t('editor.unset')}</option>
          {def.values!.map((v) => <option key={v.value} value={v.value}>{pick(v.label, locale)} ({v.value})</option>)}
        </select>
      );
    case 'number':
      // The unit is in the label and the hint: the input must stay the labelled element.
      return (
        <input {...aria} type="number" step={def.integer ? 1 : 'any'} disabled={disabled} placeholder={def.unit?.symbol}
          value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />
      );
    case 'text':
      return (def.maxLength ?? 0) > 200
        ? <textarea {...aria} rows={3} disabled={disabled} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} />
          : <input {...aria} disabled={disabled} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} />;
    case 'list': {
      const list = Array.isArray(value) ? value : [];
      if (def.items?.type === 'enum') {
        return (
          <div className="check-list" role="group" id={aria.id} aria-invalid={aria['aria-invalid']} aria-describedby={aria['aria-describedby']}>
            {def.items.values.map((v) => (
              <label key={v.value} className="small nowrap" style={{ display: 'inline-flex', alignItems: 'center', gap: 4, marginRight: 12 }}>
                <input type="checkbox" style={{ width: 'auto', minHeight: 0 }} disabled={disabled} checked={list.includes(v.value)}
                  onChange={(e) => { const next = e.target.checked ? [...list, v.value] : list.filter((x) => x !== v.value); onChange(next.length ? next : undefined); }} />
                {' '}{pick(v.label, locale)} <span className="mono muted">{v.value}</span>
              </label>
            ))}
          </div>
        );
      }
      return <textarea {...aria} rows={3} disabled={disabled} placeholder="one per line" value={list.join('\n')}
        onChange={(e) => { const next = e.target.value.split('\n'); onChange(next.some((x) => x.trim()) ? next : undefined); }} />;
    }
  }
}
