import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { node, tracing } from '@opentelemetry/sdk-node';
import { Client, Pool } from 'pg';
import { nameStatementText } from '../../src/database/statement-names';
import { traceStatements } from '../../src/tracing/statement-spans';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * Database statement spans (src/tracing/statement-spans.ts) on a real PostgreSQL: the `pg` driver
 * wrapped as the service wraps it, spans kept in memory by the SDK's own processor.
 */
describe('statement spans', () => {
  let db: TestDatabase;
  let pool: Pool;
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  const tracer = () => trace.getTracer('test');

  beforeAll(async () => {
    provider.register();
    traceStatements(Client);
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await provider.shutdown();
  });

  beforeEach(() => exporter.reset());

  /** Runs `fn` inside a traced operation; returns its result and the operation's span id. */
  const traced = async <T>(fn: () => Promise<T>): Promise<{ result: T; parent: string }> => {
    const span = tracer().startSpan('operation');
    try {
      return {
        result: await context.with(trace.setSpan(context.active(), span), fn),
        parent: span.spanContext().spanId,
      };
    } finally {
      span.end();
    }
  };
  const statementSpans = () => exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);

  it('a statement outside any traced operation makes no span and answers as usual', async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT 1 + 1 AS n');
    expect(rows[0].n).toBe(2);
    expect(statementSpans()).toEqual([]);
  });

  it('with tracing suppressed (an unsampled request), or under a span that records nothing, no span either', async () => {
    await context.with(suppressTracing(ROOT_CONTEXT), async () => {
      await pool.query('SELECT 1');
      // The tracer makes a non-recording span here; a statement under it makes none.
      const unsampled = tracer().startSpan('unsampled');
      expect(unsampled.isRecording()).toBe(false);
      await context.with(trace.setSpan(context.active(), unsampled), () => pool.query('SELECT 2'));
      unsampled.end();
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('inside a traced operation: one CLIENT span under it, with the database conventions', async () => {
    const { result, parent } = await traced(() => pool.query<{ n: number }>('SELECT $1::int AS n', [7]));
    expect(result.rows[0].n).toBe(7);
    const spans = statementSpans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span.parentSpanContext?.spanId).toBe(parent);
    expect(span.name).toBe('SELECT');
    expect(span.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT $1::int AS n',
      'server.address': expect.any(String),
      'server.port': expect.any(Number),
      'db.namespace': expect.any(String),
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    // Its values are never in it.
    expect(Object.values(span.attributes)).not.toContain(7);
    expect(Object.values(span.attributes)).not.toContain('7');
  });

  it("one of the service's statements is named, its text left out", async () => {
    const text = `SELECT $1::text AS secretish /* ${Date.now()} */`;
    nameStatementText(text, 'test-named-statement');
    await traced(() => pool.query(text, ['task-that-must-not-show']));
    const [span] = statementSpans();
    expect(span.name).toBe('test-named-statement');
    expect(span.attributes['db.query.text']).toBe('/* test-named-statement */');
    expect(JSON.stringify([span.name, span.attributes, span.events, span.status])).not.toContain(
      'task-that-must-not-show',
    );
  });

  it('a failing statement: the caller gets its error, the span its SQLSTATE and an error status', async () => {
    await expect(traced(() => pool.query('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/);
    const [span] = statementSpans();
    expect(span.attributes['db.response.status_code']).toBe('42P01');
    expect(span.attributes['error.type']).toBe('42P01');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('the callback form is traced too, and its callback still runs', async () => {
    const client = await pool.connect();
    try {
      const n = await traced(
        () =>
          new Promise<number>((resolve, reject) =>
            client.query<{ n: number }>('SELECT 3 AS n', (err, res) => (err ? reject(err) : resolve(res.rows[0].n))),
          ),
      );
      expect(n.result).toBe(3);
    } finally {
      client.release();
    }
    expect(statementSpans()).toHaveLength(1);
    expect(statementSpans()[0].status.code).toBe(SpanStatusCode.UNSET);
  });
});
