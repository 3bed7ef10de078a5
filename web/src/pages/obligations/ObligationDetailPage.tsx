import { useState, type FormEvent } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorBox, Field, KeyValues, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { useParams } from '../../router.tsx';
import { useCan, useMe } from '../../session.tsx';
import { AuditTable } from '../audit/AuditTable.tsx';
import type { AuditPage } from '../audit/types.ts';
import { DueCell, ObligationStatus } from './parts.tsx';
import type { Obligation } from './types.ts';

/** One obligation: why and when it is due, what it needs, its submissions, actions, and its history. */
export function ObligationDetailPage() {
  const { obligationId } = useParams<{ obligationId: string }>();
  const { t, locale } = useT('obligations');
  const path = `/api/v1/obligations/${encodeURIComponent(obligationId)}`;
  const o = useApiQuery<Obligation>(path);
  const audit = useApiQuery<AuditPage>(useCan('audit:read') ? '/api/v1/audit' : null, { subjectType: 'obligation', subject: obligationId, limit: 100 });
  if (o.error) return <ErrorBox error={o.error} onRetry={() => void o.refetch()} />;
  if (!o.data) return <div className="loading">…</div>;
  const x = o.data;
  return (
    <>
      <PageHeader title={pick(x.title, locale)} subtitle={<><span className="mono">{x.rule}{x.part ? ` · ${x.part}` : ''}</span> <ObligationStatus o={x} /></>} />
      <div className="grid-2-1">
        <Panel title={t('ui.due')}>
          <KeyValues
            items={[
              [t('ui.dueDate'), <DueCell o={x} />],
              [t('ui.explain'), x.due.explain],
              [t('ui.basis'), t(`basis.${x.due.basis}`)],
              [t('ui.addressee'), t(`addressee.${x.addressee}`)],
              [t('ui.actingParty'), x.actingParty],
              [t('ui.subject'), <span>{t(`subjectType.${x.subjectType}`)} <span className="mono">{x.subjectId}</span></span>],
              [t('ui.fulfilledBy'), t(`fulfilledBy.${x.fulfilledBy}`)],
              ...(x.gate ? [[t('ui.gate'), '✓'] as [string, string]] : []),
              [t('ui.source'), x.source],
              [t('ui.regimeVersion'), <span className="mono">{x.regime} {x.regimeVersion}</span>],
              ...(x.statusReason ? [[t('ui.statusReason'), x.statusReason] as [string, string]] : []),
            ]}
          />
        </Panel>
        <Panel title={t('ui.documents')}>
          <ul>{x.documents.map((d) => <li key={d}>{t(`documents.${d}`)}</li>)}</ul>
        </Panel>
      </div>
      <Panel flush title={t('ui.submissions')}>
        <Table
          rows={x.submissions}
          rowKey={(s) => s.id}
          empty={t('ui.noSubmissions')}
          columns={[
            { key: 'submittedAt', header: t('ui.submittedAt'), nowrap: true, render: (s) => formatInstant(s.submittedAt) },
            { key: 'channel', header: t('ui.channel') },
            { key: 'reference', header: t('ui.reference'), mono: true, render: (s) => s.reference ?? '—' },
            { key: 'packageSha256', header: t('ui.packageSha256'), mono: true, render: (s) => (s.packageSha256 ? s.packageSha256.slice(0, 16) + '…' : '—') },
            { key: 'recordedBy', header: t('ui.recordedBy'), render: (s) => s.recordedBy.name },
          ]}
        />
      </Panel>
      <Actions o={x} path={path} />
      {audit.data && (
        <Panel flush title={t('ui.history')}>
          <AuditTable rows={audit.data.items} compact />
        </Panel>
      )}
    </>
  );
}

function Actions({ o, path }: { o: Obligation; path: string }) {
  const { t } = useT('obligations');
  const me = useMe();
  const canWrite = useCan('obligations:write');
  const canApprove = useCan('obligations:approve');
  const invalidate = ['/api/v1/obligations', '/api/v1/audit'];
  const [sub, setSub] = useState({ channel: '', reference: '', packageSha256: '', note: '' });
  const [reason, setReason] = useState('');
  const [justification, setJustification] = useState('');
  const [question, setQuestion] = useState('');
  const submit = useApiMutation((body: Record<string, string>) => ({ path: `${path}/submissions`, body }), {
    invalidate, onSuccess: () => setSub({ channel: '', reference: '', packageSha256: '', note: '' }),
  });
  const decide = useApiMutation((body: Record<string, string>) => ({ path: `${path}/decisions`, body }), { invalidate, onSuccess: () => setReason('') });
  const waive = useApiMutation((body: Record<string, string>) => ({ path: `${path}/waive`, body }), { invalidate });
  const approve = useApiMutation(() => ({ path: `${path}/waive/approve`, body: {} }), { invalidate });
  const reopen = useApiMutation((body: Record<string, string>) => ({ path: `${path}/reopen`, body }), { invalidate, onSuccess: () => setQuestion('') });
  if (!canWrite) return null;
  const clean = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v.trim() !== ''));
  const active = o.status === 'open' || o.status === 'rejected';
  return (
    <div className="grid-2">
      {(active || o.status === 'submitted') && (
        <Panel title={t('ui.recordSubmission')}>
          <form className="form-grid" onSubmit={(e: FormEvent) => { e.preventDefault(); submit.mutate(clean(sub)); }}>
            <Field label={t('ui.channel')} error={submit.error} path="channel" required><input value={sub.channel} onChange={(e) => setSub({ ...sub, channel: e.target.value })} /></Field>
            <Field label={t('ui.reference')} error={submit.error} path="reference"><input value={sub.reference} onChange={(e) => setSub({ ...sub, reference: e.target.value })} /></Field>
            <Field label={t('ui.packageSha256')} error={submit.error} path="packageSha256"><input className="mono" value={sub.packageSha256} onChange={(e) => setSub({ ...sub, packageSha256: e.target.value.trim().toLowerCase() })} /></Field>
            <Field label={t('ui.note')} error={submit.error} path="note"><input value={sub.note} onChange={(e) => setSub({ ...sub, note: e.target.value })} /></Field>
            {submit.error && !submit.error.errors.length && <ErrorBox error={submit.error} />}
            <button className="btn btn-primary" type="submit" disabled={submit.isPending}>{t('ui.recordSubmission')}</button>
          </form>
        </Panel>
      )}
      {o.status === 'submitted' && (
        <Panel title={t('ui.decision')}>
          <Field label={t('ui.reason')} error={decide.error} path="reason"><textarea value={reason} onChange={(e) => setReason(e.target.value)} /></Field>
          {decide.error && <ErrorBox error={decide.error} />}
          <button className="btn btn-primary" type="button" onClick={() => decide.mutate(clean({ decision: 'accepted', reason }))}>{t('ui.accepted')}</button>{' '}
          <button className="btn btn-danger" type="button" onClick={() => decide.mutate(clean({ decision: 'rejected', reason }))}>{t('ui.rejected')}</button>
        </Panel>
      )}
      {active && (
        <Panel title={t('ui.waive')}>
          {o.waiverRequest ? (
            <>
              <p>{t('ui.waiverPending', { name: o.waiverRequest.by.name, at: formatInstant(o.waiverRequest.at), justification: o.waiverRequest.justification })}</p>
              <p className="muted">{t('ui.waiverSecondUser')}</p>
              {approve.error && <ErrorBox error={approve.error} />}
              {canApprove && o.waiverRequest.by.id !== me.user.id && (
                <button className="btn btn-primary" type="button" onClick={() => approve.mutate(undefined)}>{t('ui.approveWaiver')}</button>
              )}
            </>
          ) : (
            <form onSubmit={(e: FormEvent) => { e.preventDefault(); waive.mutate({ justification }); }}>
              <Field label={t('ui.justification')} error={waive.error} path="justification" required><textarea value={justification} onChange={(e) => setJustification(e.target.value)} /></Field>
              <button className="btn" type="submit">{t('ui.waive')}</button>
            </form>
          )}
        </Panel>
      )}
      {(o.status === 'submitted' || o.status === 'accepted') && (
        <Panel title={t('ui.reopen')}>
          <form onSubmit={(e: FormEvent) => { e.preventDefault(); reopen.mutate({ question }); }}>
            <Field label={t('ui.question')} error={reopen.error} path="question" required><textarea value={question} onChange={(e) => setQuestion(e.target.value)} /></Field>
            <button className="btn" type="submit">{t('ui.reopen')}</button>
          </form>
        </Panel>
      )}
    </div>
  );
}
