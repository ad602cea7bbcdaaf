import { Inject, Injectable } from '@nestjs/common';
import {
  ApplePassFile,
  EventScope,
  failedPrecondition,
  GoogleSaveLinkResult,
  WalletPassInfo,
  inScope,
  isUuid,
  notFound,
  PASS_CODE_PATTERN,
} from '@passway/common';
import { ClientsRepository } from '../clients/clients.repository';
import { PASSES_CONFIG, PassesConfig } from '../config';
import { EventsRepository } from '../events/events.repository';
import { PassEntity } from '../passes/entities/pass.entity';
import { effectiveStatus } from '../passes/pass-view.mapper';
import { PassesRepository } from '../passes/passes.repository';
import { TemplatesRepository } from '../templates/templates.repository';
import { BrandingImagesService } from '../branding-images/branding-images.service';
import { ApplePassBuilder } from './apple-pass.builder';
import { GoogleSaveLinkBuilder } from './google-save-link.builder';
import { WalletPassContent } from './wallet-pass-content';

/** How a wallet route names its pass: by id for a tenant, by code behind a signed link, by serial for a device. */
export type WalletPassLookup = { tenantId: string; passId: string; scope?: EventScope } | { code: string } | { serial: string };

@Injectable()
export class WalletPassesService {
  constructor(
    private readonly passes: PassesRepository,
    private readonly clients: ClientsRepository,
    private readonly events: EventsRepository,
    private readonly templates: TemplatesRepository,
    @Inject(PASSES_CONFIG) private readonly config: PassesConfig,
    @Inject(ApplePassBuilder) private readonly apple: ApplePassBuilder | null,
    @Inject(GoogleSaveLinkBuilder) private readonly google: GoogleSaveLinkBuilder | null,
    private readonly images: BrandingImagesService,
  ) {}

  async applePass(lookup: WalletPassLookup): Promise<ApplePassFile> {
    if (!this.apple) throw failedPrecondition('Apple Wallet is not configured', 'wallet_not_configured');
    const content = await this.content(lookup);
    return {
      passId: content.passId,
      tenantId: content.tenantId,
      eventId: content.event?.id ?? null,
      pkpass: this.apple.build(content).toString('base64'),
      lastModified: content.lastModified.toISOString(),
    };
  }

  async googleSaveLink(lookup: WalletPassLookup): Promise<GoogleSaveLinkResult> {
    if (!this.google) throw failedPrecondition('Google Wallet is not configured', 'wallet_not_configured');
    const content = await this.content(lookup);
    return {
      ...this.google.build(content),
      passId: content.passId,
      tenantId: content.tenantId,
      eventId: content.event?.id ?? null,
      templateId: content.templateId,
    };
  }

  async info(lookup: WalletPassLookup): Promise<WalletPassInfo> {
    const content = await this.content(lookup);
    return {
      passId: content.passId,
      tenantId: content.tenantId,
      eventId: content.event?.id ?? null,
      templateId: content.templateId,
      lastModified: content.lastModified.toISOString(),
    };
  }

  /** What a wallet pass shows, read from this service's tables. */
  async content(lookup: WalletPassLookup): Promise<WalletPassContent> {
    const pass = await this.find(lookup);
    const client = pass.clientId ? await this.clients.findById(pass.clientId) : null;
    const event = pass.eventId ? await this.events.findOne(pass.tenantId, pass.eventId) : null;
    const template = pass.templateId ? await this.templates.findOne(pass.tenantId, pass.templateId) : null;
    const colors = template
      ? { primary: template.primaryColor, background: template.backgroundColor, text: template.textColor }
      : {
          primary: event?.branding.primaryColor ?? null,
          background: event?.branding.backgroundColor ?? null,
          text: event?.branding.textColor ?? null,
        };
    const changes = [pass.updatedAt, event?.updatedAt, template?.updatedAt].filter((date): date is Date => date instanceof Date);
    return {
      passId: pass.id,
      tenantId: pass.tenantId,
      code: pass.code,
      name: pass.name,
      type: pass.type,
      status: effectiveStatus(pass),
      usagesCount: pass.usagesCount,
      maxUsages: pass.maxUsages,
      validFrom: pass.validFrom,
      validUntil: pass.validUntil,
      holderName: client?.name ?? null,
      publicFields: pass.customFields.filter((field) => field.isPublic === true).map(({ key, value }) => ({ key, value })),
      organizationName: template?.name ?? event?.name ?? this.config.WALLET_ORGANIZATION_NAME,
      event: event
        ? {
            id: event.id,
            name: event.name,
            startsAt: event.startsAt,
            endsAt: event.endsAt,
            venue: event.venue,
            timezone: event.timezone ?? null,
            branding: {
              backgroundColor: event.branding.backgroundColor ?? event.branding.primaryColor ?? null,
              logoUrl: event.branding.logoUrl ?? null,
            },
          }
        : null,
      colors,
      templateId: template?.id ?? null,
      barcodeFormat: template?.barcodeFormat ?? 'qr',
      images: await this.images.forPass(pass.tenantId, template?.id ?? null, event?.id ?? null),
      logoUrl: template ? template.logoUrl : (event?.branding.logoUrl ?? null),
      lastModified: new Date(Math.max(...changes.map((date) => date.getTime()))),
    };
  }

  private async find(lookup: WalletPassLookup): Promise<PassEntity> {
    let pass: PassEntity | null = null;
    if ('code' in lookup) {
      if (PASS_CODE_PATTERN.test(lookup.code)) pass = await this.passes.findOne({ code: lookup.code });
    } else if ('serial' in lookup) {
      if (isUuid(lookup.serial)) pass = await this.passes.findOne({ id: lookup.serial });
    } else if (isUuid(lookup.passId)) {
      pass = await this.passes.findOne({ id: lookup.passId, tenantId: lookup.tenantId });
      if (pass && !inScope(lookup.scope, pass.eventId)) pass = null;
    }
    if (!pass) throw notFound('Pass');
    return pass;
  }
}
