import { ClientView } from '../clients/client.view';
import { PassView } from './pass.view';

/**
 * The REST shapes of the API, field for field (docs: README, API). The gateway answers with them and webhooks
 * deliver them, so a subscriber sees the same objects the API returns.
 */
export const PassPresenter = {
  listItem: (pass: PassView) => ({
    id: pass.id,
    code: pass.code,
    name: pass.name,
    type: pass.type,
    status: pass.status,
    usagesCount: pass.usagesCount,
    maxUsages: pass.maxUsages,
    validFrom: pass.validFrom,
    validUntil: pass.validUntil,
    client: pass.client ? { name: pass.client.name, email: pass.client.email } : null,
    publicUrl: pass.publicUrl,
    createdAt: pass.createdAt,
  }),

  created: (pass: PassView) => ({
    id: pass.id,
    code: pass.code,
    name: pass.name,
    type: pass.type,
    status: pass.status,
    maxUsages: pass.maxUsages,
    usagesCount: pass.usagesCount,
    validFrom: pass.validFrom,
    validUntil: pass.validUntil,
    publicUrl: pass.publicUrl,
    createdAt: pass.createdAt,
  }),

  detail: (pass: PassView) => ({
    id: pass.id,
    code: pass.code,
    name: pass.name,
    note: pass.note,
    type: pass.type,
    status: pass.status,
    usagesCount: pass.usagesCount,
    maxUsages: pass.maxUsages,
    validFrom: pass.validFrom,
    validUntil: pass.validUntil,
    fields: pass.fields,
    client: pass.client,
    templateId: pass.templateId,
    locationId: pass.locationId,
    eventId: pass.eventId,
    publicUrl: pass.publicUrl,
    createdAt: pass.createdAt,
    updatedAt: pass.updatedAt,
  }),

  statusChange: (pass: PassView) => ({ id: pass.id, code: pass.code, name: pass.name, status: pass.status }),
};

export const ClientPresenter = {
  view: (client: ClientView) => ({
    id: client.id,
    name: client.name,
    email: client.email,
    phone: client.phone,
    notes: client.notes,
    createdAt: client.createdAt,
  }),
};
