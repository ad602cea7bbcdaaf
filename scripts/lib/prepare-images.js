#!/usr/bin/env node
'use strict';

// Child process of prepareInfra(): makes the Docker engine answer and the server images exist
// while the parent builds and type-checks. Log lines on stderr, the result as JSON on stdout.

const { ensureDocker } = require('./docker');
const { resolveServerImages, buildAppImage, buildConsoleImage, APP_TEST_TAG, CONSOLE_TEST_TAG } = require('./images');

const log = (line) => process.stderr.write(`${line}\n`);

(async () => {
  const engine = await ensureDocker({ log });
  const { source, images } = await resolveServerImages({ log });
  // The project's image, for the tests that run it (image smoke test, compose).
  const app = process.env.PASSWAY_PREPARE_APP_IMAGE === '1' ? await buildAppImage({ log, tag: APP_TEST_TAG }) : null;
  // The console's image (Dockerfile.console), for its test; after the app's, whose build stage it reuses.
  const consoleImage = process.env.PASSWAY_PREPARE_CONSOLE_IMAGE === '1' ? await buildConsoleImage({ log, tag: CONSOLE_TEST_TAG }) : null;
  process.stdout.write(JSON.stringify({ engine, source, images, app, console: consoleImage }));
})().catch((error) => {
  log(error.message);
  process.exit(1);
});
