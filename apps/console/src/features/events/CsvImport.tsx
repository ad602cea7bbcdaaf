import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { fmt, t } from '../../i18n';
import { api } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { download, parseCsv, rowKey, toCsv } from '../../shared/lib/csv';

interface EventLike {
  id: string;
  attendeeFields: { key: string; label?: string | null; required: boolean }[];
}

interface Target {
  key: string;
  label: string;
  required: boolean;
  custom: boolean;
}

interface Report {
  created: number;
  alreadyImported: number;
  failed: { row: number; values: string[]; reason: string }[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONCURRENCY = 4;

function suggest(header: string[], target: Target): number {
  const names: Record<string, string[]> = {
    name: ['name', 'full name', 'attendee', 'nom', 'nombre'],
    email: ['email', 'e-mail', 'mail'],
    phone: ['phone', 'mobile', 'tel'],
  };
  const wanted = names[target.key] ?? [target.key, target.label.toLowerCase()];
  return header.findIndex((column) => wanted.includes(column.toLowerCase().trim()));
}

/** Upload → map columns → import (one pass per row, idempotent per row) → report with the failed rows. */
export function CsvImport({ event, onDone }: { event: EventLike; onDone: () => void }) {
  const queryClient = useQueryClient();
  const inputId = useId();
  const targets: Target[] = [
    { key: 'name', label: t.import.fieldName, required: true, custom: false },
    { key: 'email', label: t.import.fieldEmail, required: false, custom: false },
    { key: 'phone', label: t.import.fieldPhone, required: false, custom: false },
    ...event.attendeeFields.map((field) => ({ key: field.key, label: field.label || field.key, required: field.required, custom: true })),
  ];
  const [file, setFile] = useState<{ name: string; header: string[]; rows: string[][] }>();
  const [mapping, setMapping] = useState<Record<string, number>>({});
  const [progress, setProgress] = useState<number>();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();

  const load = async (selected: File | undefined) => {
    setReport(undefined);
    setError(undefined);
    if (!selected) return;
    if (!selected.name.toLowerCase().endsWith('.csv')) return setError(t.import.notCsv);
    const parsed = parseCsv(await selected.text());
    if (parsed.rows.length === 0) return setError(t.import.noRows);
    setFile({ name: selected.name, ...parsed });
    setMapping(Object.fromEntries(targets.map((target) => [target.key, suggest(parsed.header, target)])));
  };

  const run = async () => {
    if (!file) return;
    const missing = targets.filter((target) => target.required && (mapping[target.key] ?? -1) < 0);
    if (missing.length) return setError(fmt(t.import.mapRequired, { fields: missing.map((target) => target.label).join(', ') }));
    setError(undefined);
    const result: Report = { created: 0, alreadyImported: 0, failed: [] };
    let done = 0;
    setProgress(0);
    const value = (row: string[], key: string) => ((mapping[key] ?? -1) >= 0 ? (row[mapping[key]] ?? '').trim() : '');
    const importRow = async (row: string[], index: number) => {
      const name = value(row, 'name');
      const email = value(row, 'email');
      const problems = [
        ...targets
          .filter((target) => target.required && !value(row, target.key))
          .map((target) => fmt(t.import.missing, { field: target.label })),
        ...(email && !EMAIL.test(email) ? [fmt(t.import.badEmail, { email })] : []),
      ];
      if (problems.length) {
        result.failed.push({ row: index + 2, values: row, reason: problems.join('; ') });
        return;
      }
      const customFields = targets
        .filter((target) => target.custom && value(row, target.key))
        .map((target) => ({ key: target.key, value: value(row, target.key), isPublic: false }));
      const phone = value(row, 'phone');
      for (let attempt = 0; ; attempt += 1) {
        try {
          const { response } = await api.POST('/api/v1/passes', {
            body: {
              type: 'single',
              eventId: event.id,
              name,
              clientName: name,
              ...(email ? { clientEmail: email } : {}),
              ...(phone ? { clientPhone: phone } : {}),
              ...(customFields.length ? { customFields } : {}),
            },
            headers: {
              'Idempotency-Key': await rowKey([
                event.id,
                name,
                email,
                phone,
                ...customFields.map((field) => `${field.key}=${field.value}`),
              ]),
            },
          });
          if (response.headers.get('Idempotent-Replayed') === 'true') result.alreadyImported += 1;
          else result.created += 1;
          return;
        } catch (failure) {
          // Past the plan's rate limit: wait as told and send the same row (same Idempotency-Key) again.
          if (failure instanceof ApiError && failure.status === 429 && attempt < 20) {
            await new Promise((resolve) => setTimeout(resolve, (failure.retryAfterSeconds ?? 5) * 1000));
            continue;
          }
          result.failed.push({ row: index + 2, values: row, reason: failure instanceof ApiError ? failure.message : t.app.genericError });
          return;
        }
      }
    };
    const queue = file.rows.map((row, index) => ({ row, index }));
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          await importRow(item.row, item.index);
          done += 1;
          if (done % 10 === 0 || done === file.rows.length) setProgress(done);
        }
      }),
    );
    result.failed.sort((a, b) => a.row - b.row);
    setReport(result);
    setProgress(undefined);
    await queryClient.invalidateQueries({ queryKey: ['attendees', event.id] });
    await queryClient.invalidateQueries({ queryKey: ['organization'] });
  };

  return (
    <div className="card stack">
      <h2>{t.import.title}</h2>
      <p className="muted">{t.import.intro}</p>
      <div className="field">
        <label htmlFor={inputId}>{t.import.file}</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv,application/vnd.ms-excel"
          onChange={(change) => void load(change.target.files?.[0])}
        />
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {file && !report && (
        <>
          <p>{fmt(t.import.rowsFound, { rows: file.rows.length, file: file.name })}</p>
          <fieldset className="mapping">
            <legend>{t.import.mapColumns}</legend>
            {targets.map((target) => (
              <div className="field" key={target.key}>
                <label htmlFor={`${inputId}-${target.key}`}>
                  {target.label}
                  {target.required ? ' *' : ''}
                </label>
                <select
                  id={`${inputId}-${target.key}`}
                  value={mapping[target.key] ?? -1}
                  onChange={(change) => setMapping({ ...mapping, [target.key]: Number(change.target.value) })}
                >
                  <option value={-1}>{t.import.notImported}</option>
                  {file.header.map((column, index) => (
                    <option key={index} value={index}>
                      {column || fmt(t.import.column, { n: index + 1 })}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </fieldset>
          <p className="muted small">{fmt(t.import.cost, { count: file.rows.length })}</p>
          <div className="actions">
            <button type="button" className="button primary" disabled={progress !== undefined} onClick={() => void run()}>
              {progress !== undefined
                ? fmt(t.import.importing, { done: progress, total: file.rows.length })
                : fmt(t.import.importButton, { count: file.rows.length })}
            </button>
          </div>
          {progress !== undefined && <progress max={file.rows.length} value={progress} aria-label={t.import.progress} />}
        </>
      )}
      {report && (
        <div className="stack" role="status">
          <h3>{t.import.report}</h3>
          <ul className="report">
            <li>
              <strong>{report.created}</strong> {t.import.created}
            </li>
            <li>
              <strong>{report.alreadyImported}</strong> {t.import.alreadyImported}
            </li>
            <li>
              <strong>{report.failed.length}</strong> {t.import.failed}
            </li>
          </ul>
          {report.created === 0 && report.alreadyImported === 0 && <p className="warning">{t.import.nothingImported}</p>}
          {report.failed.length > 0 && file && (
            <>
              <div className="table-scroll" role="region" aria-label={t.import.failedRows} tabIndex={0}>
                <table>
                  <thead>
                    <tr>
                      <th>{t.import.row}</th>
                      <th>{t.import.reason}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.failed.map((failure) => (
                      <tr key={failure.row}>
                        <td>{failure.row}</td>
                        <td>{failure.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <button
                type="button"
                className="button"
                onClick={() =>
                  download(
                    'failed-rows.csv',
                    toCsv(
                      [...file.header, 'reason'],
                      report.failed.map((failure) => [...failure.values, failure.reason]),
                    ),
                  )
                }
              >
                {t.import.downloadFailed}
              </button>
            </>
          )}
          <div className="actions">
            <button type="button" className="button primary" onClick={onDone}>
              {t.import.viewAttendees}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
