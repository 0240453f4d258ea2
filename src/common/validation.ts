import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(`property ${e.property} should not exist`) ? `unknown parameter ${prefix}${e.property}` : m,
    );
    return [...own, ...messages(e.children ?? [], `${prefix}${e.property}.`)];
  });
}

/**
 * A check for a hot route's parameters that gives the same result as validating them with their
 * class (an instance of it), or undefined when it cannot tell: then the class is validated as usual,
 * so every refusal keeps its message. class-transformer and class-validator cost a read of the drive
 * page more than its SQL did (docs/performance.md).
 */
export type FastPath = (value: unknown) => object | undefined;
const FAST_PATHS = new Map<unknown, FastPath>();

/** Registers `check` as the fast path for parameters described by `metatype` (see FastPath). */
export function validatedFast(metatype: abstract new () => object, check: FastPath): void {
  FAST_PATHS.set(metatype, check);
}

/** A body described by a class must be a JSON object (an array would be validated element by element, deeply). */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const fast = FAST_PATHS.get(metadata.metatype)?.(value);
    if (fast !== undefined) return fast;
    const described =
      metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (described && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new BadRequestException('the body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

/** One pipe for every route: unknown fields are refused, values converted, errors made readable. */
export function validationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(messages(errors).join('; ')),
  });
}
