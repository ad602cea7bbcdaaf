import { useConfirm } from '../../shared/ui/ConfirmDialog';
import { fmt, t } from '../../i18n';
import type { EventView } from '../../shared/api/views';
import { FormError } from '../../shared/ui/Field';
import { useEventStatus } from './event-api';

/** Suspend an event (every scan answers event_suspended) or resume it. */
export function EventDangerZone({ event }: { event: EventView }) {
  const { confirm, dialog } = useConfirm();
  const status = useEventStatus(event.id);
  const suspended = event.status === 'suspended';
  return (
    <section className="card stack danger-zone" aria-labelledby="danger-zone-title">
      <h2 id="danger-zone-title">{t.eventSettings.dangerZone}</h2>
      <p>{suspended ? t.eventSettings.suspendedNow : t.eventSettings.suspendHint}</p>
      <FormError message={status.error ? (status.error as Error).message : undefined} />
      <div className="actions">
        {suspended ? (
          <button type="button" className="button primary" disabled={status.isPending} onClick={() => status.mutate('resume')}>
            {t.eventSettings.resume}
          </button>
        ) : (
          <button
            type="button"
            className="button danger"
            disabled={status.isPending}
            onClick={() => {
              void confirm(fmt(t.eventSettings.confirmSuspend, { name: event.name }), t.eventSettings.suspend).then(
                (ok) => ok && status.mutate('suspend'),
              );
            }}
          >
            {t.eventSettings.suspend}
          </button>
        )}
      </div>
      {dialog}
    </section>
  );
}
