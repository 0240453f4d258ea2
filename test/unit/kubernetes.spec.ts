import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AppConfig, loadConfig } from '../../src/config/app-config';

const root = join(__dirname, '..', '..');
const base = join(root, 'deploy', 'kubernetes');

type Doc = Record<string, any>;

/** Every object of a kustomization (its resources, recursively), as kustomize would gather them. */
function kustomize(dir: string): Doc[] {
  const k = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0].toJS() as Doc;
  return (k.resources as string[]).flatMap((r) => {
    const path = join(dir, r);
    if (existsSync(join(path, 'kustomization.yaml'))) return kustomize(path);
    return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Doc);
  });
}

const readYaml = (path: string) => parseAllDocuments(readFileSync(path, 'utf8'))[0].toJS() as Doc;
const one = (docs: Doc[], kind: string) => {
  const found = docs.filter((d) => d.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

const envExample = readFileSync(join(root, '.env.example'), 'utf8')
  .split('\n')
  .filter((l) => /^[A-Z_]+=/.test(l))
  .map((l) => l.split('=')[0]);
const openapi = JSON.parse(readFileSync(join(root, 'openapi.json'), 'utf8')) as { paths: Record<string, object> };
const defaults = new AppConfig();

describe('deploy/kubernetes (kustomize base) agrees with the service', () => {
  const docs = kustomize(base);
  const deployment = one(docs, 'Deployment');
  const configMap = one(docs, 'ConfigMap');
  const service = one(docs, 'Service');
  const pdb = one(docs, 'PodDisruptionBudget');
  const secret = readYaml(join(base, 'secret.example.yaml'));
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const port = (name: string | number) =>
    typeof name === 'number' ? name : container.ports.find((p: Doc) => p.name === name)?.containerPort;

  it('every file the kustomization names exists; the example Secret is not applied with it', () => {
    expect(docs.every((d) => d.apiVersion && d.kind && d.metadata?.name)).toBe(true);
    expect(docs.some((d) => d.kind === 'Secret')).toBe(false);
    expect(secret.kind).toBe('Secret');
  });

  it('runs 2+ replicas, rolls without losing capacity, and a disruption budget keeps one', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const labels = deployment.spec.template.metadata.labels;
    for (const selector of [deployment.spec.selector.matchLabels, pdb.spec.selector.matchLabels, service.spec.selector])
      expect(labels).toMatchObject(selector);
  });

  it('probes are real GET routes (the OpenAPI document lists them) on the port the service listens on', () => {
    const probes = { readinessProbe: '/health/ready', livenessProbe: '/health/live', startupProbe: undefined };
    for (const [probe, expected] of Object.entries(probes)) {
      const get = container[probe]?.httpGet;
      expect(get).toBeDefined();
      if (expected) expect(get.path).toBe(expected);
      expect(openapi.paths[get.path]).toHaveProperty('get');
      expect(port(get.port)).toBe(defaults.PORT);
    }
    expect(port('http')).toBe(Number(configMap.data.PORT ?? defaults.PORT));
    expect(port(service.spec.ports[0].targetPort)).toBe(defaults.PORT);
  });

  it('sets only variables of .env.example, and what it sets (with the example Secret) is a valid configuration', () => {
    const set = [
      ...Object.keys(configMap.data),
      ...Object.keys(secret.stringData),
      ...(container.env ?? []).map((e: Doc) => e.name),
    ];
    for (const name of set) expect(envExample).toContain(name);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
    expect(() => loadConfig({ ...configMap.data, ...secret.stringData })).not.toThrow();
    // Secrets stay in the Secret.
    for (const name of ['DATABASE_URL', 'ZEGO_SERVER_SECRET', 'ZEGO_CALLBACK_SECRET', 'API_KEYS'])
      expect(configMap.data).not.toHaveProperty(name);
  });

  it('gives a stopping pod more time than its pause plus the shutdown time-out', () => {
    const pause = container.lifecycle?.preStop?.exec?.command ?? [];
    const pauseS = pause[0] === 'sleep' ? Number(pause[1]) : 0;
    const shutdownS = Number(configMap.data.SHUTDOWN_TIMEOUT_MS ?? defaults.SHUTDOWN_TIMEOUT_MS) / 1000;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pauseS + shutdownS);
  });

  it('runs as non-root on a read-only root filesystem, with requests and limits', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // The writable places are emptyDir volumes.
    const volumes = new Map(pod.volumes.map((v: Doc) => [v.name, v]));
    for (const mount of container.volumeMounts) expect(volumes.get(mount.name)).toHaveProperty('emptyDir');
    expect(container.volumeMounts.map((m: Doc) => m.mountPath)).toContain('/tmp');
    for (const kind of ['requests', 'limits'])
      expect(Object.keys(container.resources[kind]).sort()).toEqual(['cpu', 'memory']);
  });

  it('the optional ServiceMonitor scrapes the real metrics route on the Service port, with a key', () => {
    const dir = join(base, 'components', 'service-monitor');
    const component = readYaml(join(dir, 'kustomization.yaml'));
    expect(component.kind).toBe('Component');
    const monitor = one(
      (component.resources as string[]).map((r) => readYaml(join(dirname(join(dir, 'x')), r))),
      'ServiceMonitor',
    );
    const endpoint = monitor.spec.endpoints[0];
    expect(openapi.paths[endpoint.path]).toHaveProperty('get');
    expect(service.spec.ports.map((p: Doc) => p.name)).toContain(endpoint.port);
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    const keySecret = readYaml(join(dir, 'secret.example.yaml'));
    expect(keySecret.metadata.name).toBe(endpoint.authorization.credentials.name);
    expect(keySecret.stringData).toHaveProperty(endpoint.authorization.credentials.key);
  });
});
