import { dataSourceOptions } from '@passway/common';
import { ClientEntity } from '../clients/entities/client.entity';
import { EventEntity } from '../events/entities/event.entity';
import { LocationEntity } from '../locations/entities/location.entity';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { Events1795000000000 } from '../migrations/1795000000000-Events';
import { DeadLetters1796000000000 } from '../migrations/1796000000000-DeadLetters';
import { OutboxDeadLetters1796000000001 } from '../migrations/1796000000001-OutboxDeadLetters';
import { WalletPasses1796100000000 } from '../migrations/1796100000000-WalletPasses';
import { BrandingImages1796200000000 } from '../migrations/1796200000000-BrandingImages';
import { TallyVersion1797000000000 } from '../migrations/1797000000000-TallyVersion';
import { PassEntity } from '../passes/entities/pass.entity';
import { TemplateEntity } from '../templates/entities/template.entity';

export const PASSES_SCHEMA = 'passes';

export function passesDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: PASSES_SCHEMA,
    entities: [PassEntity, ClientEntity, TemplateEntity, LocationEntity, EventEntity],
    migrations: [
      InitialSchema1732440000000,
      Events1795000000000,
      DeadLetters1796000000000,
      OutboxDeadLetters1796000000001,
      WalletPasses1796100000000,
      BrandingImages1796200000000,
      TallyVersion1797000000000,
    ],
    poolSize,
  });
}
