/** A completeness bar: 0..1, green when complete, amber from half, red below. */
export function Progress({ value, label }: { value: number; label?: string }) {
  const v = Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0));
  const pct = Math.floor(v * 100);
  const tone = v >= 1 ? 'done' : v >= 0.5 ? 'dueSoon' : 'overdue';
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={label}>
      <div className="progress-track">
        <div className={`progress-fill progress-${tone}`} style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-value">{pct}%</span>
    </div>
  );
}
