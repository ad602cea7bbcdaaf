'use strict';

// Makes a Docker engine answer: installs Debian's docker.io (and debootstrap, which
// the local image builds need) when dockerd is missing, and starts dockerd when
// nothing answers on the socket. A dockerd started here is left running, like the
// system PostgreSQL cluster: other work trees and later runs share it.

const fs = require('node:fs');
const http = require('node:http');
const { spawn, spawnSync } = require('node:child_process');
const { aptInstall, onPath } = require('./apt');

const DOCKERD_START_TIMEOUT_MS = 60_000;
const DOCKERD_LOG = '/var/log/passway-dockerd.log';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where the engine listens: DOCKER_HOST when it names a unix socket or tcp address, else the default socket. */
function engineAddress(env = process.env) {
  const host = env.DOCKER_HOST;
  if (!host) return { socketPath: '/var/run/docker.sock', local: true };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length), local: true };
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375), local: false };
}

/** The engine's API version when something answers GET /version on it, else null. */
function engineVersion(address, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const request = http.get({ ...address, path: '/version', timeout: timeoutMs }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        try {
          const { Version, ApiVersion } = JSON.parse(body);
          resolve(response.statusCode === 200 ? { version: Version, apiVersion: ApiVersion } : null);
        } catch {
          resolve(null);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

function startDockerd(log) {
  log(`docker: nothing answers on the socket, starting dockerd (log ${DOCKERD_LOG}; it keeps running)`);
  const logFd = fs.openSync(DOCKERD_LOG, 'a');
  try {
    // Its own session and no pipes to us: dockerd outlives this run, as a system service would.
    const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', logFd, logFd] });
    child.unref();
    return child;
  } finally {
    fs.closeSync(logFd);
  }
}

function tail(file, lines = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const DOCKERD_ATTEMPTS = 3;

/** The pid files a dockerd (and its containerd) killed without a clean stop leaves behind. */
const DOCKERD_PID_FILES = ['/var/run/docker.pid', '/var/run/docker/containerd/containerd.pid'];

function removeStalePidFiles(log) {
  for (const file of DOCKERD_PID_FILES) {
    let pid;
    try {
      pid = Number(fs.readFileSync(file, 'utf8').trim());
    } catch {
      continue;
    }
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (error) {
      alive = error.code === 'EPERM';
    }
    if (alive) continue;
    log(`docker: removing ${file} (pid ${pid} is gone)`);
    fs.rmSync(file, { force: true });
  }
}

/** Starts dockerd and waits for it to answer; resolves to its version, or rejects with why not. */
async function startAndWait(address, log) {
  const startedAt = Date.now();
  const child = startDockerd(log);
  let exit = null;
  child.once('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exited with code ${code}`));
  child.once('error', (error) => (exit = error.message));
  while (Date.now() - startedAt < DOCKERD_START_TIMEOUT_MS) {
    const running = await engineVersion(address, 1000);
    if (running) {
      log(`docker: dockerd ${running.version} answers after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      return running;
    }
    if (exit) break;
    await sleep(250);
  }
  if (!exit) {
    // Did not answer in time: stop it, so that the next attempt starts clean.
    child.kill('SIGTERM');
    await sleep(3000);
  }
  throw new Error(`dockerd ${exit ?? `did not answer within ${DOCKERD_START_TIMEOUT_MS / 1000} s`}`);
}

/**
 * Makes sure a Docker engine answers, installing docker.io and starting dockerd
 * when needed (root on Debian; up to three tries, removing the pid files a killed dockerd
 * left). Returns { version, apiVersion, installed, started }.
 */
async function ensureDocker({ log = console.error, env = process.env } = {}) {
  const address = engineAddress(env);
  let running = await engineVersion(address);
  if (running) return { ...running, installed: false, started: false };
  if (!address.local) throw new Error(`docker: nothing answers at DOCKER_HOST=${env.DOCKER_HOST}`);
  const installed = !onPath('dockerd');
  if (installed) aptInstall(['docker.io'], (line) => log(`docker: ${line}`));

  let lastError;
  for (let attempt = 1; attempt <= DOCKERD_ATTEMPTS; attempt++) {
    // Another run may have started one meanwhile.
    running = await engineVersion(address);
    if (running) return { ...running, installed, started: false };
    removeStalePidFiles(log);
    try {
      return { ...(await startAndWait(address, log)), installed, started: true };
    } catch (error) {
      lastError = error;
      log(`docker: attempt ${attempt} of ${DOCKERD_ATTEMPTS}: ${error.message}`);
    }
  }
  throw new Error(`docker: ${lastError.message} (${DOCKERD_ATTEMPTS} attempts); last lines of ${DOCKERD_LOG}:\n${tail(DOCKERD_LOG)}`);
}

/**
 * The compose command: the Compose v2 plugin (`docker compose`) when the docker CLI has it,
 * else Debian's `docker-compose` (installed with apt when missing). Returns the argv prefix.
 */
function ensureCompose({ log = console.error } = {}) {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (!onPath('docker-compose')) aptInstall(['docker-compose'], (line) => log(`compose: ${line}`));
  return ['docker-compose'];
}

module.exports = { ensureCompose, ensureDocker, engineVersion, engineAddress };
