'use strict';

// Debian packages the scripts install on a machine that lacks them (root only), through the
// machine's own apt sources. Several installs may run at once (browser, Docker): each waits
// for the dpkg lock instead of failing.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

function onPath(command) {
  return (process.env.PATH || '').split(':').some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs Debian packages (root only); the machine's own apt sources are used. */
function aptInstall(packages, log) {
  if (!isRoot() || !onPath('apt-get')) {
    throw new Error(`${packages.join(', ')} missing; install them (apt-get install ${packages.join(' ')}) or run as root on Debian`);
  }
  const startedAt = Date.now();
  log(`installing ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Other apt runs on the machine hold the dpkg lock for a while; wait for it instead of failing.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  for (const args of [
    [...lock, 'update', '-q'],
    [...lock, 'install', '-y', '-q', '--no-install-recommends', ...packages],
  ]) {
    let result;
    // `apt-get update` may still find the lists locked by another run: try again a few times.
    for (let attempt = 1; attempt <= 10; attempt++) {
      result = spawnSync('apt-get', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (result.status === 0 || !/Could not get lock|Unable to lock/i.test(result.stderr || '')) break;
      spawnSync('sleep', ['5']);
    }
    if (result.status !== 0) {
      throw new Error(
        `apt-get ${args.slice(lock.length).join(' ')} failed (exit ${result.status}):\n${(result.stderr || '').slice(-2000)}`,
      );
    }
  }
  log(`installed ${packages.join(', ')} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
}

module.exports = { aptInstall, isRoot, onPath };
