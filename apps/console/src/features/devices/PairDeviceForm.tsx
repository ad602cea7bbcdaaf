import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { formatDateTime } from '../../shared/lib/format';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError } from '../../shared/ui/Field';
import { ErrorState, Loading } from '../../shared/ui/States';
import { eventChoicesQuery, useCreateDevice } from './devices-api';

interface Pairing {
  name: string;
  url: string;
  qrSvg: string;
  expiresAt: string;
}

/** Names a door device and its events; the answer is a one-time pairing link and QR (10 minutes). */
export function PairDeviceForm() {
  const events = useQuery(eventChoicesQuery);
  const form = useFormErrors(['name', 'events']);
  const [pairing, setPairing] = useState<Pairing>();
  const create = useCreateDevice((error) => form.fromError(error));
  if (pairing) {
    return (
      <div className="card stack pairing" role="status" aria-labelledby="pairing-title">
        <h2 id="pairing-title">{fmt(t.devices.pairTitle, { name: pairing.name })}</h2>
        <p>{fmt(t.devices.pairHint, { time: formatDateTime(pairing.expiresAt) })}</p>
        <img
          className="pairing-qr"
          src={`data:image/svg+xml;utf8,${encodeURIComponent(pairing.qrSvg)}`}
          alt={t.devices.qrAlt}
          width={220}
          height={220}
        />
        <p>
          <a href={pairing.url} data-testid="pairing-link" className="mono break">
            {pairing.url}
          </a>
        </p>
        <div className="actions">
          <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(pairing.url)}>
            {t.devices.copyLink}
          </button>
          <button type="button" className="button primary" onClick={() => setPairing(undefined)}>
            {t.devices.done}
          </button>
        </div>
      </div>
    );
  }
  return (
    <form
      className="card stack"
      noValidate
      aria-labelledby="new-device-title"
      onSubmit={(submit) => {
        submit.preventDefault();
        const data = new FormData(submit.currentTarget);
        const name = String(data.get('name') ?? '').trim();
        const chosen = data.getAll('events').map(String);
        form.clear();
        if (!name) return form.setField('name', t.devices.nameRequired);
        if (chosen.length === 0) return form.setField('events', t.devices.eventsRequired);
        create.mutate({ name, events: chosen }, { onSuccess: (created) => setPairing({ name: created.device.name, ...created.pairing }) });
      }}
    >
      <h2 id="new-device-title">{t.devices.pairNew}</h2>
      <FormError message={form.errors.form} />
      <Field label={t.devices.name} name="name" required error={form.errors.fields.name} placeholder={t.devices.namePlaceholder} />
      <fieldset className="stack" aria-describedby={form.errors.fields.events ? 'device-events-error' : undefined}>
        <legend>{t.devices.events}</legend>
        {events.isPending ? (
          <Loading />
        ) : events.isError ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        ) : events.data.length === 0 ? (
          <p className="muted">{t.devices.noEvents}</p>
        ) : (
          events.data.map((event) => (
            <label key={event.id} className="checkbox">
              <input type="checkbox" name="events" value={event.id} /> {event.name}
            </label>
          ))
        )}
        {form.errors.fields.events && (
          <span id="device-events-error" className="field-error">
            {form.errors.fields.events}
          </span>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t.devices.createLink}
        </button>
      </div>
    </form>
  );
}
