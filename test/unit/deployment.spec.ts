import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AppConfig } from '../../src/config/app-config';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const variables = Object.keys(new AppConfig()).sort();

describe('deployment files agree with the configuration schema', () => {
  const compose = parse(read('docker-compose.yml'));

  it('compose: PostgreSQL with a volume and a health check; the service waits for it', () => {
    const pg = compose.services.postgres;
    expect(pg.image).toMatch(/^postgres:/);
    expect(pg.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(pg.volumes[0]).toMatch(/^pgdata:/);
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    const app = compose.services['drive-status'];
    expect(app.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.simulator.profiles).toEqual(['demo']);
  });

  it('compose: the service port matches PORT and every variable it sets exists', () => {
    const app = compose.services['drive-status'];
    expect(app.ports[0]).toMatch(new RegExp(`:${app.environment.PORT}$`));
    for (const name of Object.keys(app.environment)) expect(variables).toContain(name);
    const db = String(app.environment.DATABASE_URL);
    expect(db).toContain(`@postgres:5432/${compose.services.postgres.environment.POSTGRES_DB}`);
  });

  it('.env.example lists every variable, and only those', () => {
    const listed = read('.env.example')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0])
      .sort();
    expect(listed).toEqual(variables);
  });

  it('.env.example defaults are the schema defaults', () => {
    const defaults = new AppConfig() as unknown as Record<string, unknown>;
    for (const line of read('.env.example')
      .split('\n')
      .filter((l) => /^[A-Z_]+=./.test(l))) {
      const [name, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
      expect(String(defaults[name])).toBe(value);
    }
  });

  it('Dockerfile builds in stages and runs as a non-root user with production dependencies only', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    // Dev dependencies and the devOptional packages npm would keep with --omit=dev alone.
    expect(dockerfile).toMatch(/npm ci --omit=dev --omit=optional/);
    expect(dockerfile).toMatch(/^USER (?!root)\w+/m);
    // The embedded database's folder belongs to that user.
    const user = /^USER (\w+)/m.exec(dockerfile)![1];
    expect(dockerfile).toMatch(new RegExp(`chown ${user}:${user} /app/.data`));
  });

  it('targets Node 24 LTS: the image, .nvmrc and the engines range (which still admits this machine)', () => {
    for (const from of read('Dockerfile').match(/^FROM \S+/gm)!) expect(from).toMatch(/^FROM node:24-/);
    expect(read('.nvmrc').trim()).toBe('24');
    const engines: string = JSON.parse(read('package.json')).engines.node;
    expect(engines).toContain('>=24');
    expect(engines).toContain('^20.19.0');
  });

  it('the image checks its own health and never receives a .env file', () => {
    expect(read('Dockerfile')).toMatch(/^HEALTHCHECK .*\/health\/live/ms);
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toContain('.env');
    expect(ignored).toContain('.env.*');
  });

  it('compose: passes every variable of .env.example, reads an optional .env, publishes on 127.0.0.1', () => {
    const app = compose.services['drive-status'];
    const listed = read('.env.example')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0]);
    expect(Object.keys(app.environment).sort()).toEqual([...listed].sort());
    expect(app.env_file).toEqual([{ path: '.env', required: false }]);
    expect(app.ports[0]).toMatch(/^\$\{BIND_ADDRESS:-127\.0\.0\.1\}:/);
  });

  it('the container starts the service with the same Node flags as npm start (which the benchmarks use)', () => {
    const start: string = JSON.parse(read('package.json')).scripts.start;
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    expect(cmd).not.toBeNull();
    expect(`exec ${(JSON.parse(cmd![1]) as string[]).join(' ')}`).toBe(start);
  });
});
