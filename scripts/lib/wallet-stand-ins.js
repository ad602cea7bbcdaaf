// Wallet stand-ins for `npm test`: a test identity (a CA standing in for Apple's chain, a
// pass-type certificate, a Google service account) and a local APNs over HTTP/2 + TLS that checks
// the client certificate. Returns the settings that point the stack at them.
const path = require('node:path');

async function startWalletStandIns(root) {
  const { makeWalletTestIdentity, walletEnv } = require(path.join(root, 'dist/tools/wallet-identity'));
  const { FakeApns } = require(path.join(root, 'dist/test/support/fake-apns'));
  const identity = makeWalletTestIdentity();
  const apns = await new FakeApns({ cert: identity.serverCert, key: identity.serverKey, clientCa: identity.rootCert + identity.wwdrCert }).start();
  const env = {
    ...walletEnv(identity),
    APNS_ORIGIN: apns.origin,
    APNS_CA: identity.rootCert,
    WALLET_PUSH_RETRY_BASE_MS: '200',
    WALLET_PUSH_LEASE_MS: '3000',
    WALLET_SWEEP_INTERVAL_MS: '1000',
    WALLET_SERVICE_PER_IP_PER_MINUTE: '1000000',
    PASSWAY_FAKE_APNS_URL: apns.controlUrl,
    PASSWAY_WALLET_TEST_IDENTITY: JSON.stringify(identity),
  };
  return { env, stop: () => apns.stop() };
}

module.exports = { startWalletStandIns };
