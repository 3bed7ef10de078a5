import { Badge } from '../../components/index.ts';
import { formatDate, formatInstant } from '../../format.ts';
import { useT } from '../../i18n.ts';
import type { Obligation } from './types.ts';

/** Status with the derived overdue / due-soon state in front of it. */
export function ObligationStatus({ o }: { o: Obligation }) {
  const { t } = useT('obligations');
  return (
    <span className="stack-inline" style={{ display: "inline-flex", gap: 4, flexWrap: "wrap" }}>
      {o.overdue && <Badge tone="overdue">{t('status.overdue')}</Badge>}
      {o.dueSoon && <Badge tone="dueSoon">{t('status.dueSoon')}</Badge>}
      <Badge tone={o.status === 'accepted' || o.fulfilled ? 'done' : o.status === 'rejected' ? 'overdue' : o.status === 'open' ? 'info' : 'neutral'}>
        {t(`status.${o.status}`)}
      </Badge>
    </span>
  );
}

/** The due date, marked provisional or policy when it is, with the reckoning as a tooltip. */
export function DueCell({ o }: { o: Obligation }) {
  const { t } = useT('obligations');
  if (!o.due.date) return <span title={o.due.explain}>{t(`condition.${o.due.condition}`)}</span>;
  return (
    <span title={`${o.due.at ? formatInstant(o.due.at) : ''} — ${o.due.explain}`}>
      {formatDate(o.due.date + 'T12:00:00+08:00')}
      {o.due.provisional && <> <Badge tone="dueSoon" title={t('ui.provisionalNote')}>{t('ui.provisional')}</Badge></>}
      {o.due.basis === 'policy' && <> <Badge tone="neutral">{t('basis.policy')}</Badge></>}
    </span>
  );
}
