#!/usr/bin/env node
'use strict';

// Runs the local single-node Kafka in the foreground until Ctrl+C.
// Usage: node scripts/kafka.js   (KAFKA_BROKERS picks the port, default 127.0.0.1:9092)

const { ensureKafka } = require('./lib/infra');

function untilSignal() {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, resolve);
  });
}

async function main() {
  const kafka = await ensureKafka();
  if (kafka.started.length === 0) {
    console.error('kafka: already running, nothing to do');
    return;
  }
  console.error('kafka: running, press Ctrl+C to stop');
  const brokerExit = await Promise.race([untilSignal().then(() => null), kafka.exited]);
  await kafka.stop();
  if (brokerExit) {
    console.error(`kafka: broker exited on its own (code ${brokerExit.code}), see .cache/kafka/server-*.log`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
