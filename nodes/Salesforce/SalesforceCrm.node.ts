import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, nodeSubtitle } from './actions/registry';
import { isAgentTool, withDetailsForAgent } from './actions/toolkit/agent';
import { router } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';
import { documentationUrl } from './properties/canvas';
import { CREDENTIAL_TYPE } from './transport';

export class SalesforceCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce CRM',
		name: 'salesforceCrm',
		icon: { light: 'file:../../icons/salesforce.svg', dark: 'file:../../icons/salesforce.dark.svg' },
		group: ['transform'],
		// Version 2: an empty mapped value on update/upsert fails the item (Options → Empty Values); version 1 left such
		// fields unchanged, as it still does for workflows built with it.
		// Version 3: Get Many's conditions take picklist, checkbox and date values in a dropdown, a toggle and a date
		// picker (its field list names those fields with their type); versions 1 and 2 keep text values.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: nodeSubtitle,
		documentationUrl: documentationUrl('salesforce-crm-node'),
		description: 'Create, update, upsert, query and search Salesforce records of any object (leads, contacts, accounts, cases, custom objects …), in batches',
		defaults: { name: 'Salesforce CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: nodeProperties,
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			return await router.call(this);
		} catch (error) {
			throw isAgentTool(this.getNode()) ? withDetailsForAgent(error) : error;
		}
	}
}
