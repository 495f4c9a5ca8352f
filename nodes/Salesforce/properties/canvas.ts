// What the editor shows around a node: the Docs link and the canvas subtitle.
import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The Docs link: a section of the README. n8n opens an http(s) `documentationUrl` as it is, where it would append its
 * tracking query to a codex URL, after the section's `#` anchor, and so land at the top of the page.
 */
export const documentationUrl = (section: string): string => `https://github.com/n8n-nodes-salesforce/n8n-nodes-salesforce#${section}`;

type Labelled = Array<Pick<INodePropertyOptions, 'name' | 'value'>>;
const labelsOf = (options: Labelled) => JSON.stringify(Object.fromEntries(options.map((option) => [String(option.value), option.name])));

/** An expression part giving the label of a parameter's value among `options` (the value itself for one they lack). */
export function labelOfParameter(parameter: string, options: Labelled): string {
	return `(${labelsOf(options)}[$parameter["${parameter}"]] || $parameter["${parameter}"])`;
}

/** The same for a multi-options parameter: its values' labels, comma-separated. */
export function labelsOfParameter(parameter: string, options: Labelled): string {
	return `($parameter["${parameter}"] || []).map((value) => (${labelsOf(options)}[value] || value)).join(", ")`;
}

/** An expression part giving a trigger's watched object: its API name, or the name typed for "Other Object". */
export const WATCHED_OBJECT_NAME = '($parameter["sobject"] === "other" ? $parameter["otherObject"] : $parameter["sobject"])';
