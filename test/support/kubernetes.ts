import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Namespace, ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { parseAllDocuments } from 'yaml';

/** Checks of the deploy/ manifests: kustomize rendering, Kubernetes schemas, a NetworkPolicy evaluator. */

// Loose views of the rendered objects: the schema check below is what vouches for their shape.
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};
export type Labels = Record<string, string>;

export const KUBECTL = process.env.KUBECTL || 'kubectl';

function runKubectl(args: string[]): string {
  const result = spawnSync(KUBECTL, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      `"${KUBECTL}" was not found: the deploy manifest checks need kubectl (>= 1.27, with its built-in kustomize v5) on PATH, ` +
        'or KUBECTL=/path/to/kubectl. Install the kubectl package of your distribution or of the Kubernetes apt repository.',
    );
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${KUBECTL} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** kubectl's client version and the kustomize built into it, e.g. { kubectl: 'v1.32.4', kustomize: 'v5.5.0' }. */
export function kubectlVersions(): { kubectl: string; kustomize: string } {
  const report = JSON.parse(runKubectl(['version', '--client', '-o', 'json']));
  return { kubectl: report.clientVersion?.gitVersion ?? '', kustomize: report.kustomizeVersion ?? '' };
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`YAML error: ${document.errors.map((e) => e.message).join('; ')}`);
      return document.toJS();
    })
    .filter((object) => object !== null && object !== undefined);
}

/** `kubectl kustomize DIR`, parsed. */
export function renderKustomization(dir: string): K8sObject[] {
  return parseObjects(runKubectl(['kustomize', dir]));
}

/**
 * An overlay with components added, the way an operator adds them to its kustomization
 * (kustomize accepts only relative paths, so the wrapper refers to them relatively).
 */
export function renderWithComponents(overlayDir: string, componentDirs: string[], namespace: string): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'passway-kustomize-'));
  try {
    const lines = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      `namespace: ${namespace}`,
      'resources:',
      `  - ${relative(dir, overlayDir)}`,
      'components:',
      ...componentDirs.map((component) => `  - ${relative(dir, component)}`),
    ];
    writeFileSync(join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
    return renderKustomization(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type ModelClass = { prototype: { validate(): void } };

/** apiVersion/kind → the kubernetes-models class whose JSON schema validates it. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

export const hasSchema = (object: K8sObject): boolean => `${object.apiVersion}/${object.kind}` in MODELS;

/**
 * Validates an object against its Kubernetes JSON schema, and also reports fields the schema
 * does not know (the schemas allow extra properties, so a typo such as readOnlyRootFileSystem
 * would otherwise pass and be dropped, or rejected by the API server's strict field validation).
 * Unknown fields are found by watching which properties the generated validator reads: a typed
 * struct has each known property read by name, a map (labels, data) is enumerated.
 */
export function schemaProblems(object: K8sObject): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) return [`no schema known for ${object.apiVersion} ${object.kind}`];
  const nodes: { path: string; value: object; read: Set<string>; enumerated: boolean }[] = [];
  const track = (value: any, path: string): any => {
    if (value === null || typeof value !== 'object') return value;
    const node = { path, value, read: new Set<string>(), enumerated: false };
    nodes.push(node);
    const children = new Map<string, any>();
    return new Proxy(value, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return child;
        node.read.add(key);
        if (child === null || typeof child !== 'object') return child;
        if (!children.has(key)) children.set(key, track(child, `${path}.${key}`));
        return children.get(key);
      },
      has(target, key) {
        if (typeof key === 'string') node.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        node.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  const problems: string[] = [];
  try {
    model.prototype.validate.call(track(object, ''));
  } catch (error) {
    problems.push((error as Error).message);
  }
  for (const node of nodes) {
    if (Array.isArray(node.value) || node.enumerated) continue;
    for (const key of Object.keys(node.value)) if (!node.read.has(key)) problems.push(`unknown field ${node.path || '(root)'}.${key}`);
  }
  return problems;
}

// ---------- label selectors and NetworkPolicies ----------

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = key in labels;
    if (operator === 'In' && !(present && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && present && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !present) return false;
    if (operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

/** Something that sends or receives traffic: a pod (namespace + labels + named ports) or an outside IP. */
export interface Endpoint {
  name: string;
  namespace?: string;
  namespaceLabels?: Labels;
  podLabels?: Labels;
  ports?: Record<string, number>;
  ip?: string;
}

export function podEndpoint(name: string, namespace: string, podLabels: Labels, ports: Record<string, number> = {}): Endpoint {
  return { name, namespace, namespaceLabels: { 'kubernetes.io/metadata.name': namespace }, podLabels, ports };
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const address = ipv4ToInt(ip);
  const network = ipv4ToInt(base);
  if (address === undefined || network === undefined) return false; // IPv6 blocks never match an IPv4 address
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (address & mask) >>> 0 === (network & mask) >>> 0;
}

function peerMatches(peer: any, endpoint: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    return Boolean(
      endpoint.ip &&
      inCidr(endpoint.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr: string) => inCidr(endpoint.ip!, cidr)),
    );
  }
  if (!endpoint.podLabels) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, endpoint.namespaceLabels ?? {})
    : endpoint.namespace === policyNamespace;
  return namespaceOk && selectorMatches(peer.podSelector, endpoint.podLabels);
}

function portMatches(rulePorts: any[] | undefined, destination: Endpoint, port: number, protocol: string): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    return typeof rule.port === 'number' ? rule.port === port : destination.ports?.[rule.port] === port;
  });
}

/** Whether NetworkPolicies let `from` open a connection to `to` on port/protocol (both directions checked). */
export function connectionAllowed(policies: K8sObject[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  const direction = (pod: Endpoint, type: 'Ingress' | 'Egress', peer: Endpoint): boolean => {
    if (!pod.podLabels || !pod.namespace) return true; // outside the cluster: no policy of ours applies
    const applying = policies.filter(
      (policy) =>
        policy.metadata.namespace === pod.namespace &&
        selectorMatches(policy.spec.podSelector, pod.podLabels!) &&
        (policy.spec.policyTypes ?? ['Ingress']).includes(type),
    );
    if (applying.length === 0) return true;
    return applying.some((policy) =>
      ((type === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? []).some((rule: any) => {
        const peers = type === 'Ingress' ? rule.from : rule.to;
        const peerOk = !peers || peers.length === 0 || peers.some((p: any) => peerMatches(p, peer, policy.metadata.namespace!));
        return peerOk && portMatches(rule.ports, to, port, protocol);
      }),
    );
  };
  return direction(from, 'Egress', to) && direction(to, 'Ingress', from);
}
