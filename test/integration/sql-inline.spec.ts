import fc from 'fast-check';
import { Client } from 'pg';
import { sql, statement } from '../../src/database/sql';

// A statement's values inlined as literals (Statement.inline, for several statements in one round
// trip) must read exactly as the same values bound as parameters. These tests run both on a real
// server and compare what comes back, for every type the inlined statements use.
describe('statements with their values inlined', () => {
  let client: Client;
  beforeAll(async () => {
    const url = process.env.TEST_PG_SERVER_URL;
    if (!url) throw new Error('the global test setup did not run');
    client = new Client({ connectionString: url });
    await client.connect();
  });
  afterAll(() => client.end());

  interface Values {
    texts: Array<string | null>;
    bodies: Buffer[];
    at: Date[];
    numbers: Array<number | null>;
    one: string;
    blob: Buffer;
  }
  const ECHO = statement<Values>(
    'test-inline-echo',
    (p) => sql`SELECT ${p.texts}::text[] AS texts, ${p.bodies}::bytea[] AS bodies, ${p.at}::timestamptz[] AS at,
                      ${p.numbers}::float8[] AS numbers, ${p.one}::text AS one, ${p.blob}::bytea AS blob`,
  );

  async function both(values: Values) {
    const bound = await client.query(ECHO.config(values));
    const inlined = await client.query(ECHO.inline(values, (v) => client.escapeLiteral(v)));
    return { bound: bound.rows[0] as unknown, inlined: inlined.rows[0] as unknown };
  }

  it('reads awkward text, bytes, times and numbers the same both ways', async () => {
    const values: Values = {
      texts: ["it's", 'back\\slash', 'a "quoted" {brace}, comma', 'NULL', '', null, 'ünïcødé ✓', '\t\n'],
      bodies: [Buffer.from([0, 1, 2, 255]), Buffer.alloc(0), Buffer.from('\\x41')],
      at: [new Date(0), new Date('2026-11-30T19:13:17.123Z')],
      numbers: [1.5, null, 1_732_999_999_123.25, -0, 1e-7],
      one: "O'Brien \\ done",
      blob: Buffer.from([0x5c, 0x27, 0x00]),
    };
    const { bound, inlined } = await both(values);
    expect(inlined).toEqual(bound);
    expect((bound as { texts: unknown[] }).texts).toEqual(values.texts);
  });

  it('holds for any text and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.option(
            fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')),
            { nil: null },
          ),
        ),
        fc.array(fc.uint8Array().map((a) => Buffer.from(a))),
        fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')),
        async (texts, bodies, one) => {
          const { bound, inlined } = await both({ texts, bodies, at: [], numbers: [], one, blob: Buffer.from(one) });
          expect(inlined).toEqual(bound);
        },
      ),
      { numRuns: 200 },
    );
  });
});
