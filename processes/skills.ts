/**
 * Which skills a complaint needs, from its product and category: the one map the dispatch
 * ranking (dispatch.recommend), the API and the docs use. It lives in processes/ beside
 * departments.ts so that every layer (and the browser bundle) may import it.
 *
 * Before issue 14 the process passed the category ("defect") as the skill, which no engineer
 * has, so skill never counted. Now the category says what kind of work it is and the product
 * says which trade: a defective fridge needs `refrigeration`, a late delivery `delivery`.
 * The category itself stays in the list, so a directory that names skills by category still
 * matches.
 */

/** Product keywords (matched in the product name, case-insensitively) → the trade that repairs it. */
export const PRODUCT_SKILLS: ReadonlyArray<readonly [keyword: string, skills: readonly string[]]> = [
  ['fridge', ['refrigeration']],
  ['freezer', ['refrigeration']],
  ['washer', ['washing-machines']],
  ['washing machine', ['washing-machines']],
  ['dishwasher', ['washing-machines', 'installation']],
  ['air-conditioner', ['air-conditioning']],
  ['air conditioner', ['air-conditioning']],
  ['oven', ['electrical']],
  ['tv', ['electrical']],
  ['kettle', ['electrical']],
];

/**
 * Category → skills. `product` stands for the product's trade; a category not listed needs the
 * product's trade.
 */
export const CATEGORY_SKILLS: Readonly<Record<string, readonly string[]>> = {
  defect: ['product'],
  safety: ['product', 'electrical'],
  service: ['product', 'installation'],
  delivery: ['delivery'],
  billing: ['billing'],
};

const words = (s: string) => s.toLowerCase();

/** The skills of the product's trade (none for a product no keyword names). */
export function productSkills(product: string | undefined): string[] {
  if (!product) return [];
  const name = words(product);
  const found = PRODUCT_SKILLS.filter(([keyword]) => new RegExp(`(^|[^a-z])${keyword.replace(/[-\s]/g, '[-\\s]?')}([^a-z]|$)`).test(name));
  return [...new Set(found.flatMap(([, skills]) => skills))];
}

/** The skills a complaint needs, best first; empty when neither product nor category is known. */
export function skillsFor(product: string | undefined, category: string | undefined): string[] {
  const fromProduct = productSkills(product);
  const wanted = category === undefined ? ['product'] : (CATEGORY_SKILLS[category] ?? ['product']);
  const skills = wanted.flatMap((s) => (s === 'product' ? fromProduct : [s]));
  return [...new Set([...skills, ...(category === undefined ? [] : [category])])];
}
