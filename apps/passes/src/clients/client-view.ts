import { ClientView } from '@passway/common';
import { ClientEntity } from './entities/client.entity';

export function toClientView(client: ClientEntity): ClientView {
  return {
    id: client.id,
    tenantId: client.tenantId,
    name: client.name,
    email: client.email,
    phone: client.phone,
    notes: client.notes,
    createdAt: client.createdAt.toISOString(),
  };
}
