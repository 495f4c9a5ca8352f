import { randomBytes } from 'node:crypto';

import { COLLECTION_SIZE, saveChunk } from './collections';
import type { Requester, SalesforceRecord, SaveResult } from './types';

/**
 * The most file bytes one sObject Collections call carries: "the maximum total size of all files in a single request
 * is 500 MB" ("Insert or Update Blob Data", REST API Developer Guide), read as decimal megabytes so that it holds
 * whichever Salesforce means. It bounds one file too: jsforce hands an answer over as a string, and Node's strings stop
 * at 2^29 characters (about 536 MB), so a larger file could not be downloaded either.
 */
export const MAX_FILE_BYTES = 500_000_000;

/**
 * The file bytes an upload call holds when it has several files (one larger file travels alone): the request body is
 * built in memory next to the files, and a smaller call finishes well within the Timeout.
 */
const CALL_BYTES = 50_000_000;

/** A file to insert as a ContentVersion: its fields (PathOnClient, Title…) and its content. */
export interface FileUpload {
	record: SalesforceRecord;
	content: Buffer;
	fileName: string;
	mimeType?: string;
}

/** What one upload call gave: a result per file, or the failure of the whole call. */
export type CallOutcome = { results: SaveResult[] } | { error: unknown };

/** Which uploads travel together, as input positions: up to 200 files and CALL_BYTES a call, in input order. */
export function uploadCalls(sizes: number[]): number[][] {
	const calls: number[][] = [];
	let call: number[] = [];
	let bytes = 0;
	sizes.forEach((size, position) => {
		if (call.length === COLLECTION_SIZE || (call.length > 0 && bytes + size > CALL_BYTES)) {
			calls.push(call);
			call = [];
			bytes = 0;
		}
		call.push(position);
		bytes += size;
	});
	if (call.length > 0) calls.push(call);
	return calls;
}

/**
 * Inserts files as ContentVersion records through sObject Collections with multipart/form-data: one JSON part with
 * the records, each naming its binary part (attributes.binaryPartName) and the field it fills (binaryPartNameAlias:
 * VersionData), then one binary part per file. Bytes travel as they are: no base64, whose JSON form Salesforce limits
 * to 37.5 MB a request. `onCall` receives each call's results (input positions) or its failure; when it throws, no
 * further call is made.
 */
export async function uploadFiles(requester: Requester, uploads: FileUpload[], onCall: (positions: number[], outcome: CallOutcome) => void): Promise<void> {
	for (const positions of uploadCalls(uploads.map((upload) => upload.content.length))) {
		const call = positions.map((position) => uploads[position]);
		const outcome = await saveChunk('create', call.map((upload) => upload.record), (retried) => sendFiles(requester, retried.map((p) => call[p]))).then(
			(results) => ({ results }),
			(error: unknown) => ({ error }),
		);
		onCall(positions, outcome);
	}
}

function sendFiles(requester: Requester, uploads: FileUpload[]): Promise<SaveResult[]> {
	const boundary = `n8n-salesforce-${randomBytes(16).toString('hex')}`;
	const records = uploads.map((upload, index) => ({
		attributes: { type: 'ContentVersion', binaryPartName: `file${index}`, binaryPartNameAlias: 'VersionData' },
		...upload.record,
	}));
	const part = (head: string, content: Buffer) => [Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`), content, Buffer.from('\r\n')];
	const body = Buffer.concat([
		...part('Content-Disposition: form-data; name="collection"\r\nContent-Type: application/json', Buffer.from(JSON.stringify({ allOrNone: false, records }))),
		...uploads.flatMap((upload, index) =>
			part(
				`Content-Disposition: form-data; name="file${index}"; filename="${headerText(upload.fileName)}"\r\nContent-Type: ${headerText(upload.mimeType ?? 'application/octet-stream')}`,
				upload.content,
			),
		),
		Buffer.from(`--${boundary}--\r\n`),
	]);
	return requester.request<SaveResult[]>('POST', '/composite/sobjects', body, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
}

/** A value fit for a quoted header parameter (RFC 7578 §4.2: quotes and line breaks percent-encoded). */
const headerText = (value: string) => value.replace(/["\r\n]/g, (char) => encodeURIComponent(char));
