/**
 * What each tool accepts, written from its own documentation (Slack Block Kit reference, Teams
 * Workflows webhooks with Adaptive Cards, PagerDuty Events API v2, Alertmanager API v2). A local
 * receiver answers 400 with these problems, as the tool would, and tests assert there are none.
 * Each returns the list of problems (empty: accepted).
 */
type Json = any;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function text(v: Json, where: string, max: number, problems: string[], types = ['plain_text', 'mrkdwn']): void {
  if (!isObject(v)) return void problems.push(`${where}: a text object is required`);
  if (!types.includes(v.type as string)) problems.push(`${where}.type must be one of ${types.join(', ')}`);
  if (typeof v.text !== 'string' || !v.text.length) problems.push(`${where}.text is required`);
  else if (v.text.length > max) problems.push(`${where}.text is ${v.text.length} characters (max ${max})`);
}

/** Slack incoming webhook with Block Kit. */
export function slackProblems(body: Json): string[] {
  const p: string[] = [];
  if (!isObject(body)) return ['the body must be a JSON object'];
  if (typeof body.text !== 'string' || !body.text) p.push('text is required (notifications and fallback)');
  if (!Array.isArray(body.blocks)) return [...p, 'blocks must be an array'];
  if (body.blocks.length > 50) p.push(`${body.blocks.length} blocks (max 50)`);
  body.blocks.forEach((b: Json, i: number) => {
    const w = `blocks[${i}]`;
    switch (b?.type) {
      case 'header':
        text(b.text, `${w}.text`, 150, p, ['plain_text']);
        break;
      case 'section':
        if (!b.text && !b.fields) p.push(`${w}: section needs text or fields`);
        if (b.text) text(b.text, `${w}.text`, 3000, p);
        if (b.fields) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) p.push(`${w}.fields: at most 10`);
          else b.fields.forEach((f: Json, j: number) => text(f, `${w}.fields[${j}]`, 2000, p));
        }
        break;
      case 'context':
        if (!Array.isArray(b.elements) || !b.elements.length || b.elements.length > 10)
          p.push(`${w}.elements: 1 to 10`);
        else b.elements.forEach((e: Json, j: number) => text(e, `${w}.elements[${j}]`, 3000, p));
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || !b.elements.length || b.elements.length > 25)
          p.push(`${w}.elements: 1 to 25`);
        else
          b.elements.forEach((e: Json, j: number) => {
            if (e.type !== 'button') p.push(`${w}.elements[${j}]: only buttons expected`);
            text(e.text, `${w}.elements[${j}].text`, 75, p, ['plain_text']);
            if (
              e.url !== undefined &&
              (typeof e.url !== 'string' || e.url.length > 3000 || !/^https?:\/\//.test(e.url))
            )
              p.push(`${w}.elements[${j}].url must be an http(s) URL of at most 3000 characters`);
          });
        break;
      case 'divider':
        break;
      default:
        p.push(`${w}.type ${String(b?.type)} is not a block type this check knows`);
    }
  });
  return p;
}

/** Teams Workflows webhook: a message with an Adaptive Card attachment. */
export function teamsProblems(body: Json, raw: string): string[] {
  const p: string[] = [];
  if (!isObject(body)) return ['the body must be a JSON object'];
  if (Buffer.byteLength(raw) > 28 * 1024) p.push('messages are limited to 28 KB');
  if (body.type !== 'message') p.push('type must be "message"');
  if (!Array.isArray(body.attachments) || !body.attachments.length)
    return [...p, 'attachments must be a non-empty array'];
  body.attachments.forEach((a: Json, i: number) => {
    const w = `attachments[${i}]`;
    if (a?.contentType !== 'application/vnd.microsoft.card.adaptive')
      p.push(`${w}.contentType must be application/vnd.microsoft.card.adaptive`);
    const c = a?.content;
    if (!isObject(c)) return void p.push(`${w}.content must be an object`);
    if (c.type !== 'AdaptiveCard') p.push(`${w}.content.type must be AdaptiveCard`);
    if (typeof c.version !== 'string' || !/^1\.\d+$/.test(c.version)) p.push(`${w}.content.version must be 1.x`);
    if (!Array.isArray(c.body) || !c.body.length) p.push(`${w}.content.body must be a non-empty array`);
    else
      c.body.forEach((el: Json, j: number) => {
        if (el.type === 'TextBlock' && (typeof el.text !== 'string' || !el.text))
          p.push(`${w}.content.body[${j}].text is required`);
        else if (el.type === 'FactSet') {
          if (!Array.isArray(el.facts)) p.push(`${w}.content.body[${j}].facts must be an array`);
          else
            el.facts.forEach((f: Json, k: number) => {
              if (typeof f.title !== 'string' || typeof f.value !== 'string')
                p.push(`${w}.content.body[${j}].facts[${k}] needs title and value text`);
            });
        } else if (!['TextBlock', 'FactSet'].includes(el.type))
          p.push(`${w}.content.body[${j}].type ${String(el.type)} unexpected`);
      });
    for (const [j, act] of ((c.actions as Json[]) ?? []).entries()) {
      if (act.type !== 'Action.OpenUrl' || typeof act.url !== 'string' || typeof act.title !== 'string')
        p.push(`${w}.content.actions[${j}] must be an Action.OpenUrl with title and url`);
    }
  });
  return p;
}

/** PagerDuty Events API v2 (an alert event). */
export function pagerDutyProblems(body: Json): string[] {
  const p: string[] = [];
  if (!isObject(body)) return ['the body must be a JSON object'];
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32)
    p.push('routing_key must be the 32-character integration key');
  if (!['trigger', 'acknowledge', 'resolve'].includes(body.event_action as string))
    p.push('event_action must be trigger, acknowledge or resolve');
  if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255))
    p.push('dedup_key must be text of at most 255 characters');
  if (body.event_action !== 'trigger' && !body.dedup_key) p.push('dedup_key is required to acknowledge or resolve');
  if (body.event_action === 'trigger') {
    const pl = body.payload;
    if (!isObject(pl)) return [...p, 'payload is required for trigger'];
    if (typeof pl.summary !== 'string' || !pl.summary) p.push('payload.summary is required');
    else if (pl.summary.length > 1024) p.push(`payload.summary is ${pl.summary.length} characters (max 1024)`);
    if (typeof pl.source !== 'string' || !pl.source) p.push('payload.source is required');
    if (!['critical', 'error', 'warning', 'info'].includes(pl.severity as string))
      p.push('payload.severity must be critical, error, warning or info');
    if (pl.timestamp !== undefined && (typeof pl.timestamp !== 'string' || !RFC3339.test(pl.timestamp)))
      p.push('payload.timestamp must be ISO 8601');
    if (pl.custom_details !== undefined && !isObject(pl.custom_details))
      p.push('payload.custom_details must be an object');
  }
  if (body.links !== undefined) {
    if (!Array.isArray(body.links)) p.push('links must be an array');
    else
      body.links.forEach((l: Json, i: number) => {
        if (typeof l?.href !== 'string' || !/^https?:\/\//.test(l.href)) p.push(`links[${i}].href must be a URL`);
      });
  }
  return p;
}

/** Alertmanager API v2, POST /api/v2/alerts. */
export function alertmanagerProblems(body: Json, path: string): string[] {
  const p: string[] = [];
  if (!path.endsWith('/api/v2/alerts')) p.push(`POST to ${path}: alerts go to /api/v2/alerts`);
  if (!Array.isArray(body) || !body.length) return [...p, 'the body must be a non-empty array of alerts'];
  const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
  body.forEach((a: Json, i: number) => {
    const w = `[${i}]`;
    if (!isObject(a?.labels)) return void p.push(`${w}.labels is required`);
    if (typeof a.labels.alertname !== 'string' || !a.labels.alertname) p.push(`${w}.labels.alertname is required`);
    for (const [k, v] of Object.entries(a.labels)) {
      if (!LABEL.test(k)) p.push(`${w}.labels: ${k} is not a valid label name`);
      if (typeof v !== 'string' || !v) p.push(`${w}.labels.${k} must be non-empty text`);
    }
    for (const [k, v] of Object.entries((a.annotations as Record<string, unknown>) ?? {})) {
      if (!LABEL.test(k)) p.push(`${w}.annotations: ${k} is not a valid name`);
      if (typeof v !== 'string') p.push(`${w}.annotations.${k} must be text`);
    }
    for (const f of ['startsAt', 'endsAt']) {
      if (a[f] !== undefined && !RFC3339.test(String(a[f]))) p.push(`${w}.${f} must be RFC 3339`);
    }
    if (a.startsAt && a.endsAt && Date.parse(a.endsAt) < Date.parse(a.startsAt))
      p.push(`${w}.endsAt is before startsAt`);
    if (a.generatorURL !== undefined) {
      try {
        new URL(a.generatorURL);
      } catch {
        p.push(`${w}.generatorURL must be a URL`);
      }
    }
  });
  return p;
}
