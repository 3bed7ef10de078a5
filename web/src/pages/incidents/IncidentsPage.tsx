import { useRef, useState } from 'react';
import { api, useApiQuery, type ApiError } from '../../api.ts';
import { ErrorBox, PageHeader, Panel, Table } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { navigate, useSearchParams } from '../../router.tsx';
import { useCan } from '../../session.tsx';
import { DueBadge, SeverityBadge } from './parts.tsx';
import type { ImportResult, IncidentList } from './types.ts';

/** The queue: every case ordered by its next reporting deadline, with a live countdown. */
export function IncidentsPage() {
  const { t } = useT('incidents');
  const [query, setQuery] = useSearchParams();
  const severity = query.get('severity') ?? undefined;
  const list = useApiQuery<IncidentList>('/api/v1/incidents', { limit: 200, severity });
  const canImport = useCan('incidents:write');
  const file = useRef<HTMLInputElement>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [importError, setImportError] = useState<ApiError | null>(null);
  const upload = async (f: File) => {
    setImportError(null);
    try {
      setImported(await api<ImportResult>('/api/v1/incidents/import?format=nhtsa-sgo', { method: 'POST', body: f, headers: { 'content-type': 'text/csv' } }));
      void list.refetch();
    } catch (e) { setImportError(e as ApiError); }
  };
  return (
    <>
      <PageHeader
        title={t('ui.title')}
        subtitle={t('ui.subtitle')}
        actions={canImport && (
          <>
            <input ref={file} type="file" accept=".csv,text/csv" hidden onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
            <button type="button" className="btn" onClick={() => file.current?.click()}>{t('ui.importSgo')}</button>
          </>
        )}
      />
      {importError && <ErrorBox error={importError} />}
      {imported && (
        <Panel title={t('ui.importResult', { imported: imported.imported, unchanged: imported.unchanged, rejected: imported.rejected.length })}>
          {imported.rejected.length > 0 && (
            <Table rows={imported.rejected} rowKey={(r) => r.line} columns={[
              { key: 'line', header: t('ui.line'), align: 'right', width: 80 },
              { key: 'reason', header: t('ui.reason') },
            ]} />
          )}
        </Panel>
      )}
      {list.error && <ErrorBox error={list.error} />}
      <Panel
        flush
        title={list.data ? `${t('ui.title')} (${list.data.total})` : t('ui.title')}
        actions={
          <select aria-label={t('ui.severity')} value={severity ?? ''} onChange={(e) => setQuery(e.target.value ? { severity: e.target.value } : {})}>
            <option value="">{t('ui.all')}</option>
            {['S1', 'S2', 'S3', 'S4'].map((s) => <option key={s} value={s}>{t(`severity.${s}`)}</option>)}
          </select>
        }
      >
        <Table
          rows={list.data?.items}
          loading={list.isLoading}
          empty={t('ui.none')}
          rowKey={(r) => r.id}
          onRowClick={(r) => navigate(`/incidents/${r.id}`)}
          columns={[
            { key: 'deadline', header: t('ui.deadline'), nowrap: true, render: (r) => <DueBadge due={r.nextDueAt} status={r.status} /> },
            { key: 'severity', header: t('ui.severity'), render: (r) => <SeverityBadge severity={r.severity} /> },
            { key: 'kind', header: t('ui.kind'), render: (r) => t(`kind.${r.kind}`) },
            { key: 'type', header: t('ui.type'), render: (r) => (r.type ? t(`eventType.${r.type}`, { defaultValue: r.type }) : '—') },
            { key: 'vin', header: t('ui.vin'), mono: true, render: (r) => r.vin ?? '—' },
            { key: 'aware', header: t('ui.aware'), nowrap: true, render: (r) => formatInstant(r.awareAt) },
            { key: 'events', header: t('ui.events'), align: 'right', render: (r) => r.eventCount },
            { key: 'status', header: t('ui.status'), render: (r) => t(`status.${r.status}`) },
          ]}
        />
      </Panel>
    </>
  );
}
