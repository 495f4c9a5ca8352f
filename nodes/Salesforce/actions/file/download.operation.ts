import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isRecordId, withoutAttributes } from '../../helpers/records';
import { buildSelect, quote } from '../../helpers/soql';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { MAX_FILE_BYTES, SalesforceClient, type SalesforceRecord } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { recordLocator } from '../toolkit/descriptions';
import { VERSION_FIELDS } from './files';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'File',
		name: 'fileId',
		searchListMethod: 'searchFiles',
		description: 'The file (ContentDocument ID, 069…), whose latest version is downloaded, or one of its versions (ContentVersion ID, 068…)',
		placeholderId: '0695g00000AbCdEFGH',
	}),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
	},
	optionsCollection([timeoutOption]),
];

export const label = (): Omit<INodePropertyOptions, 'value'> => ({
	name: 'Download',
	description: 'Download a file (its latest version, or a given version) to binary data',
	action: 'Download a file',
});

const DOCUMENT_PREFIX = '069';
const VERSION_PREFIX = '068';
/** Items whose versions one query finds (IDs of documents and versions, well within the URL limit). */
const ITEMS_PER_QUERY = 100;

/**
 * One query per 100 items finds the versions (a document's latest), then one sObject Blob Get per file: Salesforce
 * serves blob content only one record at a time ("sObject Blob Get", REST API Developer Guide: not through Composite).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const results = new ItemResults(this, items.length);
	const requests: Array<{ itemIndex: number; id: string }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			requests.push({ itemIndex, id: fileIdOf(this, itemIndex) });
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}
	for (let start = 0; start < requests.length; start += ITEMS_PER_QUERY) {
		const chunk = requests.slice(start, start + ITEMS_PER_QUERY);
		let versions: SalesforceRecord[];
		try {
			versions = await client.queryAllPages(versionsQuery(chunk.map((request) => request.id)));
		} catch (error) {
			const callError = client.error(error);
			chunk.forEach((request) => results.failOrThrow(request.itemIndex, callError));
			continue;
		}
		const byId = new Map<string, SalesforceRecord>();
		for (const version of versions) {
			byId.set(String(version.Id).slice(0, 15), version);
			if (version.IsLatest) byId.set(String(version.ContentDocumentId).slice(0, 15), version);
		}
		for (const { itemIndex, id } of chunk) {
			try {
				const version = byId.get(id.slice(0, 15));
				if (!version) throw notFound(this, id, itemIndex);
				results.add(itemIndex, withoutAttributes(version), { [binaryPropertyOf(this, itemIndex)]: await download(this, client, version, itemIndex) });
			} catch (error) {
				results.failOrThrow(itemIndex, error);
			}
		}
	}
	return results.all;
}

function fileIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = String(itemParameter(ctx, 'fileId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!isRecordId(id) || ![DOCUMENT_PREFIX, VERSION_PREFIX].includes(id.slice(0, 3))) {
		throw new NodeOperationError(ctx.getNode(), `"${id}" is not the ID of a file or of a file version`, {
			itemIndex,
			description:
				'Set File to a ContentDocument ID (069…, e.g. ContentDocumentId from Upload or Get Many) or a ContentVersion ID (068…), a file URL, or pick a file from the list.',
		});
	}
	return id;
}

function binaryPropertyOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const property = String(itemParameter(ctx, 'binaryPropertyName', itemIndex, 'data')).trim();
	if (!property) {
		throw new NodeOperationError(ctx.getNode(), 'Put Output File in Field is empty', { itemIndex, description: 'Name the binary field for the file, e.g. data.' });
	}
	return property;
}

/** The versions asked for, and the latest version of the documents asked for. */
function versionsQuery(ids: string[]): string {
	const quoted = (prefix: string) => [...new Set(ids.filter((id) => id.startsWith(prefix)))].map(quote).join(', ');
	const conditions = [
		...(quoted(VERSION_PREFIX) ? [`Id IN (${quoted(VERSION_PREFIX)})`] : []),
		...(quoted(DOCUMENT_PREFIX) ? [`(ContentDocumentId IN (${quoted(DOCUMENT_PREFIX)}) AND IsLatest = true)`] : []),
	];
	return buildSelect({ object: 'ContentVersion', fields: [...VERSION_FIELDS, 'IsLatest'], where: conditions.join(' OR ') });
}

/** The version's content as n8n binary data, named after the file (its MIME type follows the name). */
async function download(ctx: IExecuteFunctions, client: SalesforceClient, version: SalesforceRecord, itemIndex: number) {
	const size = Number(version.ContentSize ?? 0);
	if (size > MAX_FILE_BYTES) {
		throw new NodeOperationError(ctx.getNode(), `The file is ${size.toLocaleString('en-US')} bytes; this node downloads files of up to 500 MB`, {
			itemIndex,
			description: 'Download larger files from Salesforce directly (Files home).',
		});
	}
	const content = await client.downloadBlob(`/sobjects/ContentVersion/${encodeURIComponent(String(version.Id))}/VersionData`);
	return await ctx.helpers.prepareBinaryData(content, fileNameOf(version));
}

/** Title plus the file's extension (as Salesforce names a download), unless the title already ends with it. */
function fileNameOf(version: SalesforceRecord): string {
	const title = String(version.Title ?? 'file');
	const extension = version.FileExtension ? `.${String(version.FileExtension)}` : '';
	return !extension || title.toLowerCase().endsWith(extension.toLowerCase()) ? title : `${title}${extension}`;
}

function notFound(ctx: IExecuteFunctions, id: string, itemIndex: number) {
	const message = `No file or file version with ID ${id}`;
	return new NodeApiError(ctx.getNode(), { errorCode: 'NOT_FOUND', message, fields: [] }, {
		message: `NOT_FOUND: ${message}`,
		description: 'The file does not exist, was deleted, or the Salesforce user cannot see it. Check the File parameter.',
		httpCode: '404',
		itemIndex,
	});
}
