import { useEffect, useState } from 'react';
import { useT } from '../i18n.ts';
import { durationParts, formatInstant } from '../format.ts';
import { Badge, type Tone } from './Badge.tsx';

/**
 * Time left until `due` (or how long it is overdue), refreshed every 30 s. Amber within
 * `soonMs` (default 24 h), red once past; `done` turns it into a green "done" badge.
 */
export function Countdown({ due, done, soonMs = 24 * 3_600_000 }: { due: string | Date; done?: boolean; soonMs?: number }) {
  const { t } = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (done) return;
    const id = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(id);
  }, [done]);
  const dueAt = new Date(due).getTime();
  const title = formatInstant(due);
  if (done) return <Badge tone="done" title={title}>{t('status.done')}</Badge>;
  const left = dueAt - now;
  const { days, hours, minutes } = durationParts(left);
  const units = [
    days ? t('countdown.days', { count: days }) : null,
    hours ? t('countdown.hours', { count: hours }) : null,
    !days && minutes ? t('countdown.minutes', { count: minutes }) : null,
  ].filter(Boolean);
  const time = units.length ? units.slice(0, 2).join(' ') : t('countdown.lessThanMinute');
  const tone: Tone = left < 0 ? 'overdue' : left <= soonMs ? 'dueSoon' : 'neutral';
  return (
    <Badge tone={tone} title={title}>
      {left < 0 ? t('countdown.overdueBy', { time }) : t('countdown.left', { time })}
    </Badge>
  );
}
