import { HttpException, Inject, Injectable } from '@nestjs/common';
import { CommandFor, GoogleSaveLinkResult, PassLinkSigner } from '@passway/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { NotificationsClient, PassesClient } from '../rpc/service-clients.module';

/** The gateway's part of wallet passes: which wallets are offered, and the ApplePass token check. */
@Injectable()
export class WalletService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly signer: PassLinkSigner,
    private readonly passes: PassesClient,
    private readonly notifications: NotificationsClient,
  ) {}

  /**
   * A "Save to Google Wallet" link (from the passes service), and notifications told that the
   * object may now exist at Google, so that the pass's later changes are PATCHed to it.
   */
  async googleSaveLink(command: CommandFor<'PassesService', 'GetGoogleSaveLink'>, requestId?: string): Promise<GoogleSaveLinkResult> {
    return this.tracked(await this.passes.call('GetGoogleSaveLink', command, requestId), requestId);
  }

  /** The holder's save link, behind a signed link the caller has verified. */
  async publicGoogleSaveLink(code: string, requestId?: string): Promise<GoogleSaveLinkResult> {
    return this.tracked(await this.passes.callWithoutTenant('GetPublicGoogleSaveLink', { input: { code } }, requestId), requestId);
  }

  private async tracked(link: GoogleSaveLinkResult, requestId?: string): Promise<GoogleSaveLinkResult> {
    const { passId, eventId, templateId, objectType, objectId, classId } = link;
    await this.notifications.call(
      'TrackGoogleWalletObject',
      { tenantId: link.tenantId, input: { passId, eventId, templateId, objectType, objectId, classId } },
      requestId,
    );
    return link;
  }

  get offered(): { apple: boolean; google: boolean } {
    return { apple: this.appleEnabled, google: this.googleEnabled };
  }

  get appleEnabled(): boolean {
    return this.config.applePassTypeId !== null;
  }

  get googleEnabled(): boolean {
    return this.config.googleWalletEnabled;
  }

  /** Our pass type, or 404: another pass type is not served here. */
  requirePassType(passTypeId: string): void {
    if (!this.config.applePassTypeId || passTypeId !== this.config.applePassTypeId) {
      throw new HttpException({ error: 'Unknown pass type', code: 'not_found' }, 404);
    }
  }

  /** `Authorization: ApplePass <token>` of this serial, else 401 (before anything is looked up). */
  checkToken(passTypeId: string, serial: string, authorization: string | undefined): void {
    this.requirePassType(passTypeId);
    const match = /^ApplePass (\S+)$/.exec(authorization ?? '');
    if (!match || !this.signer.verifyWalletToken(serial, match[1])) {
      throw new HttpException({ error: 'The ApplePass token does not match this pass', code: 'unauthorized' }, 401);
    }
  }
}
