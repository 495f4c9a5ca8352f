import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { FLOW_API_NAME_PATTERN, FLOW_PARAMETER } from '../helpers/flows';
import { isClearable, isRecordId } from '../helpers/records';
import { buildSelect, quote } from '../helpers/soql';
import { conditionFieldOptions, fieldOptions, objectOptions, picklistOptions } from '../properties/fieldOptions';
import { SalesforceClient } from '../transport';
import { describeCurrentSObject } from './currentResource';

export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const describe = await describeCurrentSObject(this);
	return fieldOptions(describe.fields);
}

export async function getFilterableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const describe = await describeCurrentSObject(this);
	return fieldOptions(describe.fields.filter((field) => field.filterable !== false));
}

/** Get Many's condition fields (version 3 on): picklists, checkboxes and dates named with their type. */
export async function getConditionFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const describe = await describeCurrentSObject(this);
	return conditionFieldOptions(describe.fields);
}

/** The values of the picklist chosen in the same condition. */
export async function getConditionPicklistValues(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const describe = await describeCurrentSObject(this);
	return picklistOptions(describe.fields, this.getCurrentNodeParameter('&field'));
}

export async function getSortableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const describe = await describeCurrentSObject(this);
	return fieldOptions(describe.fields.filter((field) => field.sortable !== false));
}

export async function getExternalIdFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const describe = await describeCurrentSObject(this);
	return fieldOptions(describe.fields.filter((field) => field.externalId));
}

/** Fields an update may empty (isClearable). */
export async function getClearableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const describe = await describeCurrentSObject(this);
	return fieldOptions(describe.fields.filter(isClearable));
}

/** Objects SOSL can search (global describe's searchable), by label. */
export async function getSearchableObjects(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await SalesforceClient.for(this);
	return objectOptions((await client.describeGlobal()).filter((object) => object.searchable));
}

/** The org's lead statuses marked Converted (Setup → Lead Status). */
export async function getConvertedStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await SalesforceClient.for(this);
	const statuses = await client.queryAllPages<{ ApiName?: string; MasterLabel: string }>(
		buildSelect({
			object: 'LeadStatus',
			fields: ['ApiName', 'MasterLabel'],
			where: 'IsConverted = true',
			orderBy: [{ field: 'SortOrder' }],
		}),
	);
	return statuses.map((status) => ({ name: status.MasterLabel, value: status.ApiName ?? status.MasterLabel }));
}

/** The member statuses of the chosen campaign; empty until a campaign is chosen. */
export async function getCampaignMemberStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const campaignId = String(this.getCurrentNodeParameter('campaignId', { extractValue: true }) ?? '').trim();
	if (!isRecordId(campaignId)) return [];
	const client = await SalesforceClient.for(this);
	const statuses = await client.queryAllPages<{ Label: string; IsDefault?: boolean }>(
		buildSelect({
			object: 'CampaignMemberStatus',
			fields: ['Label', 'IsDefault'],
			where: `CampaignId = ${quote(campaignId)}`,
			orderBy: [{ field: 'SortOrder' }],
		}),
	);
	return statuses.map((status) => ({
		name: status.Label,
		value: status.Label,
		...(status.IsDefault ? { description: 'Default status of the campaign' } : {}),
	}));
}

/** The input variables of the chosen flow, required ones marked; empty until a flow is chosen or when it has none. */
export async function getFlowInputVariables(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const flow = String(this.getCurrentNodeParameter(FLOW_PARAMETER, { extractValue: true }) ?? '').trim();
	if (!new RegExp(FLOW_API_NAME_PATTERN).test(flow)) return [];
	const client = await SalesforceClient.for(this);
	const described = await client.describeFlow(flow);
	return (described?.inputs ?? []).map((input) => ({
		name: input.label && input.label !== input.name ? `${input.label} (${input.name})` : input.name,
		value: input.name,
		description: `${input.type}${input.required ? ', required' : ''}${input.description ? `: ${input.description}` : ''}`,
	}));
}
