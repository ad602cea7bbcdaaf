import { useState } from 'react';
import { fmt, t } from '../../i18n';
import type { BrandingView, EventView } from '../../shared/api/views';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError } from '../../shared/ui/Field';
import { contrastRatio, HEX_COLOUR } from './contrast';
import { useUpdateEvent } from './event-api';

const DEFAULTS = { primaryColor: '#1d4ed8', backgroundColor: '#ffffff', textColor: '#111827' };
const COLOURS = ['primaryColor', 'backgroundColor', 'textColor'] as const;
const FIELDS = [...COLOURS, 'logoUrl'] as const;

/** The colours and logo of the event's pass pages and emails, with a preview and a contrast check. */
export function BrandingEditor({ event }: { event: EventView }) {
  const [values, setValues] = useState<Record<keyof BrandingView, string>>({
    primaryColor: event.branding.primaryColor ?? '',
    backgroundColor: event.branding.backgroundColor ?? '',
    textColor: event.branding.textColor ?? '',
    logoUrl: event.branding.logoUrl ?? '',
  });
  const [saved, setSaved] = useState(false);
  const form = useFormErrors(FIELDS);
  const update = useUpdateEvent(
    event.id,
    (error) => form.fromError(error),
    () => setSaved(true),
  );
  const shown = (key: (typeof COLOURS)[number]) => (HEX_COLOUR.test(values[key]) ? values[key] : DEFAULTS[key]);
  const ratio = contrastRatio(shown('textColor'), shown('backgroundColor'));
  const set = (key: keyof BrandingView, value: string) => {
    setSaved(false);
    setValues((current) => ({ ...current, [key]: value }));
  };
  return (
    <form
      className="card stack"
      noValidate
      aria-labelledby="branding-title"
      onSubmit={(submit) => {
        submit.preventDefault();
        form.clear();
        setSaved(false);
        update.mutate({
          branding: Object.fromEntries(FIELDS.map((key) => [key, values[key].trim() || null])) as Record<keyof BrandingView, string | null>,
        });
      }}
    >
      <h2 id="branding-title">{t.eventSettings.branding}</h2>
      <FormError message={form.errors.form} />
      <div className="grid-2">
        {COLOURS.map((key) => (
          <Field
            key={key}
            label={t.eventSettings.colours[key]}
            name={key}
            placeholder={DEFAULTS[key]}
            value={values[key]}
            onChange={(input) => set(key, input.target.value)}
            error={form.errors.fields[key]}
            hint={t.eventSettings.hexHint}
          />
        ))}
        <Field
          label={t.eventSettings.logoUrl}
          name="logoUrl"
          type="url"
          value={values.logoUrl}
          onChange={(input) => set('logoUrl', input.target.value)}
          error={form.errors.fields.logoUrl}
        />
      </div>
      <div
        className="branding-preview"
        data-testid="branding-preview"
        style={{ background: shown('backgroundColor'), color: shown('textColor'), borderColor: shown('primaryColor') }}
      >
        <strong>{event.name}</strong>
        <span className="branding-button" style={{ background: shown('primaryColor'), color: '#ffffff' }}>
          {t.eventSettings.previewButton}
        </span>
      </div>
      {ratio < 4.5 && (
        <p className="form-error" role="status">
          {fmt(t.eventSettings.lowContrast, { ratio: ratio.toFixed(1) })}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          {t.eventSettings.saveBranding}
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
