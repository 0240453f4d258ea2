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

/** The longest a page keeps being read without a check after its checks kept finding it stale, ms. */
const MAX_CHECK_PAUSE_MS = 1000;
/** The pause after one stale check, ms; doubled with each stale check in a row. */
const FIRST_CHECK_PAUSE_MS = 10;

/** How the checks of the page kept under one key have been going. */
interface CheckRecord {
  /** Checks in a row that found the page changed. */
  staleStreak: number;
  /** Until then (ms since the epoch), reads of this page skip the check and read it afresh. */
  checkAfter: number;
}

/** A kept page and its key's check record (which outlives the page: see keep()). */
export interface KeptPage {
  page: RenderedPage;
  checks: CheckRecord;
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
 * A check that finds the page changed is wasted work, so a page whose checks keep finding it
 * changed (a task busy with drives) is read afresh without one for a while: 10 ms after one stale
 * check, doubling with each stale check in a row up to a second; a check that finds the page
 * unchanged ends the pause. Skipping a check is always safe: it only means reading the page.
 *
 * Bounded by bytes (PAGE_CACHE_MB, least recently used out first; 0 turns it off), per process:
 * each replica keeps its own, each checked against the same database.
 */
@Injectable()
export class PageCache {
  private readonly pages: LRUCache<string, KeptPage> | null;
  /** The clock (tests set their own). */
  clock: () => number = Date.now;

  constructor(
    config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    const maxSize = config.PAGE_CACHE_MB * 1024 * 1024;
    this.pages =
      maxSize > 0
        ? new LRUCache({ maxSize, sizeCalculation: (kept, key) => kept.page.body.length + key.length })
        : null;
  }

  /**
   * The page kept under this key when it is worth checking; undefined when there is none, or while
   * its checks are paused (this read goes to the database).
   */
  candidate(key: string): KeptPage | undefined {
    if (!this.pages) return undefined;
    const kept = this.pages.get(key);
    if (!kept || this.clock() < kept.checks.checkAfter) {
      this.metrics.pageCache.inc({ result: kept ? 'skipped' : 'miss' });
      return undefined;
    }
    return kept;
  }

  /** The outcome of checking a candidate: `fresh` when its ETag was still the page's. */
  checked(kept: KeptPage, fresh: boolean): void {
    this.metrics.pageCache.inc({ result: fresh ? 'hit' : 'stale' });
    const checks = kept.checks;
    if (fresh) {
      checks.staleStreak = 0;
      return;
    }
    checks.staleStreak++;
    checks.checkAfter =
      this.clock() + Math.min(FIRST_CHECK_PAUSE_MS * 2 ** (checks.staleStreak - 1), MAX_CHECK_PAUSE_MS);
  }

  /**
   * Keeps a page just rendered. The record of its checks stays with the key (a read still checking
   * the page kept before updates that same record), so a pause is not lost to a concurrent read.
   */
  keep(key: string, page: RenderedPage): void {
    if (!this.pages) return;
    const checks = this.pages.peek(key)?.checks ?? { staleStreak: 0, checkAfter: 0 };
    this.pages.set(key, { page, checks });
  }
}
