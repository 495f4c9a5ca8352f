import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** How an Operation label names the resource's records: "a lead", "an account", "many opportunities". */
export interface Noun {
	singular: string;
	/** With its article: "a lead", "an account". */
	one: string;
	plural: string;
}

export function nounOf(word: string): Noun {
	const plural = /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
	return { singular: word, one: `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`, plural };
}

/** An operation module: `actions/<group>/<operation>.operation.ts`. */
export interface Operation {
	/** Its parameters, without `displayOptions` of resource or operation: the registry adds them. */
	description: INodeProperties[];
	/** Its entry in the Operation list of a resource (n8n's `action` text included). */
	label(noun: Noun): Omit<INodePropertyOptions, 'value'>;
	/** One output item per input item; `sobject` is the resource's sObject (empty for resources without one). */
	execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]>;
}

/** The Operation parameter of a resource, listing its operations (alphabetical, as n8n's nodes do). */
export function operationParameter(resource: string, operations: Array<[string, Operation]>, noun: Noun): INodeProperties {
	const values = operations.map(([value]) => value);
	const defaultOperation = ['create', 'get'].find((preferred) => values.includes(preferred)) ?? values[0];
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: operations.map(([value, module]) => ({ ...module.label(noun), value })),
		default: defaultOperation,
	};
}
