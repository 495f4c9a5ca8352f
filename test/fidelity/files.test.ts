// Salesforce Files through jsforce and raw HTTP. Follows "Object Reference for the Salesforce Platform":
// "ContentVersion" (Title, PathOnClient, VersionData, FileType from PathOnClient, ContentSize, Checksum, IsLatest,
// VersionNumber, FirstPublishLocationId), "ContentDocument" ("To create a document, create a new version via the
// ContentVersion object without setting the ContentDocumentId"; a new version with ContentDocumentId becomes the latest;
// "When you delete a document, all versions of that document are deleted") and "ContentDocumentLink" ("You can't run a
// query without filters against ContentDocumentLink"); the REST API Developer Guide's "Insert or Update Blob Data"
// (JSON with base64, multipart for sObject Basic Information and for sObject Collections with binaryPartName and
// binaryPartNameAlias) and "sObject Blob Get" / "Get Blob Data" (GET sobjects/{sObject}/{id}/{blobField} answers the
// content as binary data).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_VERSION, onConnectedEmulator } from './helpers.ts';
import type { Connection, DescribeSObjectResult } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));

type Row = Record<string, unknown>;
type SalesforceFailure = Error & { errorCode: string; data?: { fields?: string[] } };
type Field = DescribeSObjectResult['fields'][number];

/** Every byte value, twice: no UTF-8 text, so any text decoding on the way would change it. */
const BINARY = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), ...Array.from({ length: 256 }, (_, i) => 255 - i)]);
const DATA = `/services/data/v${API_VERSION}`;

const fieldsOf = async (sobject: string): Promise<Record<string, Field>> =>
	Object.fromEntries((await conn.describe(sobject)).fields.map((f) => [f.name, f]));
const one = async (soql: string): Promise<Row> => (await conn.query<Row>(soql)).records[0];
const leadId = async () => (await one('SELECT Id FROM Lead LIMIT 1')).Id as string;
const authorization = () => ({ authorization: `Bearer ${conn.accessToken}` });

async function upload(fields: Row): Promise<string> {
	const result = await conn.sobject('ContentVersion').create(fields);
	expect(result.success).toBe(true);
	return result.id!;
}

/** A multipart/form-data body as RFC 7578 writes it (CRLF line breaks), with Salesforce's boundary_string. */
function multipart(parts: Array<{ name: string; type: string; body: string | Buffer; filename?: string }>): Buffer {
	const chunks = parts.flatMap(({ name, type, body, filename }) => [
		Buffer.from(`--boundary_string\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\nContent-Type: ${type}\r\n\r\n`),
		Buffer.isBuffer(body) ? body : Buffer.from(body),
		Buffer.from('\r\n'),
	]);
	return Buffer.concat([...chunks, Buffer.from('--boundary_string--\r\n')]);
}

const postMultipart = (path: string, body: Buffer) =>
	fetch(`${emulator.url}${DATA}${path}`, {
		method: 'POST',
		headers: { ...authorization(), 'content-type': 'multipart/form-data; boundary="boundary_string"' },
		body: new Uint8Array(body),
	});

describe('describe', () => {
	it('lists the three objects with their key prefixes and calls', async () => {
		const { sobjects } = await conn.describeGlobal();
		const byName = Object.fromEntries(sobjects.map((s) => [s.name, s]));
		expect(byName.ContentVersion).toMatchObject({ keyPrefix: '068', createable: true, updateable: true, deletable: false });
		expect(byName.ContentDocument).toMatchObject({ keyPrefix: '069', createable: false, updateable: true, deletable: true });
		expect(byName.ContentDocumentLink).toMatchObject({ keyPrefix: '06A', createable: true, deletable: true });
	});

	it('describes ContentVersion: a base64 VersionData, create-only path and location, read-only computed fields', async () => {
		const version = await fieldsOf('ContentVersion');
		expect(version.VersionData).toMatchObject({ type: 'base64', soapType: 'xsd:base64Binary', createable: true, nillable: true, filterable: false, sortable: false });
		expect(version.ContentDocumentId).toMatchObject({ type: 'reference', referenceTo: ['ContentDocument'], relationshipName: 'ContentDocument', createable: true, updateable: false });
		expect(version.FirstPublishLocationId).toMatchObject({ relationshipName: 'FirstPublishLocation', createable: true, updateable: false, polymorphicForeignKey: true });
		expect(version.FirstPublishLocationId.referenceTo).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'User']));
		expect(version.PathOnClient).toMatchObject({ type: 'string', length: 500, createable: true, updateable: false });
		expect(version.Title).toMatchObject({ type: 'string', length: 255, createable: true, updateable: true, nameField: true });
		for (const name of ['ContentSize', 'Checksum', 'FileType', 'IsLatest', 'VersionNumber']) {
			expect(version[name], name).toMatchObject({ createable: false, updateable: false });
		}
		expect(version.ContentSize.type).toBe('int');
		expect(version.Checksum).toMatchObject({ type: 'string', length: 50 });
		expect(version.FileExtension).toMatchObject({ type: 'string', length: 40 });
		expect(version.ContentLocation.picklistValues?.map((p) => p.value)).toEqual(['S', 'E', 'L']);
	});

	it('describes ContentDocument (latest version fields) and ContentDocumentLink (no created or modified fields)', async () => {
		const document = await fieldsOf('ContentDocument');
		expect(document.LatestPublishedVersionId).toMatchObject({ referenceTo: ['ContentVersion'], relationshipName: 'LatestPublishedVersion', updateable: false });
		expect(document.Title).toMatchObject({ type: 'string', updateable: true });
		for (const name of ['FileType', 'FileExtension', 'ContentSize']) expect(document[name], name).toMatchObject({ updateable: false });
		const link = await fieldsOf('ContentDocumentLink');
		expect(Object.keys(link).sort()).toEqual(['ContentDocumentId', 'Id', 'IsDeleted', 'LinkedEntityId', 'ShareType', 'SystemModstamp', 'Visibility']);
		expect(link.LinkedEntityId).toMatchObject({ relationshipName: 'LinkedEntity', polymorphicForeignKey: true, nillable: false, updateable: false });
		expect(link.ShareType.picklistValues?.map((p) => p.value)).toEqual(['V', 'C', 'I']);
		expect(link.Visibility.picklistValues?.map((p) => p.value)).toEqual(['AllUsers', 'InternalUsers', 'SharedUsers']);
		const documentDescribe = await conn.describe('ContentDocument');
		expect(documentDescribe.childRelationships).toEqual(expect.arrayContaining([
			expect.objectContaining({ childSObject: 'ContentVersion', field: 'ContentDocumentId', relationshipName: 'ContentVersions', cascadeDelete: true }),
			expect.objectContaining({ childSObject: 'ContentDocumentLink', field: 'ContentDocumentId', relationshipName: 'ContentDocumentLinks', cascadeDelete: true }),
		]));
	});
});

describe('inserting a version', () => {
	it('creates the document from a JSON insert with base64 VersionData, computing size, checksum and type', async () => {
		const id = await upload({ Title: 'Quarterly report', PathOnClient: 'reports/Q1.pdf', VersionData: BINARY.toString('base64') });
		expect(id).toMatch(/^068[a-zA-Z0-9]{15}$/);
		const version = await one(
			`SELECT ContentDocumentId, Title, PathOnClient, FileExtension, FileType, ContentSize, Checksum, IsLatest, VersionNumber, FirstPublishLocationId, OwnerId FROM ContentVersion WHERE Id = '${id}'`,
		);
		expect(version).toMatchObject({
			Title: 'Quarterly report', PathOnClient: 'reports/Q1.pdf', FileExtension: 'pdf', FileType: 'PDF', ContentSize: BINARY.length,
			Checksum: createHash('md5').update(BINARY).digest('hex'), IsLatest: true, VersionNumber: '1',
		});
		// Published into the owner's own files: FirstPublishLocationId is the owner.
		expect(version.FirstPublishLocationId).toBe(version.OwnerId);
		const documentId = version.ContentDocumentId as string;
		expect(documentId).toMatch(/^069/);
		const document = await one(`SELECT Title, LatestPublishedVersionId, FileType, FileExtension, ContentSize, OwnerId FROM ContentDocument WHERE Id = '${documentId}'`);
		expect(document).toMatchObject({ Title: 'Quarterly report', LatestPublishedVersionId: id, FileType: 'PDF', FileExtension: 'pdf', ContentSize: BINARY.length, OwnerId: version.OwnerId });
	});

	it('takes the title from PathOnClient when none is given', async () => {
		const id = await upload({ PathOnClient: 'C:\\scans\\Signed contract.final.PNG', VersionData: Buffer.from('png').toString('base64') });
		expect(await one(`SELECT Title, FileExtension, FileType FROM ContentVersion WHERE Id = '${id}'`)).toMatchObject({
			Title: 'Signed contract.final', FileExtension: 'png', FileType: 'PNG',
		});
	});

	it('gives VersionData as the URL of its content in SOQL and record retrieve, never the content', async () => {
		const id = await upload({ PathOnClient: 'a.txt', VersionData: Buffer.from('hello').toString('base64') });
		const url = `${DATA}/sobjects/ContentVersion/${id}/VersionData`;
		expect((await one(`SELECT VersionData FROM ContentVersion WHERE Id = '${id}'`)).VersionData).toBe(url);
		expect(((await conn.sobject('ContentVersion').retrieve(id)) as Row).VersionData).toBe(url);
	});

	it('links the file to its FirstPublishLocationId record, and to its owner', async () => {
		const lead = await leadId();
		const id = await upload({ PathOnClient: 'brochure.pdf', VersionData: 'JVBERi0=', FirstPublishLocationId: lead });
		const { ContentDocumentId: documentId, OwnerId: ownerId } = await one(`SELECT ContentDocumentId, OwnerId FROM ContentVersion WHERE Id = '${id}'`);
		const links = await conn.query<Row>(`SELECT LinkedEntityId, ShareType, Visibility FROM ContentDocumentLink WHERE ContentDocumentId = '${documentId}'`);
		expect(links.records.map(({ attributes, ...link }) => (void attributes, link))).toEqual(expect.arrayContaining([
			{ LinkedEntityId: lead, ShareType: 'V', Visibility: 'AllUsers' },
			{ LinkedEntityId: ownerId, ShareType: 'I', Visibility: 'AllUsers' },
		]));
		expect(links.totalSize).toBe(2);
		const files = await conn.query<Row>(`SELECT ContentDocumentId, ContentDocument.Title, ContentDocument.LatestPublishedVersion.VersionNumber FROM ContentDocumentLink WHERE LinkedEntityId IN ('${lead}')`);
		expect(files.records).toContainEqual(expect.objectContaining({
			ContentDocumentId: documentId, ContentDocument: expect.objectContaining({ Title: 'brochure', LatestPublishedVersion: expect.objectContaining({ VersionNumber: '1' }) }),
		}));
	});

	it('adds a version to a document given its ContentDocumentId: the new one is the latest, the document follows it', async () => {
		const first = await upload({ PathOnClient: 'plan.txt', VersionData: Buffer.from('v1').toString('base64') });
		const { ContentDocumentId: documentId } = await one(`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${first}'`);
		const second = await upload({ ContentDocumentId: documentId, PathOnClient: 'plan-v2.csv', VersionData: Buffer.from('v2,2').toString('base64'), ReasonForChange: 'Numbers' });
		const versions = await conn.query<Row>(`SELECT Id, VersionNumber, IsLatest FROM ContentVersion WHERE ContentDocumentId = '${documentId}' ORDER BY VersionNumber`);
		expect(versions.records.map(({ Id, VersionNumber, IsLatest }) => [Id, VersionNumber, IsLatest])).toEqual([[first, '1', false], [second, '2', true]]);
		expect(await one(`SELECT Title, LatestPublishedVersionId, FileType, ContentSize FROM ContentDocument WHERE Id = '${documentId}'`)).toMatchObject({
			Title: 'plan-v2', LatestPublishedVersionId: second, FileType: 'CSV', ContentSize: 4,
		});
	});

	it('refuses a stored file without PathOnClient or VersionData', async () => {
		// REQUIRED_FIELD_MISSING is Salesforce's code for a missing required field ("Status Codes and Error Responses");
		// which fields a ContentVersion names is the emulator's reading of the Object Reference, not a confirmed answer.
		const error = (await conn.sobject('ContentVersion').create({ Title: 'Nothing' }).catch((e: Error) => e)) as SalesforceFailure;
		expect(error.errorCode).toBe('REQUIRED_FIELD_MISSING');
		expect(error.data?.fields).toEqual(['PathOnClient', 'VersionData']);
	});

	it('refuses VersionData that is not base64 (error code only: the wording is not confirmed)', async () => {
		const error = (await conn.sobject('ContentVersion').create({ PathOnClient: 'x.txt', VersionData: 'not base64!' }).catch((e: Error) => e)) as SalesforceFailure;
		expect(error.errorCode).toBe('JSON_PARSER_ERROR');
	});
});

describe('multipart/form-data', () => {
	it('inserts a version from the JSON part and the VersionData part of the guide’s example (raw HTTP)', async () => {
		const response = await postMultipart('/sobjects/ContentVersion', multipart([
			{ name: 'entity_content', type: 'application/json', body: JSON.stringify({ ReasonForChange: 'Marketing materials updated', PathOnClient: 'Q1 Sales Brochure.pdf' }) },
			{ name: 'VersionData', type: 'application/octet-stream', body: BINARY, filename: 'Q1 Sales Brochure.pdf' },
		]));
		expect(response.status).toBe(201);
		const { id, success } = (await response.json()) as { id: string; success: boolean };
		expect(success).toBe(true);
		expect(await one(`SELECT Title, ContentSize, Checksum FROM ContentVersion WHERE Id = '${id}'`)).toMatchObject({
			Title: 'Q1 Sales Brochure', ContentSize: BINARY.length, Checksum: createHash('md5').update(BINARY).digest('hex'),
		});
	});

	it('accepts jsforce’s multipartFileFields upload (binary part first, JSON part named after the object)', async () => {
		const result = await conn.sobject('ContentVersion').create(
			{ PathOnClient: 'logo.png', VersionData: BINARY.toString('base64') },
			{ multipartFileFields: { VersionData: { filename: 'logo.png', contentType: 'image/png' } } },
		);
		expect(result.success).toBe(true);
		expect(await one(`SELECT ContentSize, FileType FROM ContentVersion WHERE Id = '${result.id}'`)).toMatchObject({ ContentSize: BINARY.length, FileType: 'PNG' });
	});

	it('inserts several versions through sObject Collections, each naming its binary part', async () => {
		const lead = await leadId();
		const records = [0, 1, 2].map((n) => ({
			attributes: { type: 'ContentVersion', binaryPartName: `binaryPart${n}`, binaryPartNameAlias: 'VersionData' },
			PathOnClient: `file-${n}.bin`, Title: `File ${n}`, FirstPublishLocationId: lead,
		}));
		const response = await postMultipart('/composite/sobjects', multipart([
			{ name: 'collection', type: 'application/json', body: JSON.stringify({ allOrNone: false, records }) },
			...[0, 1, 2].map((n) => ({ name: `binaryPart${n}`, type: 'application/octet-stream', body: BINARY.subarray(n), filename: `file-${n}.bin` })),
		]));
		expect(response.status).toBe(200);
		const results = (await response.json()) as Array<{ id: string; success: boolean }>;
		expect(results.map((r) => r.success)).toEqual([true, true, true]);
		const saved = await conn.query<Row>(`SELECT Id, Title, ContentSize FROM ContentVersion WHERE Id IN ('${results.map((r) => r.id).join("','")}') ORDER BY Title`);
		expect(saved.records.map((r) => [r.Id, r.Title, r.ContentSize])).toEqual(results.map((r, n) => [r.id, `File ${n}`, BINARY.length - n]));
	});

	it('reports a record whose binary part is missing as that record’s failure, the others are saved', async () => {
		const response = await postMultipart('/composite/sobjects', multipart([
			{ name: 'collection', type: 'application/json', body: JSON.stringify({ allOrNone: false, records: [
				{ attributes: { type: 'ContentVersion', binaryPartName: 'present', binaryPartNameAlias: 'VersionData' }, PathOnClient: 'a.txt' },
				{ attributes: { type: 'ContentVersion', binaryPartName: 'absent', binaryPartNameAlias: 'VersionData' }, PathOnClient: 'b.txt' },
			] }) },
			{ name: 'present', type: 'text/plain', body: 'here', filename: 'a.txt' },
		]));
		const [saved, refused] = (await response.json()) as Array<{ success: boolean; errors: Array<{ statusCode: string; fields: string[] }> }>;
		expect(saved.success).toBe(true);
		expect(refused).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['VersionData'] }] });
	});

	it('inserts versions with base64 VersionData through JSON sObject Collections (jsforce)', async () => {
		const results = await conn.sobject('ContentVersion').create([
			{ PathOnClient: 'one.txt', VersionData: Buffer.from('one').toString('base64') },
			{ PathOnClient: 'two.txt', VersionData: Buffer.from('two!').toString('base64') },
		]);
		expect(results.map((r) => r.success)).toEqual([true, true]);
		expect((await one(`SELECT ContentSize FROM ContentVersion WHERE Id = '${results[1].id}'`)).ContentSize).toBe(4);
	});
});

describe('sObject Blob Get', () => {
	it('answers the exact bytes of VersionData, raw and through jsforce’s blob stream', async () => {
		const id = await upload({ PathOnClient: 'bytes.bin', VersionData: BINARY.toString('base64') });
		const response = await fetch(`${emulator.url}${DATA}/sobjects/ContentVersion/${id}/VersionData`, { headers: authorization() });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).not.toMatch(/json|xml/);
		expect(Buffer.from(await response.arrayBuffer()).equals(BINARY)).toBe(true);
		const chunks: Buffer[] = [];
		for await (const chunk of conn.sobject('ContentVersion').record(id).blob('VersionData')) chunks.push(Buffer.from(chunk as Buffer));
		expect(Buffer.concat(chunks).equals(BINARY)).toBe(true);
	});

	it('answers 404 NOT_FOUND for an unknown version', async () => {
		const response = await fetch(`${emulator.url}${DATA}/sobjects/ContentVersion/068000000000000AAA/VersionData`, { headers: authorization() });
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
	});
});

describe('ContentDocumentLink queries', () => {
	it('refuses a query without a filter on ContentDocumentId or LinkedEntityId, or one under OR', async () => {
		const expected = {
			errorCode: 'MALFORMED_QUERY',
			message: "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
		};
		await expect(conn.query('SELECT Id FROM ContentDocumentLink')).rejects.toMatchObject(expected);
		await expect(conn.query("SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V'")).rejects.toMatchObject(expected);
		const lead = await leadId();
		await expect(conn.query(`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${lead}' OR ShareType = 'V'`)).rejects.toMatchObject(expected);
		await expect(conn.query(`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId != '${lead}'`)).rejects.toMatchObject(expected);
	});

	it('answers filters by LinkedEntityId IN, by a semi-join, and a child subquery from the record', async () => {
		const leads = (await conn.query<Row>('SELECT Id FROM Lead ORDER BY Id LIMIT 2')).records.map((r) => r.Id as string);
		const ids = await Promise.all(leads.map((lead, n) => upload({ PathOnClient: `lead-${n}.txt`, VersionData: 'AA==', FirstPublishLocationId: lead })));
		const linked = await conn.query<Row>(`SELECT LinkedEntityId FROM ContentDocumentLink WHERE LinkedEntityId IN ('${leads.join("','")}') AND ShareType = 'V'`);
		expect(new Set(linked.records.map((r) => r.LinkedEntityId))).toEqual(new Set(leads));
		const semiJoin = await conn.query<Row>(`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId IN (SELECT Id FROM Lead WHERE Id = '${leads[0]}')`);
		expect(semiJoin.totalSize).toBeGreaterThan(0);
		const withFiles = await one(`SELECT Id, (SELECT ContentDocumentId FROM ContentDocumentLinks) FROM Lead WHERE Id = '${leads[1]}'`);
		const { ContentDocumentId } = await one(`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${ids[1]}'`);
		expect((withFiles.ContentDocumentLinks as { records: Row[] }).records).toContainEqual(expect.objectContaining({ ContentDocumentId }));
	});
});

describe('deleting', () => {
	it('deletes a document with its versions and links; the versions themselves cannot be deleted', async () => {
		const lead = await leadId();
		const id = await upload({ PathOnClient: 'gone.txt', VersionData: 'AA==', FirstPublishLocationId: lead });
		const { ContentDocumentId: documentId } = await one(`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${id}'`);
		await expect(conn.sobject('ContentVersion').destroy(id)).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
		await conn.sobject('ContentDocument').destroy(documentId as string);
		expect((await conn.query(`SELECT Id FROM ContentVersion WHERE Id = '${id}'`)).totalSize).toBe(0);
		expect((await conn.query(`SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '${documentId}'`)).totalSize).toBe(0);
		const deleted = await conn.query<Row>(`SELECT Id, IsDeleted FROM ContentVersion WHERE Id = '${id}'`, { scanAll: true });
		expect(deleted.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
		const blob = await fetch(`${emulator.url}${DATA}/sobjects/ContentVersion/${id}/VersionData`, { headers: authorization() });
		expect(blob.status).toBe(404);
	});

	it('deletes a record’s links with the record, not the file', async () => {
		const lead = await conn.sobject('Lead').create({ LastName: 'Filed', Company: 'Files Ltd' });
		const id = await upload({ PathOnClient: 'kept.txt', VersionData: 'AA==', FirstPublishLocationId: lead.id });
		const { ContentDocumentId: documentId } = await one(`SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${id}'`);
		await conn.sobject('Lead').destroy(lead.id!);
		const links = await conn.query<Row>(`SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${documentId}'`);
		expect(links.records.map((r) => r.LinkedEntityId)).not.toContain(lead.id);
		expect(links.totalSize).toBe(1);
		expect((await conn.query(`SELECT Id FROM ContentDocument WHERE Id = '${documentId}'`)).totalSize).toBe(1);
		expect(emulator.store.get('ContentVersion', id)?.IsDeleted).toBe(false);
	});
});
