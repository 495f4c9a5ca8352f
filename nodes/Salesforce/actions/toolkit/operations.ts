import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]>;
}

/** The Operation parameter of a resource, listing its operations. */
export function operationParameter(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: operationOptions(resource, operations),
		default: 'create',
	};
}

/** Operation labels (options of the Operation parameter) for a resource, with n8n's `action` texts. */
function operationOptions(noun: string, operations: string[]): INodePropertyOptions[] {
	const labels: Record<string, Omit<INodePropertyOptions, 'value'>> = {
		addNote: { name: 'Add Note', description: `Attach a note to a ${noun}`, action: `Add a note to a ${noun}` },
		addToCampaign: { name: 'Add to Campaign', description: `Add a ${noun} to a campaign`, action: `Add a ${noun} to a campaign` },
		convert: { name: 'Convert', description: 'Convert a lead into an account, a contact and optionally an opportunity', action: 'Convert a lead' },
		create: { name: 'Create', description: `Create a ${noun}`, action: `Create a ${noun}` },
		delete: { name: 'Delete', description: `Delete a ${noun}`, action: `Delete a ${noun}` },
		describe: { name: 'Describe', description: `List the fields, picklist values and record types of ${noun}s`, action: `Describe the ${noun} object` },
		get: { name: 'Get', description: `Get a ${noun}`, action: `Get a ${noun}` },
		getAll: { name: 'Get Many', description: `Get many ${noun}s`, action: `Get many ${noun}s` },
		update: { name: 'Update', description: `Update a ${noun}`, action: `Update a ${noun}` },
		upsert: {
			name: 'Create or Update',
			description: `Create a new ${noun}, or update the current one if it already exists (upsert)`,
			action: `Create or update a ${noun}`,
		},
	};
	return operations.map((value) => ({ ...labels[value], value }));
}
