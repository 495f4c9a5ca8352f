// What the editor shows around a node: the Docs link and the canvas subtitle.
import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The Docs link: a section of the README. n8n opens an http(s) `documentationUrl` as it is, where it would append its
 * tracking query to a codex URL, after the section's `#` anchor, and so land at the top of the page.
 */
export const documentationUrl = (section: string): string => `https://github.com/n8n-nodes-salesforce/n8n-nodes-salesforce#${section}`;

/** An expression part giving the label of a parameter's value among `options` (the value itself for one they lack). */
export function labelOfParameter(parameter: string, options: Array<Pick<INodePropertyOptions, 'name' | 'value'>>): string {
	const labels = JSON.stringify(Object.fromEntries(options.map((option) => [String(option.value), option.name])));
	return `(${labels}[$parameter["${parameter}"]] || $parameter["${parameter}"])`;
}
