// Wallet stand-ins for `npm test`: a test identity (a CA standing in for Apple's chain, a
// pass-type certificate, a Google service account), a local APNs over HTTP/2 + TLS that checks
// the client certificate, and a local Google (OAuth token endpoint + Wallet REST API). Returns the settings that point the stack at them.
const path = require('node:path');

async function startWalletStandIns(root) {
  const { makeWalletTestIdentity, walletEnv } = require(path.join(root, 'dist/tools/wallet-identity'));
  const { FakeApns } = require(path.join(root, 'dist/test/support/fake-apns'));
  const { FakeGoogleWallet } = require(path.join(root, 'dist/test/support/fake-google-wallet'));
  const identity = makeWalletTestIdentity();
  const apns = await new FakeApns({
    cert: identity.serverCert,
    key: identity.serverKey,
    clientCa: identity.rootCert + identity.wwdrCert,
  }).start();
  const google = await new FakeGoogleWallet({ clientEmail: identity.google.clientEmail, publicKey: identity.google.publicKey }).start();
  const env = {
    ...walletEnv(identity),
    APNS_ORIGIN: apns.origin,
    APNS_CA: identity.rootCert,
    WALLET_PUSH_RETRY_BASE_MS: '200',
    WALLET_PUSH_LEASE_MS: '3000',
    WALLET_SWEEP_INTERVAL_MS: '1000',
    WALLET_SERVICE_PER_IP_PER_MINUTE: '1000000',
    GOOGLE_WALLET_API_URL: `${google.url}/walletobjects/v1`,
    GOOGLE_OAUTH_TOKEN_URL: `${google.url}/token`,
    PASSWAY_FAKE_APNS_URL: apns.controlUrl,
    PASSWAY_FAKE_GOOGLE_URL: google.url,
    PASSWAY_WALLET_TEST_IDENTITY: JSON.stringify(identity),
  };
  return {
    env,
    stop: async () => {
      await apns.stop();
      await google.stop();
    },
  };
}

module.exports = { startWalletStandIns };
