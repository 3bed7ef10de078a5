import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { Badge, CopyText, Dialog, ErrorBox, Field, KeyValues, PageHeader, Panel, Stat, Table } from '../../components/index.ts';
import { formatDate, formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { navigate, useParams } from '../../router.tsx';
import { useCan } from '../../session.tsx';
import { ClassBadge, StateBadge } from './CampaignList.tsx';
import type { Campaign, Missing, Reconciliation } from './types.ts';

const NEXT: Record<string, string[]> = {
  draft: ['classified', 'cancelled'], classified: ['awaiting_prerequisites', 'cancelled'], awaiting_prerequisites: ['cleared', 'cancelled'],
  cleared: ['rolling_out', 'cancelled'], rolling_out: ['halted', 'completed'], halted: ['rolling_out', 'completed', 'cancelled'], completed: [], cancelled: [],
};

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export function CampaignPage() {
  const { campaignId } = useParams<{ campaignId: string }>();
  const { t, locale } = useT('ota');
  const path = `/api/v1/campaigns/${campaignId}`;
  const c = useApiQuery<Campaign>(path);
  const canWrite = useCan('campaigns:write');
  const canApprove = useCan('campaigns:approve');
  const move = useApiMutation<{ to: string }, Campaign>((body) => ({ path: `${path}/transitions`, body }), {
    invalidate: ['/api/v1/campaigns', '/api/v1/obligations'],
  });
  const refused = move.error?.code === 'gate_refused' ? ((move.error.body.missing as Missing[]) ?? []) : null;
  const classify = useApiMutation<void, unknown>(() => ({ path: `${path}/classify`, method: 'POST' }), { invalidate: ['/api/v1/campaigns', '/api/v1/obligations'] });
  if (c.error) return <ErrorBox error={c.error} onRetry={() => c.refetch()} />;
  if (!c.data) return <p className="muted">…</p>;
  const d = c.data;
  const missing = refused ?? d.missing ?? [];
  return (
    <>
      <PageHeader title={d.purpose} subtitle={<span className="mono small">{d.id} · r{d.revision}</span>} actions={
        <>
          <StateBadge state={d.state} /> <ClassBadge cls={d.class} recall={d.recall} />
          {canWrite && ['draft', 'classified'].includes(d.state) && (
            <button type="button" className="btn" onClick={() => navigate(`/campaigns/${d.id}/edit`)} data-testid="edit-campaign">{t('form.edit')}</button>)}
          {canWrite && ['draft', 'classified', 'awaiting_prerequisites'].includes(d.state) && (
            <button type="button" className="btn" onClick={() => classify.mutate()} disabled={classify.isPending} data-testid="classify">{t('actions.classify')}</button>)}
          {canWrite && NEXT[d.state].filter((s) => s !== 'classified').map((s) => (
            <button key={s} type="button" className={`btn ${s === 'cleared' ? 'btn-primary' : s === 'cancelled' || s === 'halted' ? 'btn-danger' : ''}`}
              onClick={() => move.mutate({ to: s })} disabled={move.isPending} data-testid={`to-${s}`}>{t(`transition.${s}`, { defaultValue: s })}</button>))}
        </>
      } />
      {classify.error && <ErrorBox error={classify.error} />}
      {move.error && move.error.code !== 'gate_refused' && <ErrorBox error={move.error} />}
      {missing.length > 0 && (
        <Panel title={t('missing.title', { count: missing.length })}>
          <ul data-testid="missing">{missing.map((m, i) => <li key={i}><span className="mono small">{m.code}{m.step ? ` · ${m.step}` : ''}</span> — {m.message}</li>)}</ul>
        </Panel>
      )}
      <div className="grid-2">
        <Panel title={t('section.content')}>
          <KeyValues items={[
            [t('field.otaType'), t(`otaType.${d.otaType}`, { defaultValue: d.otaType })],
            [t('field.recall'), d.recall ? `${t('yes')} ${d.recallNumber ?? ''}` : t('no')],
            [t('field.window'), d.window ? `${formatInstant(d.window.start)} – ${formatInstant(d.window.end)}` : '—'],
            [t('field.scope'), [d.scope.vinCount ? t('scope.vins', { count: d.scope.vinCount }) : null, d.scope.productionDate ? t('scope.production', d.scope.productionDate) : null].filter(Boolean).join(' · ') || '—'],
            [t('field.contentDigest'), <CopyText key="d" value={d.digests.content} short />],
            [t('field.scopeDigest'), <CopyText key="s" value={d.digests.scope} short />],
          ]} />
          <Table rows={d.software} rowKey={(s) => s.ecu + s.partNumber} columns={[
            { key: 'ecu', header: 'ECU', mono: true, render: (s) => s.ecu },
            { key: 'pn', header: t('field.partNumber'), mono: true, render: (s) => s.partNumber },
            { key: 'v', header: t('field.version'), mono: true, render: (s) => `${s.from} → ${s.to}` },
            { key: 'h', header: 'SHA-256', render: (s) => <CopyText value={s.sha256} short /> },
          ]} />
        </Panel>
        <Panel title={t('section.classification')}>
          {d.classification ? (
            <>
              <p className="small muted">{t('classification.basis', { regime: d.classification.regime, version: d.classification.regimeVersion, catalog: d.classification.catalogVersion })}
                {d.computedClass !== d.class && <> · {t('classification.lowered', { from: d.computedClass, to: d.class })}</>}</p>
              <Table rows={d.classification.reasons} rowKey={(r) => r.rule + (r.parameter?.key ?? r.function?.name ?? '')} columns={[
                { key: 'effect', header: '', render: (r) => <Badge tone={r.effect === 'evidence' ? 'info' : r.effect === 'A' ? 'done' : 'dueSoon'}>{r.effect === 'evidence' ? t('classification.evidence') : r.effect}</Badge> },
                { key: 'rule', header: t('field.rule'), mono: true, nowrap: true, render: (r) => <span title={r.source}>{r.rule}</span> },
                { key: 'msg', header: t('field.reason'), render: (r) => pick(r.message, locale) },
                { key: 'what', header: t('field.change'), mono: true, render: (r) => r.parameter ? `${show(r.parameter.old)} → ${show(r.parameter.new)}` : r.function ? `${r.function.change} L${r.function.automationLevel}` : '' },
              ]} />
            </>
          ) : <p className="muted">{t('classification.none')}</p>}
          <OverridePanel c={d} canWrite={canWrite} canApprove={canApprove} />
        </Panel>
      </div>
      <StepsPanel c={d} canWrite={canWrite} />
      <AuthorizationPanel c={d} />
      {['rolling_out', 'halted', 'completed', 'cleared'].includes(d.state) && <ReconciliationPanel id={d.id} />}
    </>
  );
}

function OverridePanel({ c, canWrite, canApprove }: { c: Campaign; canWrite: boolean; canApprove: boolean }) {
  const { t } = useT('ota');
  const path = `/api/v1/campaigns/${c.id}`;
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ to: 'A', justification: '' });
  const request = useApiMutation<typeof form, Campaign>((body) => ({ path: `${path}/class-override`, body }), { invalidate: [path], onSuccess: () => setOpen(false) });
  const approve = useApiMutation<void, Campaign>(() => ({ path: `${path}/class-override/approve`, method: 'POST' }), { invalidate: [path, '/api/v1/obligations'] });
  const o = c.override;
  return (
    <div className="stack">
      {o && <p className="small" data-testid="override">{t('override.state', { from: o.from, to: o.to, by: o.requestedBy.name })}: “{o.justification}” — {o.approvedBy ? t('override.approvedBy', { name: o.approvedBy.name }) : t('override.pending')}</p>}
      {o && !o.approvedBy && canApprove && <button type="button" className="btn btn-small" onClick={() => approve.mutate()} data-testid="approve-override">{t('override.approve')}</button>}
      {approve.error && <ErrorBox error={approve.error} />}
      {canWrite && c.computedClass && c.computedClass !== 'A' && !o && ['classified', 'awaiting_prerequisites'].includes(c.state) && (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(true)}>{t('override.request')}</button>)}
      <Dialog open={open} onClose={() => setOpen(false)} title={t('override.request')} footer={
        <button type="submit" form="override" className="btn btn-primary" disabled={request.isPending}>{t('common:actions.save')}</button>}>
        <form id="override" onSubmit={(e) => { e.preventDefault(); request.mutate(form); }}>
          {request.error && <ErrorBox error={request.error} />}
          <Field label={t('override.to')} error={request.error} path="to">
            <select value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })}>{['A', 'B'].filter((x) => x < (c.computedClass ?? 'A')).map((x) => <option key={x}>{x}</option>)}</select>
          </Field>
          <Field label={t('override.justification')} error={request.error} path="justification" hint={t('override.hint')} required>
            <textarea rows={4} value={form.justification} onChange={(e) => setForm({ ...form, justification: e.target.value })} />
          </Field>
        </form>
      </Dialog>
    </div>
  );
}

function StepsPanel({ c, canWrite }: { c: Campaign; canWrite: boolean }) {
  const { t, locale } = useT('ota');
  const path = `/api/v1/campaigns/${c.id}`;
  const [step, setStep] = useState<string | null>(null);
  const [reference, setReference] = useState('');
  const record = useApiMutation<{ reference: string }, Campaign>((body) => ({ path: `${path}/steps/${step}`, body }), {
    invalidate: [path, '/api/v1/obligations'], onSuccess: () => { setStep(null); setReference(''); },
  });
  const recorded = new Map((c.stepRecords ?? []).map((r) => [r.step, r]));
  return (
    <Panel title={t('section.steps')} flush>
      <Table rows={c.steps} rowKey={(s) => s.id} empty={t('steps.none')} columns={[
        { key: 'title', header: t('field.step'), render: (s) => pick(s.title, locale) },
        { key: 'to', header: t('field.addressee'), render: (s) => s.addressee },
        { key: 'rule', header: t('field.rule'), mono: true, render: (s) => <span title={s.source}>{s.rule}</span> },
        { key: 'due', header: t('field.due'), nowrap: true, render: (s) => s.dueDate ? `${formatDate(s.dueDate)}${s.provisional ? ` (${t('steps.provisional')})` : ''}` : t(`steps.due.${s.phase}`, { defaultValue: s.phase }) },
        { key: 'rec', header: t('field.reference'), render: (s) => recorded.get(s.id)?.reference ?? (canWrite && s.phase === 'before-release'
          ? <button type="button" className="btn btn-small" onClick={() => setStep(s.id)} data-testid={`record-${s.id}`}>{t('steps.record')}</button> : '—') },
      ]} />
      <Dialog open={!!step} onClose={() => setStep(null)} title={t('steps.record')} footer={
        <button type="submit" form="record-step" className="btn btn-primary" disabled={record.isPending}>{t('common:actions.save')}</button>}>
        <form id="record-step" onSubmit={(e) => { e.preventDefault(); record.mutate({ reference }); }}>
          {record.error && <ErrorBox error={record.error} />}
          <p className="small muted">{t('steps.digestNote', { digest: c.digests.content.slice(0, 16) })}</p>
          <Field label={t('field.reference')} error={record.error} path="reference" required>
            <input value={reference} onChange={(e) => setReference(e.target.value)} data-testid="step-reference" />
          </Field>
        </form>
      </Dialog>
    </Panel>
  );
}

function AuthorizationPanel({ c }: { c: Campaign }) {
  const { t } = useT('ota');
  const az = useApiQuery<{ token: string; kid: string; validFrom: string; validTo: string; jwks: string }>(c.authorization && !c.authorization.revokedAt ? `/api/v1/campaigns/${c.id}/authorization` : null);
  return (
    <Panel title={t('section.authorization')}>
      {!c.authorization && <p className="muted">{t('authorization.none')}</p>}
      {c.authorization?.revokedAt && <p><Badge tone="overdue">{t('authorization.revoked')}</Badge> {formatInstant(c.authorization.revokedAt)} — {c.authorization.revokedReason}</p>}
      {az.data && (
        <KeyValues items={[
          [t('authorization.kid'), <span key="k" className="mono">{az.data.kid}</span>],
          [t('authorization.valid'), `${formatInstant(az.data.validFrom)} – ${formatInstant(az.data.validTo)}`],
          [t('authorization.token'), <CopyText key="t" value={az.data.token} short />],
          [t('authorization.jwks'), <a key="j" href={az.data.jwks} className="mono small">{az.data.jwks}</a>],
          [t('authorization.verify'), <code key="v" className="small">icvgate authz verify TOKEN --jwks jwks.json</code>],
        ]} />
      )}
    </Panel>
  );
}

function ReconciliationPanel({ id }: { id: string }) {
  const { t } = useT('ota');
  const r = useApiQuery<Reconciliation>(`/api/v1/campaigns/${id}/reconciliation`);
  if (r.error) return <ErrorBox error={r.error} />;
  if (!r.data) return null;
  const k = r.data.counts;
  return (
    <Panel title={t('section.reconciliation')}>
      <div className="stats" data-testid="reconciliation">
        <Stat label={t('recon.targeted')} value={k.targeted} />
        <Stat label={t('recon.succeeded')} value={k.succeeded} tone="done" />
        <Stat label={t('recon.failed')} value={k.failed} tone={k.failed ? 'overdue' : undefined} />
        <Stat label={t('recon.notReached')} value={k.notReached} />
        <Stat label={t('recon.outsideScope')} value={k.outsideScope} tone={k.outsideScope ? 'overdue' : undefined} note={r.data.outsideScope.sample.slice(0, 3).join(', ')} />
        <Stat label={t('recon.serverOnly')} value={k.serverClaimedOnly} tone={k.serverClaimedOnly ? 'dueSoon' : undefined} />
        <Stat label={t('recon.unfiled')} value={r.data.versionsNotFiled.reports} tone={r.data.versionsNotFiled.reports ? 'overdue' : undefined} />
        <Stat label={t('recon.beforeClearance')} value={r.data.installsBeforeClearance.reports} tone={r.data.installsBeforeClearance.reports ? 'overdue' : undefined} />
        <Stat label={t('recon.outsideWindow')} value={r.data.installsOutsideWindow.reports} tone={r.data.installsOutsideWindow.reports ? 'overdue' : undefined} />
      </div>
      {r.data.anomalies.length > 0 && (
        <Table rows={r.data.anomalies} rowKey={(a) => a.vin + a.at + a.version} columns={[
          { key: 'vin', header: 'VIN', mono: true, render: (a) => a.vin },
          { key: 'at', header: t('field.at'), nowrap: true, render: (a) => formatInstant(a.at) },
          { key: 'v', header: t('field.version'), mono: true, render: (a) => a.version },
          { key: 'p', header: t('field.problems'), render: (a) => a.problems.map((p) => t(`recon.problem.${p}`, { defaultValue: p })).join(', ') },
        ]} />
      )}
    </Panel>
  );
}
