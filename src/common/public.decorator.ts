import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'drive-status:public';

/** Marks a controller or route that needs no API key (health checks; signed ZEGO callbacks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
