// Salesforce Files: what Salesforce derives from a ContentVersion's path and body ("ContentVersion", Object Reference:
// FileType "determined by ContentUrl for links or PathOnClient for documents", ContentSize "Size of the document in
// bytes", Checksum "MD5 checksum for the file"), and the document fields that follow its latest version
// ("ContentDocument": "When the latest version is published, the title, owner, and publish status fields are updated
// in the document").
import { createHash } from 'node:crypto';
import type { SObjectRecord } from './store.ts';

/**
 * FileType by file extension, as Salesforce names the common types; any other extension is UNKNOWN. The table is the
 * emulator's selection of the values Salesforce shows (it has no published complete list).
 */
const FILE_TYPES: Record<string, string> = {
	pdf: 'PDF', png: 'PNG', jpg: 'JPG', jpeg: 'JPG', gif: 'GIF', txt: 'TEXT', csv: 'CSV', xml: 'XML', html: 'HTML', htm: 'HTML',
	zip: 'ZIP', doc: 'WORD', docx: 'WORD_X', xls: 'EXCEL', xlsx: 'EXCEL_X', ppt: 'POWER_POINT', pptx: 'POWER_POINT_X',
	mp3: 'MP3', mp4: 'MP4', json: 'JSON',
};

/** The file name at the end of a client path (either separator). */
const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

function extensionOf(path: string): string | null {
	const name = baseName(path);
	const dot = name.lastIndexOf('.');
	return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}

/** A version's body, from the base64 text the store keeps. */
export const bodyOf = (version: SObjectRecord, field = 'VersionData'): Buffer | undefined =>
	typeof version[field] === 'string' ? Buffer.from(version[field], 'base64') : undefined;

/**
 * The fields Salesforce computes for a version; `written` holds what the call itself set. A title left empty is the
 * file name without its extension: the emulator's reading of Salesforce filling Title on an upload that names only
 * PathOnClient (as its upload examples do).
 */
export function deriveVersionFields(version: SObjectRecord, written: SObjectRecord): void {
	const body = 'VersionData' in written ? bodyOf(version) : undefined;
	if (body) Object.assign(version, { ContentSize: body.length, Checksum: createHash('md5').update(body).digest('hex') });
	const path = typeof version.PathOnClient === 'string' ? version.PathOnClient : null;
	if (!('FileExtension' in written) && path) version.FileExtension = extensionOf(path);
	version.FileType = version.ContentUrl ? 'LINK' : (FILE_TYPES[String(version.FileExtension ?? '').toLowerCase()] ?? 'UNKNOWN');
	if (!version.Title && path) {
		const name = baseName(path);
		const extension = extensionOf(path);
		version.Title = extension ? name.slice(0, -(extension.length + 1)) : name;
	}
	version.ContentModifiedDate ??= version.CreatedDate ?? null;
}

/** The ContentDocument fields that show its latest version. */
export function documentFieldsOf(version: SObjectRecord): SObjectRecord {
	return {
		Title: version.Title,
		LatestPublishedVersionId: version.Id,
		FileType: version.FileType,
		FileExtension: version.FileExtension,
		ContentSize: version.ContentSize,
		ContentModifiedDate: version.ContentModifiedDate,
	};
}
