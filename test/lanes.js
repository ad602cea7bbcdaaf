// `npm test` runs the suite in two Jest processes side by side, one file at a time each (see
// scripts/test.js). The "own servers" lane holds most files that bring servers of their own:
// containers (the image, compose, a Kafka cluster) and dedicated stacks (isolatedEnv,
// IsolatedStack, faultWorld). The other lane holds the files that share the one stack `npm test`
// starts, and a few with dedicated stacks too, so the two lanes take about as long. Dedicated
// stacks keep their Redis data in one database per lane (TEST_ISOLATED_REDIS_DB, default 15, for
// this lane; the one below it for the other), so the two lanes' never meet.
const OWN_SERVERS = [
  'compose',
  'image',
  'console-image',
  'kafka-cluster',
  'security-kafka-tls-sasl',
  'holder-email-delivery',
  'graceful-shutdown',
  'services-down',
  'webhooks-resilience',
];

/** One Jest path pattern (a regular expression) matching exactly the own-servers files. */
const OWN_SERVERS_PATTERN = `/test/(${OWN_SERVERS.join('|')})\\.e2e-spec\\.ts$`;

module.exports = { OWN_SERVERS, OWN_SERVERS_PATTERN };
