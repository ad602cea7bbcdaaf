import type { EventView } from '../../shared/api/views';
import { AttendeeFieldsEditor } from './AttendeeFieldsEditor';
import { BrandingEditor } from './BrandingEditor';
import { EventDangerZone } from './EventDangerZone';
import { EventDetailsForm } from './EventDetailsForm';

/** The event's settings tab: details, attendee fields, branding, and suspend/resume. */
export function EventSettings({ event }: { event: EventView }) {
  return (
    <div className="stack">
      <EventDetailsForm event={event} />
      <AttendeeFieldsEditor event={event} />
      <BrandingEditor event={event} />
      <EventDangerZone event={event} />
    </div>
  );
}
