import { useState, type FormEvent } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorBox, Field, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { pick, useT } from '../../i18n.ts';
import { navigate, useSearchParams } from '../../router.tsx';
import { StateBadge } from './parts.tsx';
import { ADDRESSEES, KINDS, type Filing, type FilingList } from './types.ts';

/** The tenant's packages and the form that builds one (prefilled by ?kind=&subject=&addressee=&supersedes= for a correction). */
export function FilingsPage() {
  const { t, locale } = useT('filings');
  const [query, setQuery] = useSearchParams();
  const kindFilter = query.get('filterKind') ?? '';
  const list = useApiQuery<FilingList>('/api/v1/filings', { limit: 200, kind: kindFilter || undefined });
  return (
    <>
      <PageHeader title={t('ui.title')} subtitle={t('ui.immutable')} />
      <BuildForm />
      <Panel
        flush
        title={list.data ? `${t('ui.title')} (${list.data.total})` : t('ui.title')}
        actions={
          <select aria-label={t('ui.kind')} value={kindFilter} onChange={(e) => setQuery({ filterKind: e.target.value })}>
            <option value="">{t('ui.all')}</option>
            {KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
          </select>
        }
      >
        {list.error && <ErrorBox error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Filing>
          rows={list.data?.items}
          loading={list.isPending}
          rowKey={(f) => f.id}
          empty={t('ui.noFilings')}
          onRowClick={(f) => navigate(`/filings/${f.id}`)}
          columns={[
            { key: 'kind', header: t('ui.kind'), render: (f) => pick(f.title, locale) },
            { key: 'addressee', header: t('ui.addressee'), nowrap: true },
            { key: 'subject', header: t('ui.subject'), mono: true, render: (f) => f.subject.id },
            { key: 'version', header: t('ui.version'), align: 'right', render: (f) => `v${f.version}` },
            { key: 'state', header: t('ui.state'), render: (f) => <StateBadge state={f.supersededBy ? 'superseded' : f.state} /> },
            { key: 'reference', header: t('ui.reference'), mono: true, render: (f) => f.submissions.map((s) => s.reference).filter(Boolean).join(', ') || '—' },
            { key: 'createdAt', header: t('ui.preparedAt'), nowrap: true, render: (f) => formatInstant(f.createdAt) },
          ]}
        />
      </Panel>
    </>
  );
}

const SUBJECT_LISTS: Record<string, { path: string; label: (x: any) => string }> = {
  product: { path: '/api/v1/products', label: (p) => `${p.model} · ${p.name?.zh ?? ''}` },
  campaign: { path: '/api/v1/campaigns', label: (c) => `${c.state} · ${String(c.purpose ?? '').slice(0, 60)}` },
  incident: { path: '/api/v1/incidents', label: (i) => `${i.severity ?? '—'} · ${i.type ?? ''} · ${i.vin ?? ''}` },
};
const SUBJECT_OF: Record<string, string> = {
  'supplementary-parameters': 'product', 'sandbox-documents': 'product', 'incident-report': 'incident',
};

/** Suggestions for the subject field: the tenant's products, campaigns or incidents (whichever the kind is about). */
function SubjectOptions({ kind }: { kind: string }) {
  const list = SUBJECT_LISTS[SUBJECT_OF[kind] ?? 'campaign'];
  const q = useApiQuery<{ items: any[] }>(list.path, { limit: 100 }, { retry: false });
  return (
    <datalist id="filing-subjects">
      {(q.data?.items ?? []).map((x) => <option key={x.id} value={x.id}>{list.label(x)}</option>)}
    </datalist>
  );
}

function BuildForm() {
  const { t } = useT('filings');
  const [query] = useSearchParams();
  const [kind, setKind] = useState(query.get('kind') ?? 'supplementary-parameters');
  const [subject, setSubject] = useState(query.get('subject') ?? '');
  const [addressee, setAddressee] = useState(query.get('addressee') ?? '');
  const [input, setInput] = useState('');
  const [jsonError, setJsonError] = useState<string | undefined>();
  const supersedes = query.get('supersedes') ?? undefined;
  const build = useApiMutation<Record<string, unknown>, Filing>((body) => ({ path: '/api/v1/filings', body }), {
    invalidate: ['/api/v1/filings'],
    onSuccess: (f) => navigate(`/filings/${f.id}`),
  });
  const allowed = ADDRESSEES[kind] ?? ['MIIT'];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let parsed: Record<string, unknown> | undefined;
    if (input.trim()) {
      try { parsed = JSON.parse(input); } catch { setJsonError(t('ui.invalidJson')); return; }
    }
    setJsonError(undefined);
    build.mutate({ kind, subject: subject.trim(), ...(addressee && allowed.includes(addressee as 'MIIT') ? { addressee } : {}), ...(supersedes ? { supersedes } : {}), ...(parsed ? { input: parsed } : {}) });
  };
  return (
    <Panel title={supersedes ? `${t('ui.correct')} (${supersedes})` : t('ui.new')}>
      <form onSubmit={submit} className="form-grid">
        <Field label={t('ui.kind')} error={build.error} path="kind" required>
          <select value={kind} onChange={(e) => { setKind(e.target.value); setAddressee(''); }}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
          </select>
        </Field>
        <Field label={t('ui.subject')} error={build.error} path="subject" required>
          <input value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="prd_… / cmp_… / inc_…" list="filing-subjects" />
        </Field>
        <SubjectOptions kind={kind} />
        <Field label={t('ui.addressee')} error={build.error} path="addressee">
          <select value={addressee || allowed[0]} onChange={(e) => setAddressee(e.target.value)}>
            {allowed.map((a) => <option key={a} value={a}>{t(`authorities.${a}`)}</option>)}
          </select>
        </Field>
        <Field label={t('ui.input')} hint={t('ui.inputHint')} message={jsonError}>
          <textarea value={input} onChange={(e) => setInput(e.target.value)} rows={4} className="mono" />
        </Field>
        <ErrorBox error={build.error} showFieldErrors />
        <button type="submit" className="btn btn-primary" disabled={build.isPending || !subject.trim()}>
          {build.isPending ? t('ui.building') : t('ui.build')}
        </button>
      </form>
    </Panel>
  );
}
