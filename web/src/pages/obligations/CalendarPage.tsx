import { useMemo } from 'react';
import { useApiQuery } from '../../api.ts';
import { Badge, ErrorBox, PageHeader, Panel, Table } from '../../components/index.ts';
import { pick, useT } from '../../i18n.ts';
import { Link, useSearchParams } from '../../router.tsx';
import type { Obligation, ObligationList, Schedule } from './types.ts';

const WEEKDAYS = { en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], 'zh-CN': ['一', '二', '三', '四', '五', '六', '日'] };

function addDays(date: string, n: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
}

/** A month of deadlines on the official working-day calendar: days off and adjusted working weekends marked. */
export function CalendarPage() {
  const { t, locale } = useT('obligations');
  const [query, setQuery] = useSearchParams();
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const month = /^\d{4}-\d{2}$/.test(query.get('month') ?? '') ? query.get('month')! : today;
  const first = `${month}-01`;
  const next = addDays(first, 32).slice(0, 7);
  const prev = addDays(first, -1).slice(0, 7);
  const lastDay = addDays(`${next}-01`, -1);
  const list = useApiQuery<ObligationList>('/api/v1/obligations', { dueAfter: first, dueBefore: lastDay, limit: 2000 });
  const schedules = useApiQuery<{ items: Schedule[] }>('/api/v1/calendar/schedules');
  const year = Number(month.slice(0, 4));
  const schedule = schedules.data?.items.find((s) => s.year === year);
  const off = useMemo(() => new Set(schedule?.offDays ?? []), [schedule]);
  const work = useMemo(() => new Set(schedule?.workingWeekends ?? []), [schedule]);
  const byDate = new Map<string, Obligation[]>();
  for (const o of list.data?.items ?? []) if (o.due.date) byDate.set(o.due.date, [...(byDate.get(o.due.date) ?? []), o]);

  const startDow = (new Date(first + 'T00:00:00Z').getUTCDay() + 6) % 7; // Monday first
  const cells: (string | null)[] = Array.from({ length: startDow }, () => null);
  for (let d = first; d <= lastDay; d = addDays(d, 1)) cells.push(d);
  while (cells.length % 7) cells.push(null);

  const dayStyle = (d: string) => {
    const dow = new Date(d + 'T00:00:00Z').getUTCDay();
    const weekend = dow === 0 || dow === 6;
    const isOff = off.has(d) || (weekend && !work.has(d));
    return { minHeight: 84, padding: 6, border: '1px solid var(--border, #ddd)', background: isOff ? 'var(--muted-bg, #f3f3f3)' : undefined, verticalAlign: 'top' as const };
  };

  return (
    <>
      <PageHeader
        title={t('nav.calendar')}
        subtitle={t('ui.calendarNote')}
        actions={
          <>
            <button className="btn" type="button" onClick={() => setQuery({ month: prev })}>{t('ui.previous')}</button>
            <strong className="mono" style={{ padding: '0 8px' }}>{month}</strong>
            <button className="btn" type="button" onClick={() => setQuery({ month: next })}>{t('ui.next')}</button>
          </>
        }
      />
      {list.error && <ErrorBox error={list.error} />}
      {!schedule && schedules.data && <div className="notice">{t('ui.provisionalNote')}</div>}
      <Panel flush>
        <table className="table" style={{ tableLayout: 'fixed' }}>
          <thead><tr>{WEEKDAYS[locale].map((w) => <th key={w} scope="col">{w}</th>)}</tr></thead>
          <tbody>
            {Array.from({ length: cells.length / 7 }, (_, r) => (
              <tr key={r}>
                {cells.slice(r * 7, r * 7 + 7).map((d, i) => d === null ? <td key={i} /> : (
                  <td key={d} style={dayStyle(d)}>
                    <div className="small">
                      <strong>{Number(d.slice(8))}</strong>{' '}
                      {off.has(d) && <span className="muted">{t('ui.dayOff')}</span>}
                      {work.has(d) && <Badge tone="info">{t('ui.workingWeekend')}</Badge>}
                    </div>
                    {(byDate.get(d) ?? []).map((o) => (
                      <div key={o.id} className="small">
                        <Link to={`/obligations/${o.id}`}>
                          <Badge tone={o.overdue ? 'overdue' : o.fulfilled ? 'done' : o.dueSoon ? 'dueSoon' : 'info'}>{o.addressee} {o.rule}</Badge>
                        </Link>{' '}
                        <span title={pick(o.title, locale)}>{pick(o.title, locale).slice(0, 24)}</span>
                      </div>
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel flush title={t('ui.schedules')}>
        <Table<Schedule>
          rows={schedules.data?.items}
          loading={schedules.isPending}
          rowKey={(s) => s.year}
          columns={[
            { key: 'year', header: t('ui.year'), mono: true },
            { key: 'origin', header: '', nowrap: true, render: (s) => t(`ui.${s.origin}`) },
            { key: 'issued', header: t('ui.issued'), nowrap: true },
            { key: 'offDays', header: t('ui.dayOff'), align: 'right', render: (s) => s.offDays.length },
            { key: 'workingWeekends', header: t('ui.workingWeekend'), render: (s) => s.workingWeekends.join(', ') },
            { key: 'source', header: t('ui.source'), render: (s) => <span className="small">{s.source}</span> },
          ]}
        />
      </Panel>
    </>
  );
}
