import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorBox, Field, KeyValues, PageHeader, Panel, Stat } from '../../components/index.ts';
import { formatInstant } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { useCan } from '../../session.tsx';

type Report = { inserted: number; updated: number; unchanged: number; skipped: number; errorCount: number; warningCount: number; digest: string; errors: { line: number; vin: string; message: string }[] };
type Vehicle = { vin: string; productId: string; productionDate: string; plant: string | null; manufacturer: string | null; software: Record<string, string>; softwareSource: string | null; softwareAt: string | null };

export function VehiclesPage() {
  const { t } = useT('ota');
  const canWrite = useCan('vehicles:write');
  const [file, setFile] = useState<File | null>(null);
  const [skip, setSkip] = useState(false);
  const [vin, setVin] = useState('');
  const [lookup, setLookup] = useState<string | null>(null);
  const upload = useApiMutation<File, Report>((f) => ({
    path: '/api/v1/vehicles/import', query: skip ? { skipInvalid: 'true' } : undefined, body: f,
    headers: { 'content-type': /\.(nd)?jsonl?$|\.ndjson$/i.test(f.name) ? 'application/x-ndjson' : 'text/csv' },
  }));
  const vehicle = useApiQuery<Vehicle>(lookup ? `/api/v1/vehicles/${lookup}` : null);
  return (
    <>
      <PageHeader title={t('vehicles.title')} subtitle={t('vehicles.subtitle')} />
      <div className="grid-2">
        {canWrite && (
          <Panel title={t('vehicles.import')}>
            <form className="stack" onSubmit={(e) => { e.preventDefault(); if (file) upload.mutate(file); }}>
              <Field label={t('vehicles.file')} error={upload.error} path="body" hint={t('vehicles.fileHint')}>
                <input type="file" accept=".csv,.ndjson,.jsonl" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="vin-file" />
              </Field>
              <label className="small"><input type="checkbox" checked={skip} onChange={(e) => setSkip(e.target.checked)} /> {t('vehicles.skipInvalid')}</label>
              <div className="form-actions"><button className="btn btn-primary" disabled={!file || upload.isPending} data-testid="import-vins">{t('vehicles.importButton')}</button></div>
            </form>
            {upload.error && <ErrorBox error={upload.error} showFieldErrors />}
            {upload.data && (
              <div className="stats" data-testid="import-report">
                <Stat label={t('vehicles.inserted')} value={upload.data.inserted} tone="done" />
                <Stat label={t('vehicles.updated')} value={upload.data.updated} />
                <Stat label={t('vehicles.unchanged')} value={upload.data.unchanged} />
                <Stat label={t('vehicles.skipped')} value={upload.data.skipped} tone={upload.data.skipped ? 'dueSoon' : undefined} />
                <Stat label={t('vehicles.warnings')} value={upload.data.warningCount} />
              </div>
            )}
          </Panel>
        )}
        <Panel title={t('vehicles.lookup')}>
          <form className="filters" onSubmit={(e) => { e.preventDefault(); setLookup(vin.trim().toUpperCase() || null); }}>
            <input value={vin} onChange={(e) => setVin(e.target.value)} placeholder="VIN" className="mono" data-testid="vin-lookup" />
            <button className="btn">{t('vehicles.find')}</button>
          </form>
          {vehicle.error && <ErrorBox error={vehicle.error} />}
          {vehicle.data && (
            <KeyValues items={[
              ['VIN', <span key="v" className="mono">{vehicle.data.vin}</span>],
              [t('field.product'), <span key="p" className="mono">{vehicle.data.productId}</span>],
              [t('vehicles.productionDate'), vehicle.data.productionDate],
              [t('vehicles.plant'), vehicle.data.plant ?? '—'],
              [t('vehicles.manufacturer'), vehicle.data.manufacturer ?? t('vehicles.unknownWmi')],
              [t('vehicles.software'), Object.entries(vehicle.data.software).map(([e, v]) => `${e} ${v}`).join(', ') || '—'],
              [t('vehicles.softwareSource'), vehicle.data.softwareSource ? `${t(`source.${vehicle.data.softwareSource}`, { defaultValue: vehicle.data.softwareSource })} ${formatInstant(vehicle.data.softwareAt)}` : '—'],
            ]} />
          )}
        </Panel>
      </div>
    </>
  );
}
