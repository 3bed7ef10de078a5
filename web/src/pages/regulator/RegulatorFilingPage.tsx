import { useState, type FormEvent } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorBox, Field, Loading, PageHeader, Panel } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import { useParams } from '../../router.tsx';
import { DecisionsTable, FilingFacts, ManifestTable, PackageCheckPanel, PdfPreview, StateBadge, SubmissionsTable } from '../filings/parts.tsx';
import { DECISIONS, type Filing } from '../filings/types.ts';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function RegulatorFilingPage() {
  const { t, locale } = useT('filings');
  const { filingId } = useParams<{ filingId: string }>();
  const path = `/api/v1/regulator/filings/${filingId}`;
  const q = useApiQuery<Filing>(path);
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const f = q.data;
  return (
    <>
      <PageHeader
        title={`${pick(f.manufacturer, locale)} · ${pick(f.title, locale)}`}
        subtitle={<><span className="mono">{f.id}</span> · v{f.version} · <StateBadge state={f.state} /></>}
        actions={<a className="btn" href={`${path}/package.zip`}>{t('ui.downloadZip')}</a>}
      />
      <Panel><FilingFacts filing={f} base="/regulator" /></Panel>
      <PdfPreview src={`${path}/package.pdf`} title={pick(f.title, locale)} />
      <ManifestTable filing={f} />
      <PackageCheckPanel url={`${path}/package-check`} />
      <Panel flush title={t('ui.submissions')}><SubmissionsTable rows={f.submissions} /></Panel>
      <Panel flush title={t('ui.decisions')}><DecisionsTable rows={f.decisions} /></Panel>
      {!f.supersededBy && ['submitted', 'info_requested'].includes(f.state) && <DecisionForm filing={f} />}
    </>
  );
}

function DecisionForm({ filing }: { filing: Filing }) {
  const { t } = useT('filings');
  const choices = DECISIONS.filter((d) => d !== 'permit_granted' || filing.kind === 'change-permit');
  const [decision, setDecision] = useState<string>('accepted');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [decidedOn, setDecidedOn] = useState(today());
  const m = useApiMutation<Record<string, unknown>, Filing>((body) => ({ path: `/api/v1/filings/${filing.id}/decisions`, body }), {
    invalidate: ['/api/v1/regulator/filings'],
    onSuccess: () => { setReason(''); setReference(''); },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    m.mutate({ decision, decidedOn, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(reference.trim() ? { reference: reference.trim() } : {}) });
  };
  return (
    <Panel title={t('ui.recordDecision')}>
      <form onSubmit={submit} className="form-grid">
        <Field label={t('ui.decision')} error={m.error} path="decision" required>
          <select value={decision} onChange={(e) => setDecision(e.target.value)}>
            {choices.map((d) => <option key={d} value={d}>{t(`decisions.${d}`)}</option>)}
          </select>
        </Field>
        <Field label={t('ui.reason')} error={m.error} path="reason" required={decision === 'rejected' || decision === 'info_requested'}>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
        </Field>
        {decision === 'permit_granted' && (
          <Field label={t('ui.permitReference')} error={m.error} path="reference" required>
            <input value={reference} onChange={(e) => setReference(e.target.value)} />
          </Field>
        )}
        <Field label={t('ui.decidedOn')} error={m.error} path="decidedOn">
          <input type="date" value={decidedOn} onChange={(e) => setDecidedOn(e.target.value)} />
        </Field>
        <ErrorBox error={m.error} />
        <button type="submit" className="btn btn-primary" disabled={m.isPending}>{t('ui.save')}</button>
      </form>
    </Panel>
  );
}
