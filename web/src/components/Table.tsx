import type { ReactNode } from 'react';
import { useT } from '../i18n.ts';

export type Column<T> = {
  key: string;
  header: ReactNode;
  /** Defaults to `row[key]` as text. */
  render?: (row: T) => ReactNode;
  align?: 'left' | 'right' | 'center';
  /** Monospace for ids, hashes, VINs. */
  mono?: boolean;
  width?: number | string;
  /** Do not wrap this cell (dates, codes). */
  nowrap?: boolean;
};

/** A dense data table with loading and empty states; rows are clickable when `onRowClick` is set. */
export function Table<T>({
  columns,
  rows,
  rowKey,
  loading,
  empty,
  onRowClick,
  caption,
}: {
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string | number;
  loading?: boolean;
  empty?: ReactNode;
  onRowClick?: (row: T) => void;
  caption?: ReactNode;
}) {
  const { t } = useT();
  const cellClass = (c: Column<T>) =>
    [c.align && c.align !== 'left' ? `align-${c.align}` : '', c.mono ? 'mono' : '', c.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="table-wrap">
      <table className="table">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={cellClass({ ...c, mono: false })} style={c.width !== undefined ? { width: c.width } : undefined} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loading && !rows ? (
            <tr>
              <td colSpan={columns.length} className="table-state">
                {t('state.loading')}
              </td>
            </tr>
          ) : !rows || rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-state">
                {empty ?? t('state.empty')}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr
                key={rowKey(row)}
                className={onRowClick ? 'clickable' : undefined}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
              >
                {columns.map((c) => (
                  <td key={c.key} className={cellClass(c)}>
                    {c.render ? c.render(row) : String((row as Record<string, unknown>)[c.key] ?? '—')}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
