import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isRecordId } from '../../helpers/records';
import { itemParameter } from '../toolkit/parameters';

/** What the File operations output of a ContentVersion (its content is the binary data of Download). */
export const VERSION_FIELDS = [
	'Id', 'ContentDocumentId', 'Title', 'PathOnClient', 'FileExtension', 'FileType', 'ContentSize', 'Checksum', 'VersionNumber',
	'FirstPublishLocationId', 'CreatedDate',
];

/**
 * The ID in a record locator (by ID or URL) that takes a record of any object: files are linked to accounts, cases,
 * leads, users… so only its shape is checked. An empty optional parameter gives ''.
 */
export function anyRecordId(ctx: IExecuteFunctions, name: string, itemIndex: number, label: string, optional = false): string {
	const id = String(itemParameter(ctx, name, itemIndex, '', { extractValue: true }) ?? '').trim();
	if ((optional && !id) || isRecordId(id)) return id;
	throw new NodeOperationError(ctx.getNode(), `"${id}" is not a Salesforce record ID`, {
		itemIndex,
		description: `Set ${label} to the 15- or 18-character ID of a record (e.g. 0015g00000AbCdEFGH) or its Salesforce URL.`,
	});
}
