import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { buildSelect, quote } from '../../helpers/soql';
import { SalesforceClient, type SalesforceRecord, type SaveResult } from '../../transport';
import { CHILD_RECORD_PARALLEL_CALLS, isSaveResult, ItemResults, writeRecords, type WriteEntry } from '../toolkit/batch';
import { recordLocator } from '../toolkit/descriptions';
import { STANDARD_OBJECTS, withoutAttributes } from '../../helpers/records';
import { recordIdParameter } from '../toolkit/records';
import { ObjectSchema } from '../toolkit/schema';
import type { Noun } from '../toolkit/operations';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The lead or contact to add',
	}),
	recordLocator({
		displayName: 'Campaign',
		name: 'campaignId',
		searchListMethod: 'searchCampaigns',
		description: 'The campaign to add the record to',
		placeholderId: '7015g00000AbCdEFGH',
	}),
	{
		displayName: 'Member Status Name or ID',
		name: 'status',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCampaignMemberStatuses', loadOptionsDependsOn: ['campaignId.value'] },
		default: '',
		description:
			"One of the campaign's member statuses; empty uses the campaign's default. Choose from the list, or specify an ID using an <a href=\"https://docs.n8n.io/code/expressions/\">expression</a>.",
	},
];


export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Add to Campaign', description: `Add ${noun.one} to a campaign`, action: `Add ${noun.one} to a campaign` });

/** Creates CampaignMember records in batches; an existing membership is returned as such (alreadyMember: true). */
export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const { describe } = await ObjectSchema.load(client, sobject);
	const memberField = `${sobject}Id`;
	const results = new ItemResults(this, items.length);
	const entries: WriteEntry[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const status = itemParameter(this, 'status', itemIndex, '') as string;
			entries.push({
				itemIndex,
				record: {
					CampaignId: recordIdParameter(this, 'campaignId', itemIndex, STANDARD_OBJECTS.Campaign, 'Campaign'),
					[memberField]: recordIdParameter(this, 'recordId', itemIndex, describe),
					...(status ? { Status: status } : {}),
				},
			});
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}
	const existing: Array<{ entry: WriteEntry; result: SaveResult }> = [];
	await writeRecords(client, 'create', 'CampaignMember', entries, { bulkMode: 'never', parallelCalls: CHILD_RECORD_PARALLEL_CALLS }, (entry, result) => {
		if (!isSaveResult(result)) {
			results.failOrThrow(entry.itemIndex, result);
			return;
		}
		if (result.success) return results.add(entry.itemIndex, { Id: result.id, ...entry.record, alreadyMember: false });
		if (result.errors.some((error) => error.statusCode === 'DUPLICATE_VALUE')) return existing.push({ entry, result });
		results.failRecordOrThrow(entry.itemIndex, result);
	});
	if (existing.length > 0) {
		const members = await findMembers(client, memberField, existing.map(({ entry }) => entry.record));
		for (const { entry, result } of existing) {
			const key = memberKey(entry.record.CampaignId, entry.record[memberField]);
			const member = members.get(key);
			if (member) results.add(entry.itemIndex, { ...member, alreadyMember: true });
			else results.failRecordOrThrow(entry.itemIndex, result);
		}
	}
	return results.all;
}

const memberKey = (campaignId: unknown, recordId: unknown) =>
	`${String(campaignId).slice(0, 15)}:${String(recordId).slice(0, 15)}`;

/** The existing memberships, in one query per 100 pairs. */
async function findMembers(client: SalesforceClient, memberField: string, records: SalesforceRecord[]) {
	const members = new Map<string, IDataObject>();
	for (let start = 0; start < records.length; start += 100) {
		const chunk = records.slice(start, start + 100);
		const campaignIds = [...new Set(chunk.map((record) => String(record.CampaignId)))];
		const recordIds = [...new Set(chunk.map((record) => String(record[memberField])))];
		const soql = buildSelect({
			object: 'CampaignMember',
			fields: ['Id', 'CampaignId', memberField, 'Status'],
			where: `CampaignId IN (${campaignIds.map(quote).join(', ')}) AND ${memberField} IN (${recordIds.map(quote).join(', ')})`,
		});
		for (const member of await client.queryAllPages(soql)) {
			members.set(memberKey(member.CampaignId, member[memberField]), withoutAttributes(member));
		}
	}
	return members;
}
