import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { isAgentTool, withDetailsForAgent } from './actions/toolkit/agent';
import { nodeProperties } from './actions/registry';
import { router } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';
import { CREDENTIAL_TYPE } from './transport';

export class SalesforceCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce CRM',
		name: 'salesforceCrm',
		icon: { light: 'file:../../icons/salesforce.svg', dark: 'file:../../icons/salesforce.dark.svg' },
		group: ['transform'],
		// Version 2: an empty mapped value on update/upsert fails the item (Options → Empty Values); version 1 left such
		// fields unchanged, as it still does for workflows built with it.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
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
