import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withoutAttributes } from '../../helpers/records';
import { buildSelect, quote } from '../../helpers/soql';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { MAX_FILE_BYTES, OutcomeUnknownError, SalesforceClient, type FileUpload, type SalesforceRecord } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { recordLocator } from '../toolkit/descriptions';
import { anyRecordId, VERSION_FIELDS } from './files';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the file to be uploaded',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'Title of the file in Salesforce (up to 255 characters); empty uses the file name without its extension',
	},
	recordLocator({
		displayName: 'Link to Record',
		name: 'linkedRecordId',
		description:
			'The record the file is shared with, of any object: account, case, lead… (FirstPublishLocationId). Empty keeps the file in the files of the Salesforce user.',
		required: false,
		placeholderId: '0015g00000AbCdEFGH',
	}),
	optionsCollection([
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			description: "The file's name with its extension (PathOnClient: Salesforce reads the file type from it); empty uses the binary field's file name",
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: 'Description of the file (up to 1,000 characters)',
		},
		timeoutOption,
	]),
];

export const label = (): Omit<INodePropertyOptions, 'value'> => ({
	name: 'Upload',
	description: 'Upload binary data as a Salesforce file, optionally linked to a record',
	action: 'Upload a file',
});

/** Versions read back per query (their IDs fit well within the URL limit). */
const IDS_PER_QUERY = 200;

/**
 * Each item's binary data becomes a ContentVersion, which creates its ContentDocument (and, with Link to Record, the
 * ContentDocumentLink to that record). Files travel in sObject Collections calls (up to 200 files, transport/files.ts),
 * then one query per 200 reads back what Salesforce computed: ContentDocumentId, size, type.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const results = new ItemResults(this, items.length);
	const uploads: Array<FileUpload & { itemIndex: number }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			uploads.push({ itemIndex, ...(await fileUploadOf(this, itemIndex)) });
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}
	const saved: Array<{ itemIndex: number; id: string; record: SalesforceRecord }> = [];
	await client.uploadFiles(uploads, (positions, outcome) => {
		if ('error' in outcome) {
			const callError = client.error(outcome.error);
			const itemError = callError instanceof OutcomeUnknownError ? unknownUpload(client, callError) : callError;
			for (const position of positions) results.failOrThrow(uploads[position].itemIndex, itemError);
			return;
		}
		positions.forEach((position, index) => {
			const { itemIndex, record } = uploads[position];
			const result = outcome.results[index];
			if (result.success) saved.push({ itemIndex, id: result.id!, record });
			else results.failRecordOrThrow(itemIndex, result);
		});
	});
	for (let start = 0; start < saved.length; start += IDS_PER_QUERY) {
		const chunk = saved.slice(start, start + IDS_PER_QUERY);
		const versions = await readVersions(client, chunk.map((entry) => entry.id));
		for (const { itemIndex, id, record } of chunk) {
			results.add(itemIndex, versions.get(id) ?? { Id: id, ...record, ContentDocumentId: null, note: READ_BACK_FAILED });
		}
	}
	return results.all;
}

/** What an item uploads: its binary data, named and titled. */
async function fileUploadOf(ctx: IExecuteFunctions, itemIndex: number): Promise<FileUpload> {
	const property = String(itemParameter(ctx, 'binaryPropertyName', itemIndex, 'data')).trim();
	let binary;
	try {
		binary = ctx.helpers.assertBinaryData(itemIndex, property);
	} catch {
		const present = Object.keys(ctx.getInputData()[itemIndex].binary ?? {});
		throw new NodeOperationError(ctx.getNode(), `The item has no binary field "${property}"`, {
			itemIndex,
			description: present.length
				? `Set Input Binary Field to the field that holds the file: this item has ${present.map((name) => `"${name}"`).join(', ')}.`
				: 'Input Binary Field names the binary field that holds the file, and this item has none: add a node before this one that outputs a file (e.g. Read/Write Files from Disk, HTTP Request).',
		});
	}
	const content = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (content.length > MAX_FILE_BYTES) {
		throw new NodeOperationError(ctx.getNode(), `The file is ${content.length.toLocaleString('en-US')} bytes; this node uploads files of up to 500 MB`, {
			itemIndex,
			description: 'Salesforce takes at most 500 MB of files in one sObject Collections call. Upload larger files with Salesforce’s own tools (Files home, Data Loader).',
		});
	}
	const title = String(itemParameter(ctx, 'title', itemIndex, '')).trim();
	const named = String(itemParameter(ctx, 'options.fileName', itemIndex, '')).trim() || binary.fileName;
	const fileName = named || `${title || 'file'}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
	const linked = anyRecordId(ctx, 'linkedRecordId', itemIndex, 'Link to Record', true);
	const description = String(itemParameter(ctx, 'options.description', itemIndex, '')).trim();
	return {
		record: {
			Title: title || fileName.replace(/\.[^.]*$/, '') || fileName,
			PathOnClient: fileName,
			...(linked ? { FirstPublishLocationId: linked } : {}),
			...(description ? { Description: description } : {}),
		},
		content,
		fileName,
		mimeType: binary.mimeType,
	};
}

const READ_BACK_FAILED =
	'The file was saved in Salesforce; reading back its ContentDocumentId failed. Find it by its ContentVersion ID (Id) with the Download operation.';

/** The saved versions by ID; empty when the read fails (the files are saved: their items say so, see READ_BACK_FAILED). */
async function readVersions(client: SalesforceClient, ids: string[]): Promise<Map<string, IDataObject>> {
	try {
		const soql = buildSelect({ object: 'ContentVersion', fields: VERSION_FIELDS, where: `Id IN (${ids.map(quote).join(', ')})` });
		const versions = await client.queryAllPages(soql);
		return new Map(versions.map((version) => [String(version.Id), withoutAttributes(version)]));
	} catch {
		return new Map();
	}
}

/** A lost upload answer: Salesforce may have saved the files; running again could upload them twice. */
function unknownUpload(client: SalesforceClient, error: OutcomeUnknownError): OutcomeUnknownError {
	return new OutcomeUnknownError(client.node, {
		operation: 'upload',
		reason: error.reason,
		check: 'Salesforce may have saved the file. Before running the workflow again, look for it (Files home, or Get Many of the record it was linked to): running again would upload it a second time.',
		noAnswer: error.noAnswer,
	});
}
