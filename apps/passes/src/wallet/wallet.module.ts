import { Module } from '@nestjs/common';
import { BrandingImagesRepository } from '../branding-images/branding-images.repository';
import { BrandingImagesRpcController } from '../branding-images/branding-images.rpc-controller';
import { BrandingImagesService } from '../branding-images/branding-images.service';
import { PassLinkSigner } from '@passway/common';
import { PASSES_CONFIG, PassesConfig } from '../config';
import { ApplePassBuilder } from './apple-pass.builder';
import { GoogleSaveLinkBuilder } from './google-save-link.builder';
import { WalletPassesService } from './wallet-passes.service';
import { WalletRpcController } from './wallet.rpc-controller';

/** Apple Wallet and Google Wallet passes, built from this service's tables, and the logos and icons they wear. */
@Module({
  controllers: [WalletRpcController, BrandingImagesRpcController],
  providers: [
    {
      provide: ApplePassBuilder,
      inject: [PASSES_CONFIG, PassLinkSigner],
      useFactory: (config: PassesConfig, signer: PassLinkSigner) =>
        config.apple ? new ApplePassBuilder(config.apple, signer, `${config.PUBLIC_BASE_URL}/wallet`) : null,
    },
    {
      provide: GoogleSaveLinkBuilder,
      inject: [PASSES_CONFIG],
      useFactory: (config: PassesConfig) =>
        config.google ? new GoogleSaveLinkBuilder(config.google, new URL(config.PUBLIC_BASE_URL).origin) : null,
    },
    WalletPassesService,
    BrandingImagesService,
    BrandingImagesRepository,
  ],
})
export class WalletModule {}
