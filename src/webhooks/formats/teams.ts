import { clip, kindTitle, Notification, shownNumber, stateWord, summaryLine } from './notification';

const COLORS = { critical: 'Attention', warning: 'Warning', info: 'Accent' } as const;
/** Teams refuses messages past about 28 KB; a card's texts are kept well below that. */
const MAX_TEXT = 2000;

/**
 * A message for a Teams Workflows webhook ("When a Teams webhook request is received"): one
 * Adaptive Card attachment that shows the alert, its facts and links.
 */
export function teamsBody(n: Notification): Record<string, unknown> {
  const a = n.alert;
  const resolved = n.state === 'resolved';
  const title = a ? `${stateWord(n)}: ${kindTitle(a.kind)}` : 'drive-status test notification';
  const facts = a
    ? [
        { title: 'Severity', value: resolved ? `${n.severity} (resolved)` : n.severity },
        { title: 'Task', value: a.taskId ?? 'the whole service' },
        { title: 'Value', value: shownNumber(a.value) },
        { title: 'Threshold', value: shownNumber(a.threshold) },
        { title: 'Fired at', value: a.firedAt },
        ...(a.resolvedAt ? [{ title: 'Resolved at', value: a.resolvedAt }] : []),
        ...Object.entries(a.details).map(([k, v]) => ({
          title: k,
          value: typeof v === 'number' ? shownNumber(v) : String(v),
        })),
      ].map((f) => ({ title: clip(f.title, 100), value: clip(f.value, MAX_TEXT) }))
    : [];
  const actions = [
    ...(n.links.task ? [{ type: 'Action.OpenUrl', title: 'Open task', url: n.links.task }] : []),
    ...(n.links.alerts ? [{ type: 'Action.OpenUrl', title: 'Firing alerts', url: n.links.alerts }] : []),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: clip(title, 200),
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              color: resolved ? 'Good' : COLORS[n.severity],
            },
            { type: 'TextBlock', text: clip(summaryLine(n), MAX_TEXT), wrap: true },
            ...(facts.length ? [{ type: 'FactSet', facts }] : []),
          ],
          ...(actions.length ? { actions } : {}),
        },
      },
    ],
  };
}
