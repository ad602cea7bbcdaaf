import { Injectable } from '@nestjs/common';
import { PassLinkSigner, PassStatus, PassView } from '@passway/common';
import { ClientEntity } from '../clients/entities/client.entity';
import { PassEntity } from './entities/pass.entity';

export function effectiveStatus(pass: Pick<PassEntity, 'status' | 'validUntil'>, now = new Date()): PassStatus {
  if (pass.status === 'active' && pass.validUntil && pass.validUntil.getTime() < now.getTime()) return 'expired';
  return pass.status;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

@Injectable()
export class PassViewMapper {
  constructor(private readonly signer: PassLinkSigner) {}

  toView(pass: PassEntity, client: ClientEntity | null | undefined): PassView {
    return {
      id: pass.id,
      tenantId: pass.tenantId,
      code: pass.code,
      name: pass.name,
      note: pass.note,
      type: pass.type,
      status: effectiveStatus(pass),
      usagesCount: pass.usagesCount,
      tallyVersion: pass.tallyVersion,
      maxUsages: pass.maxUsages,
      validFrom: iso(pass.validFrom),
      validUntil: iso(pass.validUntil),
      fields: pass.customFields.map(({ key, value, isPublic }) => ({ key, value, isPublic: Boolean(isPublic) })),
      client: client ? { id: client.id, name: client.name, email: client.email, phone: client.phone } : null,
      templateId: pass.templateId,
      locationId: pass.locationId,
      eventId: pass.eventId,
      publicUrl: this.signer.publicUrl(pass.code),
      createdAt: pass.createdAt.toISOString(),
      updatedAt: pass.updatedAt.toISOString(),
    };
  }
}
