import { Badge, Countdown } from '../../components/index.ts';
import { useT } from '../../i18n.ts';

export function SeverityBadge({ severity }: { severity: string | null }) {
  const { t } = useT('incidents');
  const tone = severity === 'S1' ? 'overdue' : severity === 'S2' || severity === 'S3' ? 'dueSoon' : 'neutral';
  return <Badge tone={tone}>{t(`severity.${severity ?? 'none'}`)}</Badge>;
}

export function DueBadge({ due, status }: { due: string | null; status: string }) {
  const { t } = useT('incidents');
  if (!due) return <span className="muted">{t('ui.whenEvent')}</span>;
  return <Countdown due={due} done={status !== 'open'} />;
}

/** Events (vehicles) per day of one signature: a small bar chart in SVG, no chart library. */
export function SeriesChart({ series, days, label }: { series: { day: string; vehicles: number }[]; days: string[]; label: string }) {
  const by = new Map(series.map((s) => [s.day, s.vehicles]));
  const max = Math.max(1, ...series.map((s) => s.vehicles));
  const w = 4, gap = 1, h = 40;
  return (
    <svg role="img" aria-label={label} width={days.length * (w + gap)} height={h} className="series-chart">
      {days.map((d, i) => {
        const v = by.get(d) ?? 0;
        const bh = Math.round((v / max) * (h - 2));
        return <rect key={d} x={i * (w + gap)} y={h - bh} width={w} height={bh} fill="currentColor"><title>{`${d}: ${v}`}</title></rect>;
      })}
    </svg>
  );
}
