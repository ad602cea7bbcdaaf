// The browser tests drive Debian's Chromium through playwright-core. This installs it when it is
// missing (apt-get, as root), once; a machine that already has /usr/bin/chromium is left alone.
const fs = require('node:fs');
const { aptInstall } = require('./apt');

const CHROMIUM_PATH = '/usr/bin/chromium';

function ensureChromium({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      `${CHROMIUM_PATH} is missing and this is not root: run "apt-get install -y chromium" as root, then run the tests again`,
    );
  }
  log(`${CHROMIUM_PATH} is missing: installing Debian's chromium for the browser tests (apt-get, once)`);
  aptInstall(['chromium'], log);
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
  log(`chromium installed at ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}

module.exports = { ensureChromium, CHROMIUM_PATH };

if (require.main === module) ensureChromium();
