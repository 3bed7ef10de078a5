import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { Badge, ErrorBox, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { useCan } from '../../session.tsx';
import { SeriesChart } from './parts.tsx';
import type { Assessment, Signals } from './types.ts';

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d = new Date(d.getTime() + 86_400_000)) out.push(d.toISOString().slice(0, 10));
  return out;
}

/** Repeated failure signatures with their daily vehicle counts, and the defect assessments they opened. */
export function SignalsPage() {
  const { t } = useT('incidents');
  const [days, setDays] = useState(30);
  const q = useApiQuery<Signals>('/api/v1/signals', { days });
  const canDecide = useCan('incidents:decide');
  const [reason, setReason] = useState('');
  const decide = useApiMutation((v: { id: string; decision: 'recall' | 'no-recall' }) => ({ path: `/api/v1/defect-assessments/${v.id}/decision`, body: { decision: v.decision, reason } }),
    { invalidate: ['/api/v1/signals'] });
  const s = q.data;
  const axis = s ? daysBetween(s.window.from, s.window.to) : [];
  return (
    <>
      <PageHeader title={t('ui.signalsTitle')} subtitle={t('ui.signalsSubtitle')} actions={
        <label>{t('ui.days')} <select value={days} onChange={(e) => setDays(Number(e.target.value))}>{[7, 30, 90, 180].map((d) => <option key={d} value={d}>{d}</option>)}</select></label>
      } />
      {q.error && <ErrorBox error={q.error} />}
      {s && <p className="muted">{t('ui.threshold', { vehicles: s.threshold.vehicles, days: s.threshold.windowDays })} · {t('ui.window', { from: s.window.from, to: s.window.to })}</p>}
      <Panel flush title={t('ui.chartTitle')}>
        <Table rows={s?.items} loading={q.isLoading} empty={t('ui.noSignals')} rowKey={(r) => r.signature} columns={[
          { key: 'signature', header: t('ui.signature'), render: (r) => <span className="mono">{r.function} · {r.faultCode} · {r.ecu ? `${r.ecu} ` : ''}{r.softwareVersion}</span> },
          { key: 'vehicles', header: t('ui.vehicles'), align: 'right' },
          { key: 'events', header: t('ui.events'), align: 'right' },
          { key: 'chart', header: t('ui.chartTitle'), render: (r) => <SeriesChart series={r.series} days={axis} label={`${r.signature}`} /> },
          { key: 'assessment', header: t('ui.assessment'), render: (r) => (r.assessment ? <Badge tone={r.assessment.status === 'no-recall' ? 'neutral' : 'overdue'}>{t(`assessmentStatus.${r.assessment.status}`)}</Badge> : '—') },
        ]} />
      </Panel>
      <Panel flush title={t('ui.assessments')}>
        {decide.error && <ErrorBox error={decide.error} />}
        {decide.data ? <p>{t('ui.obligationsCreated', { count: (decide.data as { obligations?: string[] }).obligations?.length ?? 0 })}</p> : null}
        {canDecide && <div className="field"><label>{t('ui.decisionReason')} <input value={reason} onChange={(e) => setReason(e.target.value)} /></label></div>}
        <Table<Assessment> rows={s?.assessments} rowKey={(a) => a.id} columns={[
          { key: 'signature', header: t('ui.signature'), render: (a) => <span className="mono">{a.function} · {a.faultCode} · {a.ecu ? `${a.ecu} ` : ''}{a.softwareVersion}</span> },
          { key: 'trigger', header: t('ui.vehicles'), render: (a) => `${a.trigger.vehicles} (${a.trigger.from} – ${a.trigger.to})` },
          { key: 'openedAt', header: t('ui.aware'), nowrap: true, render: (a) => formatInstant(a.openedAt) },
          { key: 'status', header: t('ui.status'), render: (a) => <>{t(`assessmentStatus.${a.status}`)} {a.blocksVersion && <Badge tone="overdue">{t('ui.blocksVersion', { version: a.softwareVersion })}</Badge>}</> },
          { key: 'decide', header: '', render: (a) => (canDecide && a.status === 'open' ? (
            <>
              <button type="button" className="btn" disabled={!reason.trim() || decide.isPending} onClick={() => decide.mutate({ id: a.id, decision: 'recall' })}>{t('ui.recall')}</button>{' '}
              <button type="button" className="btn" disabled={!reason.trim() || decide.isPending} onClick={() => decide.mutate({ id: a.id, decision: 'no-recall' })}>{t('ui.noRecall')}</button>
            </>
          ) : null) },
        ]} />
      </Panel>
    </>
  );
}
