import type { DescribeResult } from '../../transport';

/** A record of any object (a file can be linked to accounts, cases, leads, users…): its ID is checked for shape only. */
export const ANY_RECORD: Pick<DescribeResult, 'name' | 'keyPrefix'> = { name: 'record', keyPrefix: null };

/** What the File operations output of a ContentVersion (its content is the binary data of Download). */
export const VERSION_FIELDS = [
	'Id', 'ContentDocumentId', 'Title', 'PathOnClient', 'FileExtension', 'FileType', 'ContentSize', 'Checksum', 'VersionNumber',
	'FirstPublishLocationId', 'CreatedDate',
];
