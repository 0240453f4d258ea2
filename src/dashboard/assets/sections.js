// @ts-check
// Sections that live in their own module. Each is given its own <section data-section="name">
// element, made once inside #overview-sections (the overview, after the firing alerts) or
// #task-sections (a task's page, after its charts), and is rendered in the same round as the rest
// of the page: its API calls go through api.js, and a refusal it throws (ApiError) is said the
// same way as the page's own (a key asked for, the service unreachable…).
//
// To add one: write a module exporting `render(container, context)` and list it in SECTIONS,
// e.g. `import { renderSlos } from './slos.js';` and `{ name: 'slos', render: renderSlos }`.
// The dashboard controller serves every .js file of this folder; nothing else needs to change.
import { $ } from './dom.js';
import { renderSlos } from './slos.js';

/** @typedef {import('./range.js').Range} Range */
/** @typedef {import('./range.js').RangeQuery} RangeQuery */
/**
 * What a section is told: which page it is on (a task's page names the task) and the range on
 * screen, with the report routes' query for it (from, to, interval).
 * @typedef {{ page: 'overview' | 'task', taskId: string | null, range: Range, query: RangeQuery }} SectionContext
 */
/**
 * A section renders into its container (it may hide it where it has nothing to say).
 * @typedef {{ name: string, render: (container: HTMLElement, context: SectionContext) => Promise<void> | void }} Section
 */

/** @type {Section[]} */
export const SECTIONS = [{ name: 'slos', render: renderSlos }];

/**
 * Renders every section for a page, each in its own container.
 * @param {SectionContext} context
 */
export function renderSections(context) {
  const holder = $(context.page === 'overview' ? 'overview-sections' : 'task-sections');
  return Promise.all(
    SECTIONS.map(async (section) => {
      const found = holder.querySelector(`:scope > [data-section="${section.name}"]`);
      const container = found instanceof HTMLElement ? found : document.createElement('section');
      if (!found) {
        container.dataset.section = section.name;
        holder.append(container);
      }
      await section.render(container, context);
    }),
  );
}
