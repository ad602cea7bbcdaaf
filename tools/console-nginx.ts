import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import {
  CONSOLE_ASSET_HEADERS,
  CONSOLE_COMMON_HEADERS,
  CONSOLE_DOOR_FILE_HEADERS,
  CONSOLE_PAGE_HEADERS,
  CONSOLE_PATH,
} from '../apps/gateway/src/console/console-headers';

/**
 * The nginx.conf of the console's own container (Dockerfile.console), rendered from the headers the
 * gateway sends for /app (apps/gateway/src/console/console-headers.ts), so the two never drift:
 *   node dist/tools/console-nginx.js dist/console > nginx.conf
 * nginx serves the same files with the same rules as console-static.ts: hashed assets for a year,
 * the door's service worker and manifest re-checked, the console's page for every other path under
 * /app and the door's page under /app/door. It runs as any non-root user on a read-only root
 * filesystem: everything it writes (pid, temp files) goes to /tmp.
 */

/** Where the image puts dist/console: URI paths are file paths under the root. */
export const CONSOLE_WEB_ROOT = '/usr/share/passway';
export const CONSOLE_HTTP_PORT = 8080;

/**
 * Content types by extension, as the gateway sends them (express.static: mime-types), text with
 * charset=utf-8. A build that emits another extension stops the render (add it here).
 */
export const CONSOLE_CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html',
  js: 'text/javascript',
  mjs: 'text/javascript',
  css: 'text/css',
  map: 'application/json',
  json: 'application/json',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  ico: 'image/vnd.microsoft.icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
  gz: 'application/gzip',
};
/** text/html is always among nginx's charset_types (listing it again is a warning). */
const CHARSET_TYPES = ['text/javascript', 'text/css', 'text/plain', 'application/json', 'application/manifest+json'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * add_header lines. Cache-Control only on successful answers (a 404 is never cached for a year);
 * the security headers on every answer (`always`). A location with add_header inherits none from
 * above, so each location lists all of its own.
 */
function headerLines(...sets: Readonly<Record<string, string>>[]): string[] {
  return sets.flatMap((set) =>
    Object.entries(set).map(
      ([name, value]) => `add_header ${name} ${quote(value)}${name.toLowerCase() === 'cache-control' ? '' : ' always'};`,
    ),
  );
}

function location(match: string, lines: string[]): string[] {
  return [`location ${match} {`, ...lines.map((line) => `  ${line}`), '}'];
}

/** nginx.conf for the console files in `consoleDir` (checked for content types nginx would not know). */
export function renderConsoleNginxConf(consoleDir: string): string {
  const unknown = [...new Set(filesUnder(consoleDir).map((file) => extname(file).slice(1)))].filter(
    (ext) => !(ext in CONSOLE_CONTENT_TYPES),
  );
  if (unknown.length > 0) throw new Error(`console-nginx: no content type for .${unknown.join(', .')} (tools/console-nginx.ts)`);
  const app = CONSOLE_PATH;
  const page = (file: string) => [...headerLines(CONSOLE_COMMON_HEADERS, CONSOLE_PAGE_HEADERS), `try_files ${file} =404;`];
  const consolePage = page(`${app}/index.html`);
  const doorPage = page(`${app}/door/index.html`);
  const json = (status: string) => ['default_type application/json;', `return 200 '{"status":"${status}"}';`];
  const server = [
    `listen ${CONSOLE_HTTP_PORT} default_server;`,
    `root ${CONSOLE_WEB_ROOT};`,
    // Redirects (none expected) stay relative: the Ingress's host and scheme, not this pod's.
    'absolute_redirect off;',
    // Kubelet probes (/health/*) stay inside the cluster: the Ingress routes only /app here.
    ...location('= /health/live', ['access_log off;', ...json('ok')]),
    ...location('= /health/ready', [
      'access_log off;',
      `if (!-f ${CONSOLE_WEB_ROOT}${app}/index.html) {`,
      '  return 503;',
      '}',
      ...json('ok'),
    ]),
    // Hashed files: a miss is a 404, never the page (a stale index.html must not get HTML as JavaScript).
    ...location(`${app}/assets/`, [...headerLines(CONSOLE_COMMON_HEADERS, CONSOLE_ASSET_HEADERS), 'try_files $uri =404;']),
    // The door: its service worker and manifest as files; any other path, its page.
    ...location(`${app}/door/`, [
      ...headerLines(CONSOLE_COMMON_HEADERS, CONSOLE_DOOR_FILE_HEADERS),
      `try_files $uri ${app}/door/index.html;`,
    ]),
    ...location(`= ${app}/door/index.html`, doorPage),
    ...location(`= ${app}/door`, doorPage),
    // Every other path under /app: the console's page (the client-side router takes it from there).
    ...location(`${app}/`, consolePage),
    ...location(`= ${app}`, consolePage),
    ...location('/', ['return 404;']),
  ];
  const http = [
    'server_tokens off;',
    'sendfile on;',
    'tcp_nopush on;',
    'keepalive_timeout 65s;',
    // No request bodies here (GET and HEAD only).
    'client_max_body_size 1k;',
    'client_body_temp_path /tmp/nginx-client-body;',
    'proxy_temp_path /tmp/nginx-proxy;',
    'fastcgi_temp_path /tmp/nginx-fastcgi;',
    'uwsgi_temp_path /tmp/nginx-uwsgi;',
    'scgi_temp_path /tmp/nginx-scgi;',
    'types {',
    ...Object.entries(CONSOLE_CONTENT_TYPES).map(([ext, type]) => `  ${type} ${ext};`),
    '}',
    'default_type application/octet-stream;',
    'charset utf-8;',
    `charset_types ${CHARSET_TYPES.join(' ')};`,
    // Precompressed copies (.gz, made at image build) for clients that accept gzip.
    'gzip_static on;',
    'gzip_vary on;',
    // One JSON line per request on stdout, like the apps' logs; kubelet probes are not logged.
    'map $http_user_agent $passway_log_request {',
    '  ~^kube-probe/ 0;',
    '  default 1;',
    '}',
    'log_format passway_json escape=json \'{"time":"$time_iso8601","app":"console","method":"$request_method","url":"$request_uri","status":$status,"bytes":$body_bytes_sent,"durationSeconds":$request_time,"remoteAddr":"$remote_addr","forwardedFor":"$http_x_forwarded_for","requestId":"$http_x_request_id","userAgent":"$http_user_agent"}\';',
    'access_log /dev/stdout passway_json if=$passway_log_request;',
    'server {',
    ...server.map((line) => `  ${line}`),
    '}',
  ];
  return [
    '# The console container (Dockerfile.console). Generated by tools/console-nginx.ts from',
    '# apps/gateway/src/console/console-headers.ts at image build: edit those, not this file.',
    'daemon off;',
    // Static files from the page cache: one worker holds thousands of connections.
    'worker_processes 1;',
    'pid /tmp/nginx.pid;',
    'error_log stderr warn;',
    'events {',
    '  worker_connections 1024;',
    '}',
    'http {',
    ...http.map((line) => `  ${line}`),
    '}',
    '',
  ].join('\n');
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/tools/console-nginx.js <console dir (dist/console)>\n');
    process.exit(2);
  }
  process.stdout.write(renderConsoleNginxConf(dir));
}
