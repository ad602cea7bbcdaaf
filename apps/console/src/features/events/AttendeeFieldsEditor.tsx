import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { ApiError } from '../../shared/api/errors';
import type { AttendeeFieldView, EventView } from '../../shared/api/views';
import { FormError } from '../../shared/ui/Field';
import { useUpdateEvent } from './event-api';

interface Row {
  id: number;
  key: string;
  label: string;
  required: boolean;
}

let nextRowId = 0;
const toRow = (field: AttendeeFieldView): Row => ({ id: nextRowId++, key: field.key, label: field.label ?? '', required: field.required });

/**
 * The holder fields an event collects: key, label, required. Reordered with buttons (not only
 * drag, WCAG 2.5.7); the API's error for a row shows on that row.
 */
export function AttendeeFieldsEditor({ event }: { event: EventView }) {
  const [rows, setRows] = useState<Row[]>(() => event.attendeeFields.map(toRow));
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const update = useUpdateEvent(
    event.id,
    (error) => {
      const byRow: Record<number, string> = {};
      const rest: string[] = [];
      if (error instanceof ApiError) {
        for (const detail of error.details) {
          const match = /^attendeeFields\.(\d+)/.exec(detail.field);
          if (match) byRow[Number(match[1])] = detail.problems.join(' ');
          else rest.push(detail.problems.join(' '));
        }
      }
      setRowErrors(byRow);
      setFormError(
        rest.length ? rest.join(' ') : Object.keys(byRow).length ? undefined : error instanceof Error ? error.message : t.app.genericError,
      );
    },
    () => setSaved(true),
  );
  const change = (index: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  };
  const move = (index: number, by: -1 | 1) => {
    setSaved(false);
    setRows((current) => {
      const next = [...current];
      [next[index], next[index + by]] = [next[index + by], next[index]];
      return next;
    });
  };
  return (
    <form
      className="card stack"
      noValidate
      aria-labelledby="attendee-fields-title"
      onSubmit={(submit) => {
        submit.preventDefault();
        setRowErrors({});
        setFormError(undefined);
        update.mutate({
          attendeeFields: rows.map((row) => ({
            key: row.key.trim(),
            required: row.required,
            ...(row.label.trim() ? { label: row.label.trim() } : {}),
          })),
        });
      }}
    >
      <h2 id="attendee-fields-title">{t.eventSettings.fields}</h2>
      <p className="muted small">{t.eventSettings.fieldsHint}</p>
      <FormError message={formError} />
      {rows.length === 0 ? (
        <p className="muted">{t.eventSettings.noFields}</p>
      ) : (
        <ol className="field-rows">
          {rows.map((row, index) => {
            const label = fmt(t.eventSettings.fieldN, { n: index + 1 });
            // The API keeps `name` first and required: its row is shown, not edited.
            const isName = row.key === 'name' && index === 0;
            const firstMovable = rows[0]?.key === 'name' ? 1 : 0;
            const errorId = `attendee-field-${row.id}-error`;
            return (
              <li key={row.id} className="field-row" aria-label={label}>
                <div className="field">
                  <label htmlFor={`field-key-${row.id}`}>{fmt(t.eventSettings.keyOf, { n: index + 1 })}</label>
                  <input
                    id={`field-key-${row.id}`}
                    value={row.key}
                    readOnly={isName}
                    onChange={(input) => change(index, { key: input.target.value })}
                    aria-invalid={rowErrors[index] ? true : undefined}
                    aria-describedby={rowErrors[index] ? errorId : undefined}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`field-label-${row.id}`}>{fmt(t.eventSettings.labelOf, { n: index + 1 })}</label>
                  <input
                    id={`field-label-${row.id}`}
                    value={row.label}
                    onChange={(input) => change(index, { label: input.target.value })}
                  />
                </div>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={row.required}
                    disabled={isName}
                    onChange={(input) => change(index, { required: input.target.checked })}
                  />{' '}
                  {fmt(t.eventSettings.requiredOf, { n: index + 1 })}
                </label>
                {!isName && (
                  <div className="actions">
                    <button type="button" className="button small" disabled={index <= firstMovable} onClick={() => move(index, -1)}>
                      {fmt(t.eventSettings.moveUp, { n: index + 1 })}
                    </button>
                    <button type="button" className="button small" disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                      {fmt(t.eventSettings.moveDown, { n: index + 1 })}
                    </button>
                    <button
                      type="button"
                      className="button small danger"
                      onClick={() => {
                        setSaved(false);
                        setRows((current) => current.filter((_, i) => i !== index));
                      }}
                    >
                      {fmt(t.eventSettings.removeField, { n: index + 1 })}
                    </button>
                  </div>
                )}
                {rowErrors[index] && (
                  <span id={errorId} className="field-error">
                    {rowErrors[index]}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            setSaved(false);
            setRows((current) => [...current, toRow({ key: '', label: '', required: false })]);
          }}
        >
          {t.eventSettings.addField}
        </button>
        <button type="submit" className="button primary" disabled={update.isPending}>
          {t.eventSettings.saveFields}
        </button>
        {saved && (
          <span role="status" className="muted">
            {t.eventSettings.saved}
          </span>
        )}
      </div>
    </form>
  );
}
