import { fmt, t } from '../../i18n';

/** "1–25 of N" with previous/next; pages are 1-based. */
export function Pager({ page, size, total, onPage }: { page: number; size: number; total: number; onPage: (page: number) => void }) {
  const first = total === 0 ? 0 : (page - 1) * size + 1;
  const last = Math.min(total, page * size);
  return (
    <div className="pager">
      <span aria-live="polite">{fmt(t.app.range, { first, last, total })}</span>
      <button type="button" className="button small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t.app.previous}
      </button>
      <button type="button" className="button small" disabled={last >= total} onClick={() => onPage(page + 1)}>
        {t.app.next}
      </button>
    </div>
  );
}
