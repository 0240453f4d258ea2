import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(`property ${e.property} should not exist`) ? `unknown parameter ${prefix}${e.property}` : m,
    );
    return [...own, ...messages(e.children ?? [], `${prefix}${e.property}.`)];
  });
}

/** One pipe for every route: unknown fields are refused, values converted, errors made readable. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(messages(errors).join('; ')),
  });
}
