/**
 * The standard answer of a complaint category (docs/service.md): a template with
 * `{{placeholder}}` slots from a fixed catalogue. The template is checked when it is saved,
 * so filing a complaint never fails on a typo in it; rendering only fills in values.
 */
export const PLACEHOLDERS = {
  'customer.name': "The customer's name.",
  'customer.externalId': "The customer's id in the caller's system (empty when none).",
  'complaint.number': 'The readable complaint number, e.g. C-2026-000123.',
  'complaint.subject': "The complaint's subject.",
  'complaint.severity': 'low, medium, high or critical.',
  'complaint.filedAt': 'The date the complaint was filed, YYYY-MM-DD.',
  'owner.name': 'The employee who owns the complaint (empty when none).',
  'category.name': "The category's name.",
  'product.name': 'The product the complaint is about (empty when none).',
  'product.sku': "That product's SKU (empty when none).",
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

export type TemplateValues = Partial<Record<Placeholder, string | null>>;

/** `{{ name }}`, spaces inside the braces allowed; a name is letters, digits, dots and underscores. */
const SLOT = /\{\{\s*([^{}]*?)\s*\}\}/g;

const isPlaceholder = (name: string): name is Placeholder => Object.hasOwn(PLACEHOLDERS, name);

/** The slots of a template that name no placeholder of the catalogue, each once, in order. */
export function unknownPlaceholders(template: string): string[] {
  const unknown: string[] = [];
  for (const match of template.matchAll(SLOT)) {
    const name = match[1]!;
    if (!isPlaceholder(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** Every slot replaced by its value; a missing value renders as the empty string. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(SLOT, (whole, name: string) =>
    isPlaceholder(name) ? (values[name] ?? '') : whole,
  );
}
