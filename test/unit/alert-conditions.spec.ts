import { createHmac } from 'node:crypto';
import {
  checkRuleSettings,
  leadingFailures,
  RuleSettings,
  shouldFire,
  shouldResolve,
} from '../../src/alerts/alert-conditions';
import { signWebhook, verifyWebhook } from '../../src/webhooks/webhook-signature';

const rule = (over: Partial<RuleSettings>): RuleSettings => ({
  kind: 'consecutive_failures',
  threshold: null,
  windowS: null,
  minSamples: null,
  thresholdS: null,
  ...over,
});

describe('alert conditions', () => {
  it('counts the failures at the head of the newest ended drives', () => {
    expect(leadingFailures([])).toBe(0);
    expect(leadingFailures([3, 3, 4, 3])).toBe(2);
    expect(leadingFailures([4, 3, 3])).toBe(0);
  });

  it('fires consecutive_failures at the threshold and resolves only after a finished drive', () => {
    const r = rule({ threshold: 3 });
    expect(shouldFire(r, { value: 2, anyEnded: true })).toBe(false);
    expect(shouldFire(r, { value: 3, anyEnded: true })).toBe(true);
    expect(shouldResolve(r, { value: 1, anyEnded: true })).toBe(false);
    expect(shouldResolve(r, { value: 0, anyEnded: true })).toBe(true);
  });

  it('needs minSamples to fire failure_rate and falls below 80 % of the threshold to resolve', () => {
    const r = rule({ kind: 'failure_rate', threshold: 0.5, minSamples: 10 });
    expect(shouldFire(r, { value: 1, samples: 9 })).toBe(false);
    expect(shouldFire(r, { value: 0.5, samples: 10 })).toBe(true);
    expect(shouldResolve(r, { value: 0.41, samples: 50 })).toBe(false);
    expect(shouldResolve(r, { value: 0.39, samples: 50 })).toBe(true);
  });

  it('resolves sync_lag below 80 % of its threshold', () => {
    const r = rule({ kind: 'sync_lag', thresholdS: 60 });
    expect(shouldFire(r, { value: 60 })).toBe(false);
    expect(shouldFire(r, { value: 61 })).toBe(true);
    expect(shouldResolve(r, { value: 50 })).toBe(false);
    expect(shouldResolve(r, { value: 47 })).toBe(true);
  });

  it('checks each kind’s settings, fills defaults and names every problem', () => {
    expect(checkRuleSettings('failure_rate', { threshold: 0.2 })).toEqual({
      ok: true,
      settings: { threshold: 0.2, windowS: 3600, minSamples: 10, thresholdS: null },
    });
    expect(checkRuleSettings('upstream', {})).toEqual({
      ok: true,
      settings: { threshold: null, windowS: null, minSamples: null, thresholdS: null },
    });
    const bad = checkRuleSettings('stuck_drive', { threshold: 2, thresholdS: 0.5 });
    expect(bad).toEqual({
      ok: false,
      problems: [
        'threshold does not apply to stuck_drive rules',
        'thresholdS must be a whole number from 1 to 604800 (seconds)',
      ],
    });
    expect(checkRuleSettings('failure_rate', { threshold: 0 })).toMatchObject({
      ok: false,
      problems: ['threshold must be a number above 0 to 1 (the failed share of ended drives)'],
    });
    expect(checkRuleSettings('upstream', { taskId: 't1' })).toMatchObject({ ok: false });
  });
});

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1","type":"webhook.test"}';

  it('is HMAC-SHA256 of "<t>.<body>" in hex', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, body, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies a fresh signature and refuses a changed body, another secret, an old one or garbage', () => {
    const now = 1_700_000_000;
    const header = signWebhook(secret, body, now);
    expect(verifyWebhook(secret, body, header, { nowS: now + 10 })).toBe(true);
    expect(verifyWebhook(secret, body + ' ', header, { nowS: now })).toBe(false);
    expect(verifyWebhook('whsec_other', body, header, { nowS: now })).toBe(false);
    expect(verifyWebhook(secret, body, header, { nowS: now + 301 })).toBe(false);
    for (const h of [undefined, '', 't=,v1=', 'v1=abc', `t=${now},v1=zz`, `t=1e9,v1=${'0'.repeat(64)}`]) {
      expect(verifyWebhook(secret, body, h, { nowS: now })).toBe(false);
    }
  });
});
