import { useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { Badge, ErrorBox, KeyValues, Panel, Table, type Tone } from '../../components/index.ts';
import { formatInstant, shortHash } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import type { Decision, Filing, PackageCheck, Submission } from './types.ts';

const STATE_TONE: Record<string, Tone> = {
  built: 'neutral', submitted: 'info', accepted: 'done', permit_granted: 'done', rejected: 'overdue', info_requested: 'dueSoon',
};

export function StateBadge({ state }: { state: string }) {
  const { t } = useT('filings');
  return <Badge tone={STATE_TONE[state] ?? 'neutral'}>{t(`states.${state}`)}</Badge>;
}

/** The facts of a filing; `base` is where sibling versions link to (/filings or /regulator). */
export function FilingFacts({ filing, base }: { filing: Filing; base: string }) {
  const { t, locale } = useT('filings');
  return (
    <KeyValues
      items={[
        [t('ui.manufacturer'), pick(filing.manufacturer, locale)],
        [t('ui.addressee'), t(`authorities.${filing.addressee}`)],
        [t('ui.subject'), <span className="mono">{filing.subject.type} {filing.subject.id}</span>],
        [t('ui.version'), <>
          {filing.version}
          {filing.supersedes && <> · {t('ui.supersedes')} <Link to={`${base}/${filing.supersedes}`} className="mono">{filing.supersedes}</Link></>}
          {filing.supersededBy && <> · {t('ui.supersededBy')} <Link to={`${base}/${filing.supersededBy}`} className="mono">{filing.supersededBy}</Link></>}
        </>],
        [t('ui.state'), <StateBadge state={filing.state} />],
        [t('ui.preparedAt'), `${formatInstant(filing.createdAt)} · ${filing.createdBy.name}`],
        [t('ui.digest'), <span className="mono" title={filing.contentDigest}>{filing.contentDigest}</span>],
        [t('ui.packageHash'), <span className="mono" title={filing.packageSha256}>{filing.packageSha256}</span>],
      ]}
    />
  );
}

export function PdfPreview({ src, title }: { src: string; title: string }) {
  const { t } = useT('filings');
  return (
    <Panel title={t('ui.preview')} actions={<a className="btn btn-small" href={src} target="_blank" rel="noreferrer">{t('ui.downloadPdf')}</a>}>
      <iframe src={src} title={title} className="pdf-preview" style={{ width: '100%', height: 720, border: '1px solid var(--border)' }} />
    </Panel>
  );
}

export function ManifestTable({ filing }: { filing: Filing }) {
  const { t } = useT('filings');
  return (
    <Panel flush title={t('ui.manifest')}>
      <Table
        rows={filing.manifest?.files}
        rowKey={(f) => f.path}
        columns={[
          { key: 'path', header: t('ui.file'), mono: true },
          { key: 'role', header: t('ui.role') },
          { key: 'size', header: t('ui.size'), align: 'right', render: (f) => f.size.toLocaleString() },
          { key: 'sha256', header: 'SHA-256', mono: true, render: (f) => <span title={f.sha256}>{f.sha256}</span> },
        ]}
      />
    </Panel>
  );
}

export function SubmissionsTable({ rows, withObligations }: { rows: Submission[]; withObligations?: boolean }) {
  const { t } = useT('filings');
  return (
    <Table
      rows={rows}
      rowKey={(s) => s.id}
      empty={t('ui.noSubmissions')}
      columns={[
        { key: 'submittedOn', header: t('ui.submittedOn'), nowrap: true },
        { key: 'channel', header: t('ui.channel'), render: (s) => t(`ui.channels.${s.channel}`, { defaultValue: s.channel }) },
        { key: 'reference', header: t('ui.reference'), mono: true, render: (s) => s.reference ?? '—' },
        { key: 'note', header: t('ui.note'), render: (s) => s.note ?? '—' },
        { key: 'by', header: t('ui.by'), render: (s) => s.recordedBy.name },
        ...(withObligations ? [{ key: 'obligations', header: t('ui.obligations'), render: (s: Submission) => s.obligationIds.length
          ? <>{s.obligationIds.map((id) => <div key={id}><Link to={`/obligations/${id}`} className="mono">{id}</Link></div>)}</> : '—' }] : []),
      ]}
    />
  );
}

export function DecisionsTable({ rows }: { rows: Decision[] }) {
  const { t } = useT('filings');
  return (
    <Table
      rows={rows}
      rowKey={(d) => d.id}
      empty={t('ui.noDecisions')}
      columns={[
        { key: 'decidedOn', header: t('ui.decidedOn'), nowrap: true },
        { key: 'decision', header: t('ui.decision'), render: (d) => <StateBadge state={d.decision} /> },
        { key: 'reason', header: t('ui.reason'), render: (d) => d.reason ?? '—' },
        { key: 'reference', header: t('ui.permitReference'), mono: true, render: (d) => d.reference ?? '—' },
        { key: 'by', header: t('ui.by'), render: (d) => `${d.decidedBy.name} (${d.authority})` },
      ]}
    />
  );
}

/** Uploads a package zip and shows, file by file, whether it matches the manifest. */
export function PackageCheckPanel({ url }: { url: string }) {
  const { t } = useT('filings');
  const [result, setResult] = useState<PackageCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true); setError(null); setResult(null);
    try {
      setResult(await api<PackageCheck>(url, { method: 'POST', body: file, headers: { 'content-type': 'application/zip' } }));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { detail: String(e) }));
    } finally {
      setBusy(false);
    }
  };
  const bad = result?.files.filter((f) => !f.ok) ?? [];
  return (
    <Panel title={t('ui.checkTitle')}>
      <label className="field">
        <span>{t('ui.chooseZip')}</span>
        <input type="file" accept=".zip,application/zip" onChange={(e) => void onFile(e.target.files?.[0])} disabled={busy} />
      </label>
      {busy && <div className="muted">{t('ui.checking')}</div>}
      <ErrorBox error={error} />
      {result && (
        <>
          <div className="notice" role="status" style={result.ok ? { borderColor: 'var(--green-border)', background: 'var(--green-bg)', color: 'var(--green)' } : undefined}>
            {result.ok ? t('ui.verifyOk', { count: result.files.length }) : t('ui.verifyFailed', { count: bad.length || 1 })}
            {result.recordedPackageSha256 && (
              <div className="small">{result.packageSha256 === result.recordedPackageSha256 ? t('ui.packageMatchesRecord') : t('ui.packageDiffers')}</div>
            )}
          </div>
          <Table
            rows={result.files}
            rowKey={(f) => f.path}
            columns={[
              { key: 'path', header: t('ui.file'), mono: true },
              { key: 'status', header: t('ui.status'), render: (f) => f.ok ? <Badge tone="done">{t('ui.match')}</Badge>
                : <Badge tone="overdue">{t(f.problem === 'missing' ? 'ui.missingFile' : f.problem === 'unlisted' ? 'ui.unlisted' : 'ui.mismatch')}</Badge> },
              { key: 'expected', header: 'SHA-256', mono: true, render: (f) => <span title={`${f.expected ?? ''} / ${f.actual ?? ''}`}>{shortHash(f.actual ?? f.expected)}</span> },
            ]}
          />
        </>
      )}
    </Panel>
  );
}
