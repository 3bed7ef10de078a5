import { useState, type FormEvent } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorBox, Field, Loading, PageHeader, Panel } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import { Link, useParams } from '../../router.tsx';
import { DecisionsTable, FilingFacts, ManifestTable, PdfPreview, StateBadge, SubmissionsTable } from './parts.tsx';
import { CHANNELS, type Filing } from './types.ts';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function FilingDetailPage() {
  const { t, locale } = useT('filings');
  const { filingId } = useParams<{ filingId: string }>();
  const path = `/api/v1/filings/${filingId}`;
  const q = useApiQuery<Filing>(path);
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const f = q.data;
  const correction = `/filings?kind=${f.kind}&subject=${encodeURIComponent(f.subject.id)}&addressee=${f.addressee}&supersedes=${f.id}`;
  return (
    <>
      <PageHeader
        title={pick(f.title, locale)}
        subtitle={<><span className="mono">{f.id}</span> · v{f.version} · <StateBadge state={f.state} /></>}
        actions={<>
          <a className="btn" href={`${path}/package.zip`}>{t('ui.downloadZip')}</a>
          <a className="btn" href={`${path}/filing.json`} target="_blank" rel="noreferrer">{t('ui.downloadJson')}</a>
          {!f.supersededBy && <Link className="btn" to={correction}>{t('ui.correct')}</Link>}
        </>}
      />
      <div className="notice">{t('ui.immutable')}</div>
      <Panel><FilingFacts filing={f} base="/filings" /></Panel>
      <Panel flush title={t('ui.submissions')}><SubmissionsTable rows={f.submissions} withObligations /></Panel>
      {!f.supersededBy && ['built', 'submitted', 'info_requested'].includes(f.state) && <SubmissionForm filing={f} />}
      <Panel flush title={t('ui.decisions')}><DecisionsTable rows={f.decisions} /></Panel>
      <ManifestTable filing={f} />
      <PdfPreview src={`${path}/package.pdf`} title={pick(f.title, locale)} />
    </>
  );
}

function SubmissionForm({ filing }: { filing: Filing }) {
  const { t } = useT('filings');
  const [channel, setChannel] = useState<string>(filing.addressee === 'MIIT' ? 'miit-ota-system' : 'samr-recall-platform');
  const [submittedOn, setSubmittedOn] = useState(today());
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const m = useApiMutation<Record<string, unknown>, Filing>((body) => ({ path: `/api/v1/filings/${filing.id}/submissions`, body }), {
    invalidate: ['/api/v1/filings'],
    onSuccess: () => { setReference(''); setNote(''); },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    m.mutate({ channel, submittedOn, ...(reference.trim() ? { reference: reference.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <Panel title={t('ui.recordSubmission')}>
      <form onSubmit={submit} className="form-grid">
        <Field label={t('ui.channel')} error={m.error} path="channel" required>
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            {CHANNELS.map((c) => <option key={c} value={c}>{t(`ui.channels.${c}`)}</option>)}
          </select>
        </Field>
        <Field label={t('ui.submittedOn')} error={m.error} path="submittedOn" required>
          <input type="date" value={submittedOn} onChange={(e) => setSubmittedOn(e.target.value)} />
        </Field>
        <Field label={t('ui.reference')} error={m.error} path="reference">
          <input value={reference} onChange={(e) => setReference(e.target.value)} />
        </Field>
        <Field label={t('ui.note')} error={m.error} path="note">
          <input value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <ErrorBox error={m.error} />
        <button type="submit" className="btn btn-primary" disabled={m.isPending}>{t('ui.save')}</button>
      </form>
    </Panel>
  );
}
