import { clip, kindTitle, Notification, shownNumber, stateWord, summaryLine } from './notification';

/** Slack's limits for a message's blocks (Block Kit reference). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
};

const SEVERITY_WORDS = {
  critical: ':red_circle: Critical',
  warning: ':large_orange_circle: Warning',
  info: ':large_blue_circle: Info',
};

/** Slack reads `&`, `<` and `>` as markup (links, @channel): text from users is escaped. */
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An incoming-webhook message: `text` (the notification line, used for notifications and by
 * clients without blocks) and Block Kit `blocks` within Slack's limits.
 */
export function slackBody(n: Notification): Record<string, unknown> {
  const text = summaryLine(n);
  const a = n.alert;
  if (!a) {
    return {
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: esc(clip(text, SLACK_LIMITS.sectionText)) } }],
    };
  }
  const resolved = n.state === 'resolved';
  const headline = resolved
    ? `:white_check_mark: Resolved: ${kindTitle(a.kind)}`
    : `${stateWord(n) === 'FIRING' ? 'Firing' : 'Still firing'}: ${kindTitle(a.kind)}`;
  const fields = [
    `*Severity*\n${resolved ? `was ${n.severity}` : SEVERITY_WORDS[n.severity]}`,
    `*Task*\n${a.taskId ? esc(a.taskId) : 'the whole service'}`,
    `*Value*\n${shownNumber(a.value)}`,
    `*Threshold*\n${shownNumber(a.threshold)}`,
    `*Fired at*\n${a.firedAt}`,
    ...(a.resolvedAt ? [`*Resolved at*\n${a.resolvedAt}`] : []),
  ];
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: clip(headline, SLACK_LIMITS.headerText), emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(esc(text), SLACK_LIMITS.sectionText) },
      fields: fields
        .slice(0, SLACK_LIMITS.fields)
        .map((f) => ({ type: 'mrkdwn', text: clip(f, SLACK_LIMITS.fieldText) })),
    },
  ];
  const details = Object.entries(a.details);
  if (details.length) {
    const lines = details.map(([k, v]) => `• *${esc(k)}*: ${esc(typeof v === 'number' ? shownNumber(v) : String(v))}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), SLACK_LIMITS.sectionText) } });
  }
  const buttons = [
    ...(n.links.task ? [{ text: 'Open task', url: n.links.task }] : []),
    ...(n.links.alerts ? [{ text: 'Firing alerts', url: n.links.alerts }] : []),
  ];
  if (buttons.length) {
    blocks.push({
      type: 'actions',
      elements: buttons.map((b) => ({ type: 'button', text: { type: 'plain_text', text: b.text }, url: b.url })),
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `drive-status · alert ${a.id} · rule ${a.ruleId}` }],
  });
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
