import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { Badge, ErrorBox, Field, KeyValues, Loading, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { Link, useParams } from '../../router.tsx';
import { useCan } from '../../session.tsx';
import { DueBadge, SeverityBadge } from './parts.tsx';
import type { IncidentDetail } from './types.ts';

const TYPES = ['first', 'update', 'full', 'result', 'monthly'] as const;

/** One case: the reportability decision with its rules, the timeline, report version chains and a form for the next version. */
export function IncidentDetailPage() {
  const { t } = useT('incidents');
  const { incidentId } = useParams<{ incidentId: string }>();
  const [personal, setPersonal] = useState(false);
  const canPersonal = useCan('incidents:personal');
  const canWrite = useCan('incidents:write');
  const q = useApiQuery<IncidentDetail>(`/api/v1/incidents/${incidentId}`, personal ? { includePersonal: true } : undefined);
  const [type, setType] = useState<(typeof TYPES)[number]>('first');
  const [narrative, setNarrative] = useState('');
  const [facts, setFacts] = useState('{}');
  const [factsError, setFactsError] = useState<string | undefined>();
  const add = useApiMutation((body: object) => ({ path: `/api/v1/incidents/${incidentId}/reports`, body }), { invalidate: ['/api/v1/incidents'] });
  if (q.error) return <ErrorBox error={q.error} />;
  const c = q.data;
  if (!c) return <Loading />;
  const own = c.reports.find((r) => r.reportId === c.id) ?? c.reports[0];
  const submit = () => {
    let parsed: unknown;
    try { parsed = JSON.parse(facts || '{}'); setFactsError(undefined); } catch (e) { setFactsError((e as Error).message); return; }
    add.mutate({ type, basedOnVersion: own?.latest ?? 0, facts: parsed, ...(narrative.trim() ? { narrative } : {}) }, { onSuccess: () => { setNarrative(''); setFacts('{}'); } });
  };
  return (
    <>
      <PageHeader
        title={<><SeverityBadge severity={c.severity} /> {t(`kind.${c.kind}`)} {c.vin ?? ''}</>}
        subtitle={<Link to="/incidents">{t('ui.back')}</Link>}
        actions={
          <>
            <a className="btn" href={`/api/v1/incidents/${c.id}/export`} download={`${c.id}.json`}>{t('ui.export')}</a>
            {canPersonal && <label className="checkbox"><input type="checkbox" checked={personal} onChange={(e) => setPersonal(e.target.checked)} /> {t('ui.showPersonal')}</label>}
          </>
        }
      />
      {c.redacted && <p className="muted">{t('ui.redacted')}</p>}
      <div className="grid-2">
        <Panel title={t('ui.decision')}>
          <KeyValues items={[
            [t('ui.status'), t(`status.${c.status}`)],
            [t('ui.deadline'), <DueBadge due={c.nextDueAt} status={c.status} />],
            [t('ui.aware'), formatInstant(c.awareAt)],
            [t('ui.vin'), c.vin ? <span className="mono">{c.vin}{c.vinStatus === 'check-digit-unverifiable' ? ` (${t('ui.vinUnverifiable')})` : ''}</span> : '—'],
            [t('ui.reasons'), c.decision.reasons.join('; ')],
            [t('ui.rules'), c.decision.rules.map((r) => <div key={r.rule}><strong>{r.rule}</strong> {r.source} <span className="muted">({r.regime} {r.regimeVersion})</span></div>)],
          ]} />
        </Panel>
        <Panel flush title={t('ui.deadlines')}>
          <Table rows={c.decision.deadlines} rowKey={(d) => d.kind} columns={[
            { key: 'kind', header: t('ui.type'), render: (d) => d.kind },
            { key: 'due', header: t('ui.deadline'), nowrap: true, render: (d) => (d.due ? formatInstant(d.due) : t('ui.whenEvent')) },
            { key: 'when', header: t('ui.reasons'), render: (d) => <>{d.when} <Badge>{t('ui.basisPolicy')}</Badge></> },
          ]} />
        </Panel>
      </div>
      <Panel flush title={t('ui.timeline')}>
        <Table rows={c.timeline} rowKey={(e) => `${e.at}-${e.kind}-${e.text}`} columns={[
          { key: 'at', header: t('ui.aware'), nowrap: true, render: (e) => formatInstant(e.at) },
          { key: 'kind', header: t('ui.type'), render: (e) => t(`timelineKind.${e.kind}`) },
          { key: 'text', header: t('ui.reasons'), render: (e) => e.text },
        ]} />
      </Panel>
      {c.reports.map((chain) => (
        <Panel key={chain.reportId} title={`${t('ui.versions')}: ${chain.reportId}`}>
          {chain.missing.length > 0 && <p className="muted">{t('ui.missingVersions', { versions: chain.missing.join(', ') })}</p>}
          <Table rows={chain.versions} rowKey={(v) => v.version} columns={[
            { key: 'version', header: 'v', align: 'right', width: 40 },
            { key: 'type', header: t('ui.reportType'), render: (v) => (TYPES as readonly string[]).includes(v.type) ? t(`reportType.${v.type}`) : v.type },
            { key: 'createdAt', header: t('ui.aware'), nowrap: true, render: (v) => formatInstant(v.createdAt) },
            { key: 'digest', header: 'SHA-256', mono: true, render: (v) => v.digest.slice(0, 12) },
          ]} />
          <h4>{t('ui.narrative')}</h4>
          {chain.narrative.map((n) => <p key={n.version}><strong>v{n.version}</strong> {n.text}</p>)}
        </Panel>
      ))}
      {canWrite && (
        <Panel title={t('ui.addReport')}>
          {add.error && <ErrorBox error={add.error} />}
          <Field label={t('ui.reportType')}>
            <select value={type} onChange={(e) => setType(e.target.value as (typeof TYPES)[number])}>
              {TYPES.map((x) => <option key={x} value={x}>{t(`reportType.${x}`)}</option>)}
            </select>
          </Field>
          <Field label={t('ui.narrativeAppend')} error={add.error} path="narrative">
            <textarea rows={4} value={narrative} onChange={(e) => setNarrative(e.target.value)} />
          </Field>
          <Field label={t('ui.factsJson')} message={factsError} error={add.error} path="facts">
            <textarea rows={3} className="mono" value={facts} onChange={(e) => setFacts(e.target.value)} />
          </Field>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={add.isPending}>{t('ui.save')}</button>
        </Panel>
      )}
    </>
  );
}
