// `npm start` with no wallet settings: a development signing identity (made once, kept in
// .cache/wallet-dev), so every wallet endpoint works locally. Passes it signs will not install on a
// real iPhone; NODE_ENV=production refuses it (the apps recognise its organisation name).
const fs = require('node:fs');
const path = require('node:path');

const APPLE_SETTINGS = ['APPLE_PASS_TYPE_ID', 'APPLE_TEAM_ID', 'APPLE_SIGNER_CERT', 'APPLE_SIGNER_KEY', 'APPLE_WWDR_CERT'];

function configured(env, name) {
  return Boolean((env[name] && env[name].trim()) || (env[`${name}_FILE`] && env[`${name}_FILE`].trim()));
}

/** Settings to add to the environment, and the one line to log; nothing when Apple Wallet is configured. */
function devWalletIdentity(root, env) {
  if (APPLE_SETTINGS.some((name) => configured(env, name))) return { env: {}, line: null };
  if (env.NODE_ENV === 'production')
    return {
      env: {},
      line: 'wallet: no Apple Wallet identity configured; Apple Wallet is off (production never gets a development identity)',
    };
  const dir = path.join(root, '.cache', 'wallet-dev');
  const file = path.join(dir, 'identity.json');
  let identity;
  try {
    identity = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (new Date(new (require('node:crypto').X509Certificate)(identity.signerCert).validTo).getTime() < Date.now() + 86_400_000)
      identity = undefined;
  } catch {
    identity = undefined;
  }
  if (!identity) {
    const { makeWalletTestIdentity } = require(path.join(root, 'dist/tools/wallet-identity'));
    identity = makeWalletTestIdentity({ development: true, passTypeId: 'pass.dev.passway.local', teamId: 'PASSWAYDEV' });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(identity), { mode: 0o600 });
  }
  return {
    env: {
      APPLE_PASS_TYPE_ID: identity.passTypeId,
      APPLE_TEAM_ID: identity.teamId,
      APPLE_SIGNER_CERT: identity.signerCert,
      APPLE_SIGNER_KEY: identity.signerKey,
      APPLE_SIGNER_KEY_PASSPHRASE: identity.signerKeyPassphrase,
      APPLE_WWDR_CERT: identity.wwdrCert,
    },
    line: `wallet: no Apple Wallet identity configured; using a development signing identity from ${path.relative(root, file)} (passes install on no real iPhone; pushes are logged)`,
  };
}

module.exports = { devWalletIdentity };
