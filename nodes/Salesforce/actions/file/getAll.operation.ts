import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { withoutAttributes } from '../../helpers/records';
import { buildSelect, quote } from '../../helpers/soql';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { SalesforceClient, type SalesforceRecord } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { recordLocator } from '../toolkit/descriptions';
import { anyRecordId } from './files';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		description: 'The record whose files to list, of any object: account, case, lead, user…',
		placeholderId: '0015g00000AbCdEFGH',
	}),
	optionsCollection([timeoutOption]),
];

export const label = (): Omit<INodePropertyOptions, 'value'> => ({
	name: 'Get Many',
	description: 'List the files of a record, with their latest version',
	action: 'Get the files of a record',
});

/** Records whose files one query lists (their IDs stay well within the URL limit). */
const RECORDS_PER_QUERY = 100;

/** The file fields each link reads: the document's, and its latest version's. */
const DOCUMENT_FIELDS = ['Title', 'FileExtension', 'FileType', 'ContentSize', 'LatestPublishedVersionId', 'OwnerId', 'CreatedDate', 'LastModifiedDate'];
const LATEST_VERSION_FIELDS = ['VersionNumber', 'PathOnClient', 'Checksum'];

/**
 * Files are found through their links (ContentDocumentLink, which Salesforce only lets be queried by
 * ContentDocumentId or LinkedEntityId): one query per 100 items, `WHERE LinkedEntityId IN (…)`. Each file becomes an
 * item paired with the item that asked; a record without files gives none.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const results = new ItemResults(this, items.length);
	const requests: Array<{ itemIndex: number; id: string }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			requests.push({ itemIndex, id: anyRecordId(this, 'recordId', itemIndex, 'Record') });
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}
	for (let start = 0; start < requests.length; start += RECORDS_PER_QUERY) {
		const chunk = requests.slice(start, start + RECORDS_PER_QUERY);
		const ids = [...new Set(chunk.map((request) => request.id))];
		let links: SalesforceRecord[];
		try {
			links = await client.queryAllPages(buildSelect({
				object: 'ContentDocumentLink',
				fields: [
					'Id', 'ContentDocumentId', 'LinkedEntityId', 'ShareType', 'Visibility',
					...DOCUMENT_FIELDS.map((field) => `ContentDocument.${field}`),
					...LATEST_VERSION_FIELDS.map((field) => `ContentDocument.LatestPublishedVersion.${field}`),
				],
				where: `LinkedEntityId IN (${ids.map(quote).join(', ')})`,
			}));
		} catch (error) {
			const callError = client.error(error);
			chunk.forEach((request) => results.failOrThrow(request.itemIndex, callError));
			continue;
		}
		const byRecord = new Map<string, IDataObject[]>();
		for (const link of links) {
			const key = String(link.LinkedEntityId).slice(0, 15);
			byRecord.set(key, [...(byRecord.get(key) ?? []), fileOf(link)]);
		}
		for (const { itemIndex, id } of chunk) results.add(itemIndex, byRecord.get(id.slice(0, 15)) ?? []);
	}
	return results.all;
}

/** One file of a record: the document, its latest version, and how it is shared with the record. */
function fileOf(record: SalesforceRecord): IDataObject {
	const link = withoutAttributes(record);
	const document = (link.ContentDocument ?? {}) as IDataObject;
	const latest = (document.LatestPublishedVersion ?? {}) as IDataObject;
	return {
		ContentDocumentId: link.ContentDocumentId,
		...Object.fromEntries(DOCUMENT_FIELDS.map((field) => [field, document[field] ?? null])),
		...Object.fromEntries(LATEST_VERSION_FIELDS.map((field) => [field, latest[field] ?? null])),
		LinkedEntityId: link.LinkedEntityId,
		ShareType: link.ShareType,
		Visibility: link.Visibility,
		ContentDocumentLinkId: link.Id,
	};
}
