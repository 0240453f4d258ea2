import { Injectable } from '@nestjs/common';
import fastJson from 'fast-json-stringify';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config';
import { responseSchema } from '../common/response-schema';
import { MetricsService } from '../metrics/metrics.service';
import { DrivePage } from './drives.dto';

/**
 * The drive page as JSON, written by a function compiled from the page's @ApiProperty declarations
 * (the OpenAPI document's): nothing undeclared leaves the service.
 */
export const renderDrivePage = fastJson(responseSchema(DrivePage) as unknown as Parameters<typeof fastJson>[0]) as (
  page: DrivePage,
) => string;

/** A rendered page and the ETag of the rows it was rendered from. */
export interface RenderedPage {
  etag: string;
  body: Buffer;
}

/**
 * Rendered drive pages, kept in memory and sent again only while their ETag is still the page's.
 *
 * The drive page is polled all day by consumers and dashboards that mostly find it unchanged. Its
 * ETag names the versions of every row the page is made of (page-versions.ts), and reading those
 * versions is one short statement that returns no drive columns. So a page asked for again is
 * checked with that statement and, when none of its rows changed, answered with the bytes rendered
 * last time: no page query, no rows parsed, no JSON written. When anything changed, by any write
 * path, the tag differs and the page is read and rendered afresh. The cache never serves a page
 * the database would not give now; it only saves building the same one again.
 *
 * A page found stale skips the check the next time it is asked for (that read goes straight to
 * the page query), so a page that changes before every read costs half a version check more per
 * read, not a whole one.
 *
 * Bounded by bytes (PAGE_CACHE_MB, least recently used out first; 0 turns it off), per process:
 * each replica keeps its own, each checked against the same database.
 */
@Injectable()
export class PageCache {
  private readonly pages: LRUCache<string, RenderedPage & { skipNextCheck: boolean }> | null;

  constructor(
    config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    const maxSize = config.PAGE_CACHE_MB * 1024 * 1024;
    this.pages =
      maxSize > 0 ? new LRUCache({ maxSize, sizeCalculation: (page, key) => page.body.length + key.length }) : null;
  }

  /**
   * The page kept under this key when it is worth checking; undefined when there is none, or when
   * it replaced one found stale (this read goes to the database, and the next one checks again).
   */
  candidate(key: string): RenderedPage | undefined {
    if (!this.pages) return undefined;
    const page = this.pages.get(key);
    if (!page || page.skipNextCheck) {
      if (page) page.skipNextCheck = false;
      this.metrics.pageCache.inc({ result: page ? 'skipped' : 'miss' });
      return undefined;
    }
    return page;
  }

  /** Counts the check of a candidate: `fresh` when its ETag was still the page's. */
  checked(fresh: boolean): void {
    this.metrics.pageCache.inc({ result: fresh ? 'hit' : 'stale' });
  }

  /** Keeps a page just rendered; `replacesStale` when it replaces one a check found stale. */
  keep(key: string, page: RenderedPage, replacesStale: boolean): void {
    this.pages?.set(key, { ...page, skipNextCheck: replacesStale });
  }
}
