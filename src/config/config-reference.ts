import { SECRET_SETTINGS, SETTINGS } from './app-config';

/** How a default reads in the reference: unset, or the value as it would be written in .env. */
const shown = (value: string | number | boolean | undefined) => (value === undefined ? '' : String(value));

/** `[text](target)` to `text`: .env comments are plain text. */
const plain = (text: string) => text.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`/g, '');

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** docs/configuration.md, written by `npm run config:docs` from the settings table. */
export function renderConfigurationReference(): string {
  const rows = Object.entries(SETTINGS).map(([name, spec]) => {
    const value = shown(spec.default);
    const secret = SECRET_SETTINGS.has(name) ? ' Never logged or shown.' : '';
    return `| \`${name}\` | ${value === '' ? 'unset' : `\`${value}\``} | ${(spec.desc ?? '').replace(/\|/g, '\\|')}${secret} |`;
  });
  return [
    '# Configuration',
    '',
    '<!-- Generated from SETTINGS in src/config/app-config.ts by `npm run config:docs`; edit the table there. -->',
    '',
    'Environment variables, validated once at start. A bad value stops the start with a message that',
    'names the variable and the rule (never the value: some are secrets); an empty value counts as unset.',
    'Every variable, with its default, is also in `.env.example`.',
    '',
    '| name | default | meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
    'Rules across variables: `ZEGO_APP_ID` and `ZEGO_SERVER_SECRET` are set together or not at all;',
    'with ZEGO credentials or `NODE_ENV=production`, `API_KEYS` is required unless `API_OPEN=true`;',
    '`DATABASE_POOL_SIZE` must hold `GROUP_COMMIT_CONCURRENCY` + `REPORT_CONCURRENCY` + 4 connections.',
    '',
    'Migrations are applied at every start (and by the test setup); see',
    '[Migrations without internet](development.md#migrations-without-internet).',
    '',
  ].join('\n');
}

/** .env.example, written by `npm run config:docs` from the settings table. */
export function renderEnvExample(): string {
  const lines = [
    '# Every setting drive-status reads, with its default (generated from src/config/app-config.ts).',
    '# Copy to .env and change what you need; an empty value counts as unset.',
  ];
  for (const [name, spec] of Object.entries(SETTINGS)) {
    lines.push('', ...wrap(plain(spec.desc ?? ''), 98).map((l) => `# ${l}`), `${name}=${shown(spec.default)}`);
  }
  return lines.join('\n') + '\n';
}
