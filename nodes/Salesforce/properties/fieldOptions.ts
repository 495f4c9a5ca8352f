import type { INodePropertyOptions } from 'n8n-workflow';

import type { DescribeField, GlobalDescribeEntry } from '../transport';

/** Options in the order the editor shows them: by name. */
export const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** Fields as options of both nodes' field lists: `Label (ApiName)`, the type as description, sorted by label. */
export function fieldOptions(fields: Array<Pick<DescribeField, 'name' | 'label' | 'type'>>): INodePropertyOptions[] {
	return fields.map((field) => ({ name: `${field.label} (${field.name})`, value: field.name, description: field.type })).sort(byName);
}

/** Objects of the global describe as options of both nodes' object lists: `Label (ApiName)`, sorted by label. */
export function objectOptions(objects: GlobalDescribeEntry[]): INodePropertyOptions[] {
	return objects.map((object) => ({ name: `${object.label} (${object.name})`, value: object.name })).sort(byName);
}
