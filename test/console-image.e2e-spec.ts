import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import express from 'express';
import type { StartedTestContainer } from 'testcontainers';
import {
  CONSOLE_ASSET_HEADERS,
  CONSOLE_COMMON_HEADERS,
  CONSOLE_DOOR_FILE_HEADERS,
  CONSOLE_PAGE_HEADERS,
  CONSOLE_PATH,
} from '../apps/gateway/src/console/console-headers';
import { consoleStaticHandler } from '../apps/gateway/src/console/console-static';
import { CONSOLE_HTTP_PORT, CONSOLE_WEB_ROOT } from '../tools/console-nginx';
import { projectScript } from './support/project-scripts';

// The console's own container (Dockerfile.console: nginx and the console's files), as Kubernetes runs
// it (deploy/k8s/base/console.yaml): as its image's non-root user, on a read-only root filesystem with
// a /tmp of its own, without capabilities. Fetched like a browser would, and compared with the
// gateway's /app handler serving the very same files.
const inContainers = process.env.PASSWAY_INFRA === 'containers';
const MAX_IMAGE_BYTES = 40 * 1000 * 1000;

function docker(args: string[]): string {
  const result = spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, `docker ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const lower = (headers: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** The headers this test compares: what caching and the browser's security depend on. */
const COMPARED = [
  'content-type',
  'cache-control',
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'content-security-policy',
];

function assertHeaders(response: Response, expected: Readonly<Record<string, string>>, where: string) {
  for (const [name, value] of Object.entries(lower(expected))) assert.equal(response.headers.get(name), value, `${where}: ${name}`);
}

// Skipped (Jest reports it) when the servers are not containers (PASSWAY_INFRA=local): no Docker to build with.
(inContainers ? describe : describe.skip)('the console image', () => {
  const { buildConsoleImage, CONSOLE_TEST_TAG } = projectScript('images');
  const { ownContainer, removeContainer } = projectScript('containers');
  let tag: string;
  let container: StartedTestContainer;
  let base: string;
  let gatewayBase: string;
  let gateway: Server;
  let filesDir: string;
  let indexHtml: string;
  let script: string;

  beforeAll(async () => {
    // Built while `npm test` compiled (prepareInfra); this finds it in Docker's cache.
    ({ tag } = await buildConsoleImage({ log: (line: string) => process.stderr.write(`${line}\n`), tag: CONSOLE_TEST_TAG }));
    const { GenericContainer, Wait } = await import('testcontainers');
    /** What the Deployment's securityContext asks for: readOnlyRootFilesystem (Testcontainers has no option for it). */
    class ReadOnlyContainer extends GenericContainer {
      constructor(image: string) {
        super(image);
        this.hostConfig.ReadonlyRootfs = true;
      }
    }
    container = ownContainer(
      await new ReadOnlyContainer(tag)
        .withTmpFs({ '/tmp': 'rw,size=16m' })
        .withDroppedCapabilities('ALL')
        .withSecurityOpt('no-new-privileges')
        .withExposedPorts(CONSOLE_HTTP_PORT)
        .withLabels({ 'passway.owner': String(process.pid) })
        .withWaitStrategy(Wait.forHttp('/health/ready', CONSOLE_HTTP_PORT).forStatusCode(200))
        .withStartupTimeout(60_000)
        .start(),
    );
    base = `http://${container.getHost()}:${container.getMappedPort(CONSOLE_HTTP_PORT)}`;

    // The gateway's handler over the image's own files (copied out), for the comparison.
    filesDir = mkdtempSync(join(tmpdir(), 'passway-console-image-'));
    docker(['cp', `${container.getId()}:${CONSOLE_WEB_ROOT}${CONSOLE_PATH}`, join(filesDir, 'console')]);
    const app = express();
    app.use(CONSOLE_PATH, consoleStaticHandler(join(filesDir, 'console')));
    gateway = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    gatewayBase = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;

    indexHtml = await (await fetch(`${base}${CONSOLE_PATH}/`)).text();
    script = /<script type="module" crossorigin src="(\/app\/assets\/[^"]+\.js)"/.exec(indexHtml)?.[1] ?? '';
    assert.ok(script, indexHtml);
  }, 900_000); // a cold machine builds the image first

  afterAll(async () => {
    if (container) await removeContainer(container);
    if (gateway) await new Promise((done) => gateway.close(done));
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  it('is small, from scratch: nginx, its configuration and the console files only (no shell, no Node, no server code, no secrets), as a non-root user', () => {
    const image = JSON.parse(docker(['image', 'inspect', tag]))[0];
    assert.ok(image.Size < MAX_IMAGE_BYTES, `${(image.Size / 1e6).toFixed(1)} MB`);
    assert.equal(image.Config.User, '1000:1000');
    assert.deepEqual(image.Config.ExposedPorts, { [`${CONSOLE_HTTP_PORT}/tcp`]: {} });
    assert.equal(image.Config.StopSignal, 'SIGQUIT');
    assert.equal(JSON.parse(docker(['container', 'inspect', container.getId()]))[0].HostConfig.ReadonlyRootfs, true);

    const listing = spawnSync('sh', ['-c', `docker export ${container.getId()} | tar -t`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(listing.status, 0, listing.stderr);
    const entries = listing.stdout
      .split('\n')
      .filter((entry) => entry && !entry.endsWith('/'))
      // Docker's own mount points of every container.
      .filter((entry) => !/^(\.dockerenv|etc\/(hosts|hostname|resolv\.conf|mtab)|dev\/|proc\/|sys\/)/.test(entry));
    const web = `${CONSOLE_WEB_ROOT.slice(1)}${CONSOLE_PATH}/`;
    const allowed = (entry: string) =>
      entry.startsWith(web) ||
      ['usr/sbin/nginx', 'etc/nginx/nginx.conf', 'etc/passwd', 'etc/group'].includes(entry) ||
      /^(usr\/)?lib(64|\/x86_64-linux-gnu|\/aarch64-linux-gnu)?\/[\w.+-]+\.so(\.[\d.]+)?$/.test(entry);
    assert.deepEqual(
      entries.filter((entry) => !allowed(entry)),
      [],
      'only nginx, the C libraries it links, its configuration and the console files',
    );
    assert.ok(entries.includes(`${web}index.html`) && entries.includes(`${web}door/index.html`) && entries.includes(`${web}door/sw.js`));
    assert.ok(!entries.some((entry) => /(^|\/)(node|sh|bash|npm|node_modules|\.env|[\w-]+\.(pem|key|p12))$/.test(entry)));
    // The only JavaScript is the console's browser bundle.
    assert.deepEqual(
      entries.filter((entry) => /\.[cm]?js$/.test(entry) && !entry.startsWith(`${web}assets/`) && entry !== `${web}door/sw.js`),
      [],
    );
  });

  it('answers /app/ with index.html, never cached, with the security headers', async () => {
    for (const path of [`${CONSOLE_PATH}/`, CONSOLE_PATH]) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assertHeaders(response, { ...CONSOLE_COMMON_HEADERS, ...CONSOLE_PAGE_HEADERS }, path);
      assert.equal(await response.text(), indexHtml);
    }
    assert.equal(CONSOLE_PAGE_HEADERS['Cache-Control'], 'no-cache');
    assert.match(CONSOLE_PAGE_HEADERS['Content-Security-Policy'], /script-src 'self'.*frame-ancestors 'none'/);
  });

  it('serves hashed assets for a year (gzipped when asked), and a missing one as a 404, never as the page', async () => {
    const asset = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(asset.headers.get('content-encoding'), 'gzip');
    assert.equal(asset.headers.get('vary'), 'Accept-Encoding');
    assertHeaders(asset, { ...CONSOLE_COMMON_HEADERS, ...CONSOLE_ASSET_HEADERS }, script);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const body = await asset.text();
    const plain = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), body);

    const missing = await fetch(`${base}${CONSOLE_PATH}/assets/nope-0123abcd.js`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('cache-control'), null, 'a 404 is not cached for a year');
    assertHeaders(missing, CONSOLE_COMMON_HEADERS, 'a missing asset');
    assert.doesNotMatch(await missing.text(), /<script type="module"/);
  });

  it('answers client routes with the SPA (fallback to index.html), door paths with the door page, and its service worker never cached', async () => {
    for (const route of ['/login?redirect=%2Fapp%2Fevents', '/events/3f1c/live', '/settings/members', '/index.html']) {
      const response = await fetch(`${base}${CONSOLE_PATH}${route}`);
      assert.equal(response.status, 200, route);
      assertHeaders(response, { ...CONSOLE_COMMON_HEADERS, ...CONSOLE_PAGE_HEADERS }, route);
      assert.equal(await response.text(), indexHtml, route);
    }
    const doorHtml = await (await fetch(`${gatewayBase}${CONSOLE_PATH}/door/`)).text();
    assert.notEqual(doorHtml, indexHtml);
    for (const route of ['/door', '/door/', '/door/scan/abc', '/door/index.html']) {
      const response = await fetch(`${base}${CONSOLE_PATH}${route}`);
      assert.equal(response.status, 200, route);
      assertHeaders(response, { ...CONSOLE_COMMON_HEADERS, ...CONSOLE_PAGE_HEADERS }, route);
      assert.equal(await response.text(), doorHtml, route);
    }
    for (const [file, type] of [
      ['/door/sw.js', 'text/javascript; charset=utf-8'],
      ['/door/manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ]) {
      const response = await fetch(`${base}${CONSOLE_PATH}${file}`);
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get('content-type'), type, file);
      assertHeaders(response, { ...CONSOLE_COMMON_HEADERS, ...CONSOLE_DOOR_FILE_HEADERS }, file);
    }
    // Outside /app: nothing (the Ingress sends only /app here); the probes answer.
    for (const path of ['/', '/api/v1/events', '/metrics', '/appx']) assert.equal((await fetch(`${base}${path}`)).status, 404, path);
    for (const path of ['/health/live', '/health/ready']) assert.equal((await fetch(`${base}${path}`)).status, 200, path);
  });

  it("answers like the gateway's /app handler over the same files: status, type, caching, security headers and bytes", async () => {
    const assets = [...indexHtml.matchAll(/(\/app\/assets\/[^"]+)"/g)].map((match) => match[1].slice(CONSOLE_PATH.length));
    const paths = [
      '/',
      '/events/3f1c/live',
      ...assets,
      '/assets/nope-0123abcd.js',
      '/door',
      '/door/',
      '/door/scan/abc',
      '/door/index.html',
      '/door/sw.js',
      '/door/manifest.webmanifest',
    ];
    const differences: string[] = [];
    for (const path of paths) {
      const [ours, theirs] = await Promise.all([fetch(`${base}${CONSOLE_PATH}${path}`), fetch(`${gatewayBase}${CONSOLE_PATH}${path}`)]);
      if (ours.status !== theirs.status) differences.push(`${path}: status ${ours.status} (gateway ${theirs.status})`);
      // Error pages differ in their own headers (Express's carries a CSP of its own): compare what both must send.
      const names = ours.status === 200 ? COMPARED : ['x-content-type-options', 'referrer-policy'];
      for (const name of names) {
        if (ours.headers.get(name) !== theirs.headers.get(name))
          differences.push(`${path}: ${name} ${ours.headers.get(name)} (gateway ${theirs.headers.get(name)})`);
      }
      if (ours.status === 200 && (await ours.text()) !== (await theirs.text())) differences.push(`${path}: different bytes`);
    }
    assert.deepEqual(differences, []);
  });

  it('logs one JSON line per request on stdout, and stops on `docker stop` with exit code 0 (SIGQUIT: a graceful stop)', () => {
    const logs = spawnSync('docker', ['logs', container.getId()], { encoding: 'utf8' });
    const lines = `${logs.stdout}`.trim().split('\n');
    const requests = lines.map((line) => JSON.parse(line));
    assert.ok(requests.some((request) => request.url === `${CONSOLE_PATH}/` && request.status === 200 && request.app === 'console'));
    assert.equal(logs.stderr.trim(), '', 'no warning or error from nginx');
    const stopped = spawnSync('docker', ['stop', '--time', '10', container.getId()], { encoding: 'utf8' });
    assert.equal(stopped.status, 0, stopped.stderr);
    const state = JSON.parse(docker(['container', 'inspect', container.getId()]))[0].State;
    assert.equal(state.ExitCode, 0);
    assert.equal(state.OOMKilled, false);
  });
});
