import fc from 'fast-check';
import { Client } from 'pg';
import { ISO_TIMESTAMPS, isoFromTimestamptz } from '../../src/database/iso-timestamps';

// The drive pages print PostgreSQL's timestamps without building Dates. These tests hold that
// shortcut to the slow path's answer (pg's parser, then Date#toISOString) on a real server, in
// UTC sessions (the shortcut) and in other time zones (the fallback).
describe('ISO timestamps straight from PostgreSQL', () => {
  const serverUrl = () => {
    const url = process.env.TEST_PG_SERVER_URL;
    if (!url) throw new Error('the global test setup did not run');
    return url;
  };

  async function both(timeZone: string, values: string[]): Promise<Array<{ fast: string; slow: string }>> {
    const client = new Client({ connectionString: serverUrl(), options: `-c TimeZone=${timeZone}` });
    await client.connect();
    try {
      const text = `SELECT v::timestamptz AS t FROM unnest($1::text[]) AS v`;
      const fast = await client.query<{ t: string }>({ text, values: [values], types: ISO_TIMESTAMPS });
      const slow = await client.query<{ t: Date }>({ text, values: [values] });
      return fast.rows.map((r, i) => ({ fast: r.t, slow: slow.rows[i].t.toISOString() }));
    } finally {
      await client.end();
    }
  }

  const edges = [
    '2026-11-24 13:17:45+00',
    '2026-11-24 13:17:45.1+00',
    '2026-11-24 13:17:45.12+00',
    '2026-11-24 13:17:45.123+00',
    '2026-11-24 13:17:45.123456+00',
    '2026-11-24 13:17:45.999999+00',
    '1970-01-01 00:00:00+00',
    '1969-12-31 23:59:59.999+00',
    '0001-01-01 00:00:00+00',
    '9999-12-31 23:59:59.999+00',
    '2024-02-29 12:00:00.5+05:30',
    '2026-03-29 01:30:00+00',
  ];

  it.each(['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Europe/Berlin'])(
    'gives the same strings as the Date path in time zone %s',
    async (zone) => {
      for (const { fast, slow } of await both(zone, edges)) expect(fast).toBe(slow);
    },
  );

  it('agrees with the Date path on random instants, in UTC and elsewhere', async () => {
    const instants = fc.sample(
      fc.date({
        min: new Date('0100-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      }),
      400,
    );
    const values = instants.map((d) => d.toISOString());
    for (const zone of ['UTC', 'Pacific/Chatham']) {
      const rows = await both(zone, values);
      rows.forEach(({ fast, slow }, i) => {
        expect(fast).toBe(slow);
        expect(fast).toBe(values[i]);
      });
    }
  });

  it('falls back for forms the shortcut does not take', () => {
    expect(isoFromTimestamptz('2026-11-24 13:17:45.25+00')).toBe('2026-11-24T13:17:45.250Z');
    expect(isoFromTimestamptz('2026-11-24 13:17:45+01')).toBe('2026-11-24T12:17:45.000Z');
    expect(isoFromTimestamptz('12026-11-24 13:17:45+00')).toBe(
      new Date(Date.UTC(12026, 10, 24, 13, 17, 45)).toISOString(),
    );
    expect(isoFromTimestamptz('0044-03-15 12:00:00+00 BC')).toBe(new Date(Date.UTC(-43, 2, 15, 12)).toISOString());
  });
});
