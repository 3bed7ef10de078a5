import { useEffect, useState, type ReactNode } from 'react';
import { ApiError, useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorBox, Field, PageHeader, Panel } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { navigate, useParams } from '../../router.tsx';
import type { Catalog, ParameterDef, ParameterSet, Product } from '../products/types.ts';
import type { Campaign } from './types.ts';

type Sw = { ecu: string; partNumber: string; from: string; to: string; sha256: string; size: string };
type Swin = { system: string; from: string; to: string };
type Fn = { name: string; change: string; automationLevel: string };
type Param = { key: string; value: string };
type Form = {
  products: string[]; purpose: string; requirementSource: string; otaType: string; recall: boolean; recallNumber: string;
  software: Sw[]; swin: Swin[]; functions: Fn[]; parameters: Param[]; windowStart: string; windowEnd: string;
  scopeMode: 'production' | 'vins'; prodFrom: string; prodTo: string; vins: string;
  before: { zh: string; en: string }; after: { zh: string; en: string }; evidence: string[]; safety: string;
};
type EvidenceItem = { sha256: string; title: string; reportNo: string; lab: string };

// Layout local to this form (styles.css belongs to the shell).
const FORM_CSS = `.campaign-form .form-rows{display:grid;gap:2px 8px;align-items:start;margin-bottom:6px}
.campaign-form .form-rows .field{margin-bottom:2px}.campaign-form .form-rows .field>label{display:none}
.campaign-form .form-rows input,.campaign-form .form-rows select{width:100%}
.campaign-form .form-inline{display:flex;gap:14px;flex-wrap:wrap;align-items:flex-start}
.campaign-form .check-list{display:flex;flex-direction:column;gap:2px;max-height:140px;overflow:auto}
.campaign-form .check{display:flex;gap:6px;align-items:center;font-weight:normal}
.campaign-form h4{margin:0 0 6px}
.campaign-form input[type=checkbox],.campaign-form input[type=radio]{width:auto;height:auto;margin:0;flex:none}
.campaign-form textarea{min-height:0}.campaign-form .notices{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:0 12px}`;

const SOURCES = ['defect', 'regulation', 'feature', 'user-complaint', 'other'];
const CHANGES = ['added', 'enabled', 'changed', 'disabled'];
const emptySw = (): Sw => ({ ecu: '', partNumber: '', from: '', to: '', sha256: '', size: '' });
const EMPTY: Form = {
  products: [], purpose: '', requirementSource: '', otaType: 'remote', recall: false, recallNumber: '', software: [emptySw()], swin: [], functions: [], parameters: [],
  windowStart: '', windowEnd: '', scopeMode: 'production', prodFrom: '', prodTo: '', vins: '', before: { zh: '', en: '' }, after: { zh: '', en: '' }, evidence: [], safety: '',
};

// The UI shows instants in Beijing time (no DST), so the window is typed in Beijing time too.
const localInput = (iso: string) => formatInstant(iso).replace(' ', 'T');
const beijing = (local: string) => `${local}:00+08:00`;
const showValue = (v: unknown) => (v === undefined || v === null ? '—' : Array.isArray(v) ? v.join(', ') : String(v));

function fromCampaign(c: Campaign & Record<string, any>): Form {
  return {
    products: c.products, purpose: c.purpose, requirementSource: c.requirementSource ?? '', otaType: c.otaType, recall: c.recall, recallNumber: c.recallNumber ?? '',
    software: c.software.map((s) => ({ ...s, size: String(s.size) })), swin: c.swin,
    functions: c.functions.map((f) => ({ ...f, automationLevel: String(f.automationLevel) })),
    parameters: Object.entries(c.parameters).map(([key, v]) => ({ key, value: showValue(v) })),
    windowStart: c.window ? localInput(c.window.start) : '', windowEnd: c.window ? localInput(c.window.end) : '',
    scopeMode: c.scope.productionDate || !c.scope.vinCount ? 'production' : 'vins', prodFrom: c.scope.productionDate?.from ?? '', prodTo: c.scope.productionDate?.to ?? '', vins: '',
    before: { zh: c.notices?.before?.zh ?? '', en: c.notices?.before?.en ?? '' }, after: { zh: c.notices?.after?.zh ?? '', en: c.notices?.after?.en ?? '' },
    evidence: (c.evidence ?? []).map((e: { sha256: string }) => e.sha256), safety: c.safety ?? '',
  };
}

/** The catalog type decides how the typed text becomes a value; the API checks it against the catalog. */
function parseValue(def: ParameterDef | undefined, raw: string): unknown {
  const s = raw.trim();
  if (!def) return s;
  if (def.type === 'number') return s === '' || Number.isNaN(Number(s)) ? s : Number(s);
  if (def.type === 'boolean') return s === 'true' ? true : s === 'false' ? false : s;
  if (def.type === 'list') return s.split(',').map((x) => x.trim()).filter(Boolean);
  return s;
}

function toBody(f: Form, catalog: Catalog | undefined, evidence: EvidenceItem[], withScope: boolean) {
  const defs = new Map((catalog?.parameters ?? []).map((p) => [p.key, p]));
  const notice = (n: { zh: string; en: string }) => (n.zh.trim() || n.en.trim() ? n : undefined);
  const before = notice(f.before); const after = notice(f.after);
  const titles = new Map(evidence.map((e) => [e.sha256, e.title]));
  return {
    products: f.products, purpose: f.purpose, ...(f.requirementSource ? { requirementSource: f.requirementSource } : {}), otaType: f.otaType,
    recall: f.recall, ...(f.recall && f.recallNumber ? { recallNumber: f.recallNumber.trim() } : {}),
    software: f.software.map((s) => ({ ecu: s.ecu, partNumber: s.partNumber, from: s.from, to: s.to, sha256: s.sha256.trim(), size: s.size === '' ? 0 : Number(s.size) })),
    swin: f.swin, functions: f.functions.map((x) => ({ ...x, automationLevel: Number(x.automationLevel) })),
    parameters: Object.fromEntries(f.parameters.filter((p) => p.key).map((p) => [p.key, parseValue(defs.get(p.key), p.value)])),
    ...(f.windowStart || f.windowEnd ? { window: { start: f.windowStart ? beijing(f.windowStart) : '', end: f.windowEnd ? beijing(f.windowEnd) : '' } } : {}),
    ...(withScope ? { scope: f.scopeMode === 'vins'
      ? { vins: f.vins.split(/[\s,;]+/).map((v) => v.trim().toUpperCase()).filter(Boolean) }
      : (f.prodFrom || f.prodTo ? { productionDate: { from: f.prodFrom, to: f.prodTo } } : {}) } : {}),
    notices: { ...(before ? { before } : {}), ...(after ? { after } : {}) },
    evidence: f.evidence.map((sha256) => ({ sha256, title: titles.get(sha256) ?? sha256.slice(0, 12) })),
    ...(f.safety.trim() ? { safety: f.safety } : {}),
  };
}

/** A table of editable rows; each cell is a Field so the API's `software.1.sha256` error lands under its cell. */
function Rows<R>({ rows, set, empty, cols, testid, addLabel }: {
  rows: R[]; set: (rows: R[]) => void; empty: () => R; testid: string; addLabel: string;
  cols: { label: string; path: string; width?: string; cell: (r: R, update: (patch: Partial<R>) => void, i: number) => ReactNode }[];
}) {
  return (
    <div data-testid={testid}>
      {rows.length > 0 && (
        <div className="form-rows" style={{ gridTemplateColumns: `${cols.map((c) => c.width ?? '1fr').join(' ')} 28px` }}>
          {cols.map((c) => <div key={c.path} className="small muted">{c.label}</div>)}<div />
          {rows.map((r, i) => [
            ...cols.map((c) => <div key={`${i}.${c.path}`}>{c.cell(r, (patch) => set(rows.map((x, j) => (j === i ? { ...x, ...patch } : x))), i)}</div>),
            <button key={`${i}.x`} type="button" className="btn btn-small btn-ghost" aria-label="remove" onClick={() => set(rows.filter((_, j) => j !== i))}>×</button>,
          ])}
        </div>
      )}
      <button type="button" className="btn btn-small" onClick={() => set([...rows, empty()])} data-testid={`${testid}-add`}>+ {addLabel}</button>
    </div>
  );
}

export function CampaignForm() {
  const { campaignId } = useParams<{ campaignId?: string }>();
  const { t, locale } = useT('ota');
  const editing = !!campaignId;
  const existing = useApiQuery<Campaign & Record<string, any>>(editing ? `/api/v1/campaigns/${campaignId}` : null);
  const products = useApiQuery<{ items: Product[] }>('/api/v1/products');
  const catalog = useApiQuery<Catalog>('/api/v1/catalog');
  const evidence = useApiQuery<{ items: EvidenceItem[] }>('/api/v1/evidence');
  const [f, setF] = useState<Form>(EMPTY);
  const [scopeTouched, setScopeTouched] = useState(!editing);
  useEffect(() => { if (existing.data) setF(fromCampaign(existing.data)); }, [existing.data]);
  const first = f.products[0];
  const baseline = useApiQuery<ParameterSet>(first ? `/api/v1/products/${first}/parameters/baseline` : null, undefined, { retry: false });
  const save = useApiMutation<ReturnType<typeof toBody>, Campaign>((body) => (editing
    ? { path: `/api/v1/campaigns/${campaignId}`, method: 'PATCH', body } : { path: '/api/v1/campaigns', body }), {
    invalidate: ['/api/v1/campaigns'], onSuccess: (c) => navigate(`/campaigns/${c.id}`),
  });
  const err = save.error;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }));
  const scope = (patch: Partial<Form>) => { setScopeTouched(true); setF((x) => ({ ...x, ...patch })); };
  const defs = catalog.data?.parameters ?? [];
  const defOf = (key: string) => defs.find((d) => d.key === key);
  const fieldErrors = err instanceof ApiError ? err.errors.filter((e) => e.path) : [];
  const cell = (path: string, control: ReactNode) => (
    <Field label="" error={err} path={path}>{control as any}</Field>
  );

  if (editing && existing.error) return <ErrorBox error={existing.error} onRetry={() => existing.refetch()} />;
  if (editing && !existing.data) return <p className="muted">…</p>;
  return (
    <form className="campaign-form" onSubmit={(e) => { e.preventDefault(); save.mutate(toBody(f, catalog.data, evidence.data?.items ?? [], scopeTouched)); }}>
      <PageHeader title={editing ? t('form.editTitle') : t('form.newTitle')} subtitle={editing ? <span className="mono small">{campaignId}</span> : t('form.subtitle')} actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={() => navigate(editing ? `/campaigns/${campaignId}` : '/campaigns')}>{t('common:actions.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="save-campaign">{editing ? t('form.save') : t('form.create')}</button>
        </>
      } />
      <style>{FORM_CSS}</style>
      {err && <ErrorBox error={err} />}
      {fieldErrors.length > 0 && <p className="small field-error" data-testid="form-errors">{t('form.fixFields', { count: fieldErrors.length })}</p>}
      <div className="grid-2">
        <Panel title={t('form.section.release')}>
          <Field label={t('field.products')} error={err} path="products" required>
            <div className="check-list" data-testid="products">
              {(products.data?.items ?? []).map((p) => (
                <label key={p.id} className="check"><input type="checkbox" checked={f.products.includes(p.id)}
                  onChange={(e) => set('products', e.target.checked ? [...f.products, p.id] : f.products.filter((x) => x !== p.id))} />
                  <span className="mono">{p.model}</span> <span className="muted small">{pick(p.name, locale)}</span></label>))}
              {products.data?.items.length === 0 && <span className="muted small">{t('form.noProducts')}</span>}
            </div>
          </Field>
          <Field label={t('field.purpose')} error={err} path="purpose" required>
            <textarea rows={2} value={f.purpose} onChange={(e) => set('purpose', e.target.value)} data-testid="purpose" />
          </Field>
          <div className="form-inline">
            <Field label={t('field.requirementSource')} error={err} path="requirementSource">
              <select value={f.requirementSource} onChange={(e) => set('requirementSource', e.target.value)}>
                <option value="">—</option>{SOURCES.map((s) => <option key={s} value={s}>{t(`requirementSource.${s}`, { defaultValue: s })}</option>)}
              </select>
            </Field>
            <Field label={t('field.otaType')} error={err} path="otaType">
              <select value={f.otaType} onChange={(e) => set('otaType', e.target.value)}>{['remote', 'local'].map((s) => <option key={s} value={s}>{t(`otaType.${s}`)}</option>)}</select>
            </Field>
            <Field label={t('field.recall')} error={err} path="recall">
              <label className="check"><input type="checkbox" checked={f.recall} onChange={(e) => set('recall', e.target.checked)} /> {t('yes')}</label>
            </Field>
            {f.recall && <Field label={t('field.recallNumber')} error={err} path="recallNumber" hint="S2025M0149I">
              <input value={f.recallNumber} onChange={(e) => set('recallNumber', e.target.value)} className="mono" />
            </Field>}
          </div>
          <div className="form-inline">
            <Field label={t('form.windowStart')} error={err} path="window.start"><input type="datetime-local" value={f.windowStart} onChange={(e) => set('windowStart', e.target.value)} data-testid="window-start" /></Field>
            <Field label={t('form.windowEnd')} error={err} path="window.end"><input type="datetime-local" value={f.windowEnd} onChange={(e) => set('windowEnd', e.target.value)} data-testid="window-end" /></Field>
          </div>
        </Panel>
        <Panel title={t('form.section.scope')}>
          {editing && !scopeTouched && <p className="small muted">{t('form.scopeKept', { count: existing.data?.scope.vinCount ?? 0 })}</p>}
          <div className="form-inline">
            <label className="check"><input type="radio" name="scope" checked={f.scopeMode === 'production'} onChange={() => scope({ scopeMode: 'production' })} /> {t('form.byProduction')}</label>
            <label className="check"><input type="radio" name="scope" checked={f.scopeMode === 'vins'} onChange={() => scope({ scopeMode: 'vins' })} data-testid="scope-vins" /> {t('form.byVins')}</label>
          </div>
          {f.scopeMode === 'production' ? (
            <div className="form-inline">
              <Field label={t('form.producedFrom')} error={err} path="scope.productionDate.from"><input type="date" value={f.prodFrom} onChange={(e) => scope({ prodFrom: e.target.value })} data-testid="prod-from" /></Field>
              <Field label={t('form.producedTo')} error={err} path="scope.productionDate.to"><input type="date" value={f.prodTo} onChange={(e) => scope({ prodTo: e.target.value })} data-testid="prod-to" /></Field>
            </div>
          ) : (
            <Field label={t('form.vinList')} error={err} path="scope.vins" hint={t('form.vinHint')}>
              <textarea rows={4} className="mono" value={f.vins} onChange={(e) => scope({ vins: e.target.value })} data-testid="vins" />
            </Field>
          )}
          <Field label={t('form.evidence')} error={err} path="evidence">
            <div className="check-list" data-testid="evidence">
              {(evidence.data?.items ?? []).map((e) => (
                <label key={e.sha256} className="check"><input type="checkbox" checked={f.evidence.includes(e.sha256)}
                  onChange={(ev) => set('evidence', ev.target.checked ? [...f.evidence, e.sha256] : f.evidence.filter((x) => x !== e.sha256))} />
                  {e.title} <span className="muted small mono">{e.reportNo} · {e.sha256.slice(0, 10)}</span></label>))}
              {evidence.data?.items.length === 0 && <span className="muted small">{t('form.noEvidence')}</span>}
            </div>
          </Field>
        </Panel>
      </div>
      <Panel title={t('form.section.software')}>
        <Rows testid="software" addLabel={t('form.addSoftware')} rows={f.software} set={(v) => set('software', v)} empty={emptySw} cols={[
          { label: 'ECU', path: 'ecu', cell: (r, u, i) => cell(`software.${i}.ecu`, <input value={r.ecu} onChange={(e) => u({ ecu: e.target.value })} data-testid={`sw-${i}-ecu`} />) },
          { label: t('field.partNumber'), path: 'pn', cell: (r, u, i) => cell(`software.${i}.partNumber`, <input className="mono" value={r.partNumber} onChange={(e) => u({ partNumber: e.target.value })} data-testid={`sw-${i}-pn`} />) },
          { label: t('form.from'), path: 'from', cell: (r, u, i) => cell(`software.${i}.from`, <input className="mono" value={r.from} onChange={(e) => u({ from: e.target.value })} data-testid={`sw-${i}-from`} />) },
          { label: t('form.to'), path: 'to', cell: (r, u, i) => cell(`software.${i}.to`, <input className="mono" value={r.to} onChange={(e) => u({ to: e.target.value })} data-testid={`sw-${i}-to`} />) },
          { label: 'SHA-256', path: 'sha', width: '3fr', cell: (r, u, i) => cell(`software.${i}.sha256`, <input className="mono" value={r.sha256} onChange={(e) => u({ sha256: e.target.value })} data-testid={`sw-${i}-sha256`} />) },
          { label: t('form.size'), path: 'size', width: '0.8fr', cell: (r, u, i) => cell(`software.${i}.size`, <input type="number" min={1} value={r.size} onChange={(e) => u({ size: e.target.value })} data-testid={`sw-${i}-size`} />) },
        ]} />
        {err instanceof ApiError && err.fieldError('software') && <div className="field-error">{err.fieldError('software')}</div>}
        <div className="grid-2" style={{ marginTop: 12 }}>
          <div>
            <h4 className="small">{t('form.swin')}</h4>
            <Rows testid="swin" addLabel={t('form.addSwin')} rows={f.swin} set={(v) => set('swin', v)} empty={() => ({ system: '', from: '', to: '' })} cols={[
              { label: t('form.system'), path: 'system', cell: (r, u, i) => cell(`swin.${i}.system`, <input value={r.system} onChange={(e) => u({ system: e.target.value })} data-testid={`swin-${i}-system`} />) },
              { label: t('form.from'), path: 'from', cell: (r, u, i) => cell(`swin.${i}.from`, <input className="mono" value={r.from} onChange={(e) => u({ from: e.target.value })} data-testid={`swin-${i}-from`} />) },
              { label: t('form.to'), path: 'to', cell: (r, u, i) => cell(`swin.${i}.to`, <input className="mono" value={r.to} onChange={(e) => u({ to: e.target.value })} data-testid={`swin-${i}-to`} />) },
            ]} />
          </div>
          <div>
            <h4 className="small">{t('form.functions')}</h4>
            <Rows testid="functions" addLabel={t('form.addFunction')} rows={f.functions} set={(v) => set('functions', v)} empty={() => ({ name: '', change: 'changed', automationLevel: '2' })} cols={[
              { label: t('form.functionName'), path: 'name', width: '2fr', cell: (r, u, i) => cell(`functions.${i}.name`, <input value={r.name} onChange={(e) => u({ name: e.target.value })} />) },
              { label: t('field.change'), path: 'change', cell: (r, u, i) => cell(`functions.${i}.change`, <select value={r.change} onChange={(e) => u({ change: e.target.value })}>{CHANGES.map((c) => <option key={c} value={c}>{t(`functionChange.${c}`, { defaultValue: c })}</option>)}</select>) },
              { label: t('form.level'), path: 'level', width: '0.7fr', cell: (r, u, i) => cell(`functions.${i}.automationLevel`, <select value={r.automationLevel} onChange={(e) => u({ automationLevel: e.target.value })}>{[0, 1, 2, 3, 4, 5].map((l) => <option key={l} value={l}>L{l}</option>)}</select>) },
            ]} />
          </div>
        </div>
      </Panel>
      <Panel title={t('form.section.parameters')}>
        <p className="small muted">{first ? t('form.currentFrom', { model: products.data?.items.find((p) => p.id === first)?.model ?? first, version: baseline.data?.version ?? '—' }) : t('form.pickProduct')}</p>
        <Rows testid="parameters" addLabel={t('form.addParameter')} rows={f.parameters} set={(v) => set('parameters', v)} empty={() => ({ key: '', value: '' })} cols={[
          { label: t('form.parameter'), path: 'key', width: '3fr', cell: (r, u, i) => cell(`parameters.${r.key || i}`, (
            <select value={r.key} onChange={(e) => u({ key: e.target.value })} data-testid={`param-${i}-key`}>
              <option value="">—</option>
              {defs.map((d) => <option key={d.key} value={d.key}>{pick(d.label, locale)} ({d.key}){d.main ? ' ★' : ''}</option>)}
            </select>)) },
          { label: t('form.current'), path: 'current', width: '1.2fr', cell: (r) => <span className="mono small" data-testid={`param-current`}>{r.key ? `${showValue(baseline.data?.values[r.key])}${defOf(r.key)?.unit ? ` ${defOf(r.key)!.unit!.symbol}` : ''}` : ''}</span> },
          { label: t('form.newValue'), path: 'value', width: '1.5fr', cell: (r, u, i) => {
            const d = defOf(r.key);
            const input = d?.type === 'enum' ? <select value={r.value} onChange={(e) => u({ value: e.target.value })}><option value="">—</option>{d.values!.map((v) => <option key={v.value} value={v.value}>{pick(v.label, locale)}</option>)}</select>
              : d?.type === 'boolean' ? <select value={r.value} onChange={(e) => u({ value: e.target.value })}><option value="">—</option><option value="true">{t('yes')}</option><option value="false">{t('no')}</option></select>
              : <input value={r.value} onChange={(e) => u({ value: e.target.value })} placeholder={d?.type === 'list' ? 'a, b, c' : d?.unit?.symbol} data-testid={`param-${i}-value`} />;
            return cell(`parameters.${r.key}`, input);
          } },
        ]} />
      </Panel>
      <Panel title={t('form.section.notices')}>
        <div className="notices">
          {(['before', 'after'] as const).flatMap((w) => (['zh', 'en'] as const).map((l) => (
            <Field key={w + l} label={`${t(`form.notice.${w}`)} (${l === 'zh' ? '中文' : 'English'})`} error={err} path={`notices.${w}.${l}`}>
              <textarea rows={2} value={f[w][l]} onChange={(e) => set(w, { ...f[w], [l]: e.target.value })} />
            </Field>)))}
        </div>
        <Field label={t('form.safety')} error={err} path="safety"><textarea rows={2} value={f.safety} onChange={(e) => set('safety', e.target.value)} /></Field>
      </Panel>
    </form>
  );
}
