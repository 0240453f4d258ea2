import type { IncomingMessage } from 'node:http';
import { Attributes, Context, Link, propagation, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { ConfigError } from '../config/app-config';

type Sampler = tracing.Sampler;
type SamplingResult = tracing.SamplingResult;

/**
 * Sampling decided before any work is done for a request.
 *
 * An unsampled span still costs: it is an active parent, so the pg instrumentation wraps every
 * statement beneath it (requireParentSpan only skips statements with no span at all), and the
 * request's attributes are gathered for it. At one trace in ten, that work for the nine requests
 * nobody will see was most of tracing's cost. So the configured sampler is asked first, as the
 * request arrives (server-spans.ts): a request it would not sample runs with tracing suppressed
 * (no span anywhere beneath it, nothing for the pg, undici or the service's own spans to do), and
 * the one it would sample gets its server span.
 *
 * `HeadSampler` is the sampler the SDK itself uses: a server span reaching it has already been
 * chosen by `parentOf` (asking the ratio sampler again would sample one in a hundred); a span with
 * no parent that links to a sampled span (a group-commit batch carrying a traced callback) is
 * sampled, so that the link leads somewhere; everything else goes to the configured sampler.
 */
export class HeadSampler implements Sampler {
  private readonly ids = new tracing.RandomIdGenerator();

  constructor(private readonly configured: Sampler) {}

  /**
   * The context an incoming request's server span starts from (its caller's, when it sent a
   * traceparent), or undefined when the configured sampler would not keep the request.
   */
  parentOf(req: IncomingMessage): Context | undefined {
    const parentContext = propagation.extract(ROOT_CONTEXT, req.headers);
    const traceId = trace.getSpanContext(parentContext)?.traceId ?? this.ids.generateTraceId();
    const { decision } = this.configured.shouldSample(
      parentContext,
      traceId,
      req.method ?? 'GET',
      SpanKind.SERVER,
      {},
      [],
    );
    return decision === tracing.SamplingDecision.NOT_RECORD ? undefined : parentContext;
  }

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (!parent || parent.isRemote) {
      if (kind === SpanKind.SERVER) return { decision: tracing.SamplingDecision.RECORD_AND_SAMPLED };
      if (!parent && links.some((l) => (l.context.traceFlags & TraceFlags.SAMPLED) !== 0)) {
        return { decision: tracing.SamplingDecision.RECORD_AND_SAMPLED };
      }
    }
    return this.configured.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `HeadSampler{${this.configured.toString()}}`;
  }
}

/**
 * The sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG name (the values the specification
 * lists for the SDK; the SDK's own reader is not exported). An unknown name or a ratio outside
 * [0, 1] stops the start-up with a message, where the SDK would log nothing and trace everything.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? '').trim();
  const ratio = (): number => {
    const arg = (env.OTEL_TRACES_SAMPLER_ARG ?? '').trim();
    const value = arg === '' ? 1 : Number(arg);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 for ${name}, got "${arg}"`);
    }
    return value;
  };
  const parentBased = (root: Sampler): Sampler => new tracing.ParentBasedSampler({ root });
  switch (name) {
    case 'always_on':
      return new tracing.AlwaysOnSampler();
    case 'always_off':
      return new tracing.AlwaysOffSampler();
    case 'traceidratio':
      return new tracing.TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_on':
      return parentBased(new tracing.AlwaysOnSampler());
    case 'parentbased_always_off':
      return parentBased(new tracing.AlwaysOffSampler());
    case 'parentbased_traceidratio':
      return parentBased(new tracing.TraceIdRatioBasedSampler(ratio()));
    default:
      throw new ConfigError(
        `OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio; got "${name}"`,
      );
  }
}
