import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadNotificationsConfig } from '../../apps/notifications/src/config';
import { notificationsDataSourceOptions } from '../../apps/notifications/src/database/notifications-database';
import { NodeApnSender } from '../../apps/notifications/src/wallet/apple-push/apns-sender';
import { WalletPusher } from '../../apps/notifications/src/wallet/apple-push/wallet-pusher';
import { WalletRegistrationsRepository } from '../../apps/notifications/src/wallet/wallet-registrations.repository';
import { ApplePassBuilder } from '../../apps/passes/src/wallet/apple-pass.builder';
import { WalletPassContent } from '../../apps/passes/src/wallet/wallet-pass-content';
import { loadAppleIdentity, loadConfig, PassLinkSigner, walletSettings } from '../../libs/common/src';
import { FakeApns } from '../../test/support/fake-apns';
import { makeWalletTestIdentity, walletEnv } from '../wallet-identity';
import { BenchRow, percentile } from './bench-context';

const BUILDS = Number(process.env.BENCH_PKPASS_BUILDS || 500);
const DEVICES = Number(process.env.BENCH_PUSH_DEVICES || 2000);

/**
 * Wallet figures: .pkpass generation (the passes service's builder, signing included) and APNs
 * fan-out (notifications' pusher: claim in Postgres, node-apn over HTTP/2 + TLS client
 * certificate to the local APNs stand-in, each answer recorded in Postgres).
 */
export async function benchWallet(env: NodeJS.ProcessEnv): Promise<BenchRow[]> {
  const identity = makeWalletTestIdentity();
  const walletConfig = loadConfig(walletSettings, walletEnv(identity));
  const apple = loadAppleIdentity({ ...walletConfig, NODE_ENV: 'test' })!;
  const rows: BenchRow[] = [];

  const builder = new ApplePassBuilder(
    apple,
    new PassLinkSigner({ id: 'k1', secret: randomBytes(24).toString('hex') }, 'https://bench.example'),
    'https://bench.example/wallet',
  );
  const times: number[] = [];
  for (let i = 0; i < BUILDS + 20; i += 1) {
    const began = process.hrtime.bigint();
    builder.build(sampleContent(i));
    if (i >= 20) times.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  times.sort((a, b) => a - b);
  rows.push({
    bench: 'wallet',
    metric: `.pkpass generation p50 (${BUILDS} passes, signed)`,
    value: `${percentile(times, 50).toFixed(1)} ms`,
  });
  rows.push({ bench: 'wallet', metric: '.pkpass generation p99 (target <= 50 ms)', value: `${percentile(times, 99).toFixed(1)} ms` });

  const apns = await new FakeApns({
    cert: identity.serverCert,
    key: identity.serverKey,
    clientCa: identity.rootCert + identity.wwdrCert,
  }).start();
  const config = loadNotificationsConfig({
    ...env,
    ...walletEnv(identity),
    APNS_ORIGIN: apns.origin,
    APNS_CA: identity.rootCert,
    WALLET_PUSH_FANOUT: process.env.BENCH_PUSH_FANOUT || '200',
  });
  const dataSource = await new DataSource(notificationsDataSourceOptions(env.DATABASE_URL!, 10)).initialize();
  const sender = new NodeApnSender(config.apple!, config.APNS_ORIGIN, config.APNS_CA, config.WALLET_PUSH_TIMEOUT_MS);
  try {
    const repository = new WalletRegistrationsRepository(dataSource);
    const pusher = new WalletPusher(config, repository, sender);
    const passId = randomUUID();
    await dataSource.query(`INSERT INTO notifications.wallet_passes (pass_id, tenant_id) VALUES ($1, $2)`, [passId, randomUUID()]);
    await dataSource.query(
      `INSERT INTO notifications.wallet_registrations (device_library_id, pass_type_id, pass_id, push_token, pushed_tag)
       SELECT 'bench-' || g, $2, $1, md5(random()::text) || md5(random()::text), p.update_tag
         FROM generate_series(1, $3::int) g, notifications.wallet_passes p WHERE p.pass_id = $1`,
      [passId, identity.passTypeId, DEVICES],
    );
    await dataSource.transaction((manager) => repository.markChanged(manager, { passId }, 0));
    const began = Date.now();
    const { sent } = await pusher.pushPass(passId);
    const seconds = (Date.now() - began) / 1000;
    const accepted = apns.received.filter((push) => push.accepted).length;
    rows.push({
      bench: 'wallet',
      metric: `push fan-out: ${DEVICES} devices of one pass, recorded (target >= 500/s)`,
      value: `${Math.round(sent / seconds)} pushes/s (${sent} sent, ${accepted} accepted by the stand-in, ${seconds.toFixed(2)} s)`,
    });
    await dataSource.query(`DELETE FROM notifications.wallet_passes WHERE pass_id = $1`, [passId]);
  } finally {
    await sender.close();
    await dataSource.destroy();
    await apns.stop();
  }
  return rows;
}

function sampleContent(i: number): WalletPassContent {
  return {
    passId: randomUUID(),
    tenantId: randomUUID(),
    code: `BENCH${String(i).padStart(11, '0')}`,
    name: 'Bench entry',
    type: 'single',
    status: 'active',
    usagesCount: 0,
    maxUsages: null,
    validFrom: null,
    validUntil: new Date('2030-01-01T00:00:00Z'),
    holderName: 'Bench Holder',
    publicFields: [
      { key: 'Seat', value: `R${i % 40}` },
      { key: 'Gate', value: 'B' },
    ],
    organizationName: 'Bench Events',
    event: {
      id: randomUUID(),
      name: 'Bench Night',
      startsAt: new Date('2029-12-31T20:00:00Z'),
      endsAt: null,
      venue: 'Hall 1',
      timezone: null,
      branding: { backgroundColor: '#112233', logoUrl: null },
    },
    templateId: null,
    colors: { primary: '#223344', background: '#112233', text: '#ffffff' },
    barcodeFormat: 'qr',
    images: { icon: null, logo: null },
    logoUrl: null,
    lastModified: new Date(),
  };
}
