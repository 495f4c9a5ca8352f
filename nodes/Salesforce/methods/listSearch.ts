import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { buildSelect, escapeSoqlString } from '../helpers/soql';
import { SalesforceClient } from '../transport';
import { sobjectOf } from '../helpers/resources';

/** Results per search: the list is narrowed server-side as the user types, so orgs with many records stay fast. */
const SEARCH_LIMIT = 100;

/** Records whose Name contains the filter (LIKE wildcards in the filter match literally), newest first without one. */
async function searchByName(
	ctx: ILoadOptionsFunctions,
	sobject: string,
	filter: string | undefined,
	extraCondition?: string,
	describeRecord: (record: Record<string, unknown>) => string | undefined = () => undefined,
	extraFields: string[] = [],
): Promise<INodeListSearchResult> {
	const client = await SalesforceClient.for(ctx);
	const text = filter?.trim();
	const conditions = [
		...(text ? [`Name LIKE '%${escapeSoqlString(text).replace(/[%_]/g, '\\$&')}%'`] : []),
		...(extraCondition ? [extraCondition] : []),
	];
	const records = await client.queryAllPages<Record<string, unknown> & { Id: string; Name: string }>(
		buildSelect({
			object: sobject,
			fields: ['Id', 'Name', ...extraFields],
			where: conditions.join(' AND ') || undefined,
			orderBy: text ? [{ field: 'Name' }] : [{ field: 'LastModifiedDate', direction: 'DESC' }],
			limit: SEARCH_LIMIT,
		}),
	);
	return {
		results: records.map((record) => {
			const detail = describeRecord(record);
			return {
				name: detail ? `${record.Name} (${detail})` : record.Name,
				value: record.Id,
				url: `${client.conn.instanceUrl}/${record.Id}`,
			};
		}),
	};
}

export async function searchRecords(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const sobject = sobjectOf(this.getCurrentNodeParameter('resource') as string);
	if (sobject === 'Lead') {
		return await searchByName(this, sobject, filter, undefined, (lead) => lead.Company as string, ['Company']);
	}
	return await searchByName(this, sobject, filter);
}

export async function searchAccounts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, 'Account', filter);
}

export async function searchContacts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, 'Contact', filter, undefined, (contact) => contact.Email as string, ['Email']);
}

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, 'Campaign', filter, undefined, (campaign) => (campaign.IsActive ? undefined : 'inactive'), ['IsActive']);
}

export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, 'User', filter, 'IsActive = true', (user) => user.Username as string, ['Username']);
}
