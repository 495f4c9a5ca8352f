import type { INodeProperties } from 'n8n-workflow';

/**
 * Both triggers' Object and Other Object Name parameters (read with `watchedObject`, trigger/loadOptions.ts);
 * `otherObject` describes which other objects the trigger can watch.
 */
export function watchedObjectProperties(otherObject: string): INodeProperties[] {
	return [
		{
			displayName: 'Object',
			name: 'sobject',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Account', value: 'Account' },
				{ name: 'Case', value: 'Case' },
				{ name: 'Contact', value: 'Contact' },
				{ name: 'Lead', value: 'Lead' },
				{ name: 'Opportunity', value: 'Opportunity' },
				{ name: 'Other Object', value: 'other', description: otherObject },
				{ name: 'Task', value: 'Task' },
			],
			default: 'Lead',
		},
		{
			displayName: 'Other Object Name or ID',
			name: 'otherObject',
			type: 'options',
			noDataExpression: true,
			typeOptions: { loadOptionsMethod: 'getQueryableObjects' },
			displayOptions: { show: { sobject: ['other'] } },
			default: '',
			required: true,
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		},
	];
}
