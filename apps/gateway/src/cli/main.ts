import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  ConfigError,
  createAppLogger,
  DEAD_LETTER_SCHEMAS,
  DeadLetterSchema,
  DomainError,
  listDeadLetters,
  requestDeadLetterReplay,
} from '@passway/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { Role } from '../api-keys/entities/api-key.entity';
import { API_KEY_REVOKED_CHANNEL } from '../auth/api-key-authenticator';
import { loadGatewayConfig } from '../config';
import { gatewayDataSourceOptions } from '../database/gateway-database';
import { migrateGateway } from '../migrate';
import { Plan } from '../tenants/entities/tenant.entity';
import { TenantsRepository } from '../tenants/tenants.repository';
import { TenantsService } from '../tenants/tenants.service';
import { TokenBalanceRepository } from '../tokens/token-balance.repository';
import { TokenBalanceService } from '../tokens/token-balance.service';
import { AccountsRepository } from '../accounts/accounts.repository';
import { normalizeEmail } from '../accounts/accounts.service';
import { CliFlags, CliUsageError, intFlag, parseCommand, stringFlag } from './cli-args';

const USAGE = `Usage: npm run -s cli -- <command>

  tenants create --name NAME [--plan free|basic|pro] [--tokens N] [--rate-limit N]
  tenants list
  tenants show --tenant TENANT_ID
  tenants topup --tenant TENANT_ID --tokens N
  tenants ledger --tenant TENANT_ID [--limit N]
  keys create --tenant TENANT_ID [--role admin|staff|scanner] [--name LABEL] [--events EVENT_ID,EVENT_ID]
  keys list --tenant TENANT_ID
  keys revoke --key KEY_ID
  dead-letters list --service passes|scans|webhooks|notifications [--pending]
  dead-letters replay --service passes|scans|webhooks|notifications (--id ID[,ID] | --all)
  users promote --email EMAIL      make a console user a platform operator
  users demote --email EMAIL

Each command prints one JSON object on stdout.`;

async function run(argv: string[]): Promise<unknown> {
  const { command, flags } = parseCommand(argv);
  const config = loadGatewayConfig();
  // stdout carries the command's JSON alone: warnings and errors go to stderr, nothing below warn.
  Logger.overrideLogger(createAppLogger('cli', 'warn', { format: config.LOG_FORMAT, stderr: true }));
  await migrateGateway();
  const dataSource = await new DataSource(gatewayDataSourceOptions(config.DATABASE_URL, 2)).initialize();
  try {
    const ledger = new TokenBalanceRepository(dataSource);
    const tenants = new TenantsService(new TenantsRepository(dataSource), ledger);
    const keys = new ApiKeysService(new ApiKeysRepository(dataSource));
    switch (command) {
      case 'tenants create': {
        const tenant = await tenants.create({
          name: stringFlag(flags, 'name', true)!,
          plan: stringFlag(flags, 'plan') as Plan | undefined,
          tokens: intFlag(flags, 'tokens'),
          rateLimitPerMinute: intFlag(flags, 'rate-limit'),
        });
        const key = await keys.issue(tenant.id, 'admin', 'initial admin key');
        return { tenant, apiKey: key.apiKey, apiKeyId: key.id, role: key.role };
      }
      case 'tenants list':
        return { tenants: await tenants.list() };
      case 'tenants show':
        return { tenant: await tenants.get(stringFlag(flags, 'tenant', true)!) };
      case 'tenants topup': {
        const tenantId = stringFlag(flags, 'tenant', true)!;
        const tokens = intFlag(flags, 'tokens');
        if (tokens === undefined) throw new CliUsageError('--tokens is required');
        await new TokenBalanceService(ledger).topUp(tenantId, tokens, 'cli');
        return { tenant: await tenants.get(tenantId) };
      }
      case 'tenants ledger':
        return {
          ledger: await new TokenBalanceService(ledger).ledger(stringFlag(flags, 'tenant', true)!, intFlag(flags, 'limit') ?? 100),
        };
      case 'keys create': {
        const events = stringFlag(flags, 'events')
          ?.split(',')
          .map((id) => id.trim())
          .filter(Boolean);
        const key = await keys.issue(
          stringFlag(flags, 'tenant', true)!,
          (stringFlag(flags, 'role') ?? 'admin') as Role,
          stringFlag(flags, 'name') ?? null,
          events ?? null,
        );
        return key;
      }
      case 'keys list':
        return { keys: await keys.list(stringFlag(flags, 'tenant', true)!) };
      case 'keys revoke': {
        const { summary, keyHash } = await keys.revoke(stringFlag(flags, 'key', true)!);
        await announceRevocation(config.REDIS_URL, keyHash);
        return { key: summary };
      }
      case 'dead-letters list':
        return { deadLetters: await listDeadLetters(dataSource, deadLetterSchema(flags), { pendingOnly: flags.pending === true }) };
      case 'dead-letters replay': {
        const ids =
          flags.all === true
            ? 'all'
            : stringFlag(flags, 'id')
                ?.split(',')
                .map((id) => id.trim())
                .filter(Boolean);
        if (!ids || (ids !== 'all' && !ids.every((id) => /^\d{1,18}$/.test(id))))
          throw new CliUsageError('give --id ID[,ID] (numbers) or --all');
        return { replayRequested: await requestDeadLetterReplay(dataSource, deadLetterSchema(flags), ids) };
      }
      case 'users promote':
      case 'users demote': {
        const email = normalizeEmail(stringFlag(flags, 'email', true)!);
        const user = await new AccountsRepository(dataSource).setOperator(email, command === 'users promote');
        if (!user) throw new CliUsageError(`no user has the email ${email}`);
        return { user: { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator } };
      }
    }
  } finally {
    await dataSource.destroy();
  }
}

function deadLetterSchema(flags: CliFlags): DeadLetterSchema {
  const service = stringFlag(flags, 'service', true)!;
  if (!(DEAD_LETTER_SCHEMAS as readonly string[]).includes(service))
    throw new CliUsageError(`--service must be one of ${DEAD_LETTER_SCHEMAS.join(', ')}`);
  return service as DeadLetterSchema;
}

/** Tells running gateways to drop the key from their caches; the cache TTL covers a missed message. */
async function announceRevocation(redisUrl: string, keyHash: Buffer): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    await redis.connect();
    await redis.publish(API_KEY_REVOKED_CHANNEL, keyHash.toString('hex'));
  } catch {
    process.stderr.write('warning: could not reach Redis; gateways will notice the revocation when their key cache expires\n');
  } finally {
    redis.disconnect();
  }
}

run(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    if (error instanceof CliUsageError) {
      process.stderr.write(`${error.message ? `error: ${error.message}\n\n` : ''}${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof DomainError || error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(error instanceof ConfigError ? 78 : 1);
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
