import type { IncomingMessage } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { core, tracing } from '@opentelemetry/sdk-node';
import { ConfigError } from '../../src/config/app-config';
import { HeadSampler, samplerFromEnv } from '../../src/tracing/sampling';

const { RECORD_AND_SAMPLED, NOT_RECORD } = tracing.SamplingDecision;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

function request(headers: Record<string, string> = {}): IncomingMessage {
  return { method: 'GET', url: '/tasks/t/drives', headers } as unknown as IncomingMessage;
}
const traceparent = (sampled: boolean) => ({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-${sampled ? '01' : '00'}` });
const spanContext = (flags: TraceFlags) => ({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: flags });

describe('sampling decided before any work is done for a request (HeadSampler)', () => {
  beforeAll(() => propagation.setGlobalPropagator(new core.W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  describe('parentOf: what the configured sampler would not keep is left alone', () => {
    const skipped = (sampler: HeadSampler, req: ReturnType<typeof request>) => sampler.parentOf(req) === undefined;

    it('parent-based: follows the caller’s traceparent, and the root sampler without one', () => {
      const off = new HeadSampler(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }));
      expect(skipped(off, request())).toBe(true);
      expect(skipped(off, request(traceparent(true)))).toBe(false);
      expect(skipped(off, request(traceparent(false)))).toBe(true);
      const on = new HeadSampler(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }));
      expect(skipped(on, request())).toBe(false);
      expect(skipped(on, request(traceparent(false)))).toBe(true);
    });

    it('a kept request starts from its caller’s span when it sent one, from the root otherwise', () => {
      const on = new HeadSampler(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }));
      const remote = trace.getSpanContext(on.parentOf(request(traceparent(true)))!);
      expect(remote).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
      expect(trace.getSpanContext(on.parentOf(request())!)).toBeUndefined();
    });

    it('a ratio keeps about that share of new traces (one in ten: not one in a hundred, not all)', () => {
      const sampler = new HeadSampler(
        samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
      );
      let kept = 0;
      for (let i = 0; i < 4000; i++) if (!skipped(sampler, request())) kept += 1;
      // Binomial(4000, 0.1): mean 400, standard deviation 19.
      expect(kept).toBeGreaterThan(300);
      expect(kept).toBeLessThan(500);
    });
  });

  describe('shouldSample: the SDK’s own decisions', () => {
    const sampler = new HeadSampler(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }));
    const decide = (
      ctx = ROOT_CONTEXT,
      kind = SpanKind.INTERNAL,
      links: Array<{ context: ReturnType<typeof spanContext> }> = [],
    ) => sampler.shouldSample(ctx, TRACE_ID, 'x', kind, {}, links).decision;

    it('a server span has already been chosen by parentOf: it is kept, with or without a remote parent', () => {
      expect(decide(ROOT_CONTEXT, SpanKind.SERVER)).toBe(RECORD_AND_SAMPLED);
      const remote = trace.setSpanContext(ROOT_CONTEXT, { ...spanContext(TraceFlags.SAMPLED), isRemote: true });
      expect(decide(remote, SpanKind.SERVER)).toBe(RECORD_AND_SAMPLED);
    });

    it('a new trace linked to a sampled span is kept (a batch that carried a traced callback); otherwise the configured sampler decides', () => {
      expect(decide(ROOT_CONTEXT, SpanKind.INTERNAL, [{ context: spanContext(TraceFlags.SAMPLED) }])).toBe(
        RECORD_AND_SAMPLED,
      );
      expect(decide(ROOT_CONTEXT, SpanKind.INTERNAL, [{ context: spanContext(TraceFlags.NONE) }])).toBe(NOT_RECORD);
      expect(decide()).toBe(NOT_RECORD);
    });

    it('a child follows its parent (parent-based), whatever its kind or links', () => {
      const sampledParent = trace.setSpanContext(context.active(), spanContext(TraceFlags.SAMPLED));
      const unsampledParent = trace.setSpanContext(context.active(), spanContext(TraceFlags.NONE));
      expect(decide(sampledParent)).toBe(RECORD_AND_SAMPLED);
      expect(decide(unsampledParent, SpanKind.SERVER, [{ context: spanContext(TraceFlags.SAMPLED) }])).toBe(NOT_RECORD);
    });
  });

  describe('samplerFromEnv: the standard OTEL_TRACES_SAMPLER values', () => {
    it.each([
      ['always_on', undefined, 'AlwaysOnSampler'],
      ['always_off', undefined, 'AlwaysOffSampler'],
      ['traceidratio', '0.25', 'TraceIdRatioBased{0.25}'],
      ['parentbased_always_on', undefined, 'ParentBased{root=AlwaysOnSampler'],
      ['parentbased_always_off', undefined, 'ParentBased{root=AlwaysOffSampler'],
      ['parentbased_traceidratio', '0.1', 'ParentBased{root=TraceIdRatioBased{0.1}'],
    ])('%s', (name, arg, described) => {
      expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: arg }).toString()).toContain(
        described,
      );
    });

    it('an unknown sampler or a ratio outside [0, 1] is refused with the variable named', () => {
      expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(ConfigError);
      expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER must be one of/);
      expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '10' })).toThrow(
        /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/,
      );
      expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' })).toThrow(
        ConfigError,
      );
    });
  });
});
