// Salesforce Files through a real workflow with binary data, in a real n8n (`n8n execute`): n8n's Convert to File
// turns bytes into binary data, our File resource uploads them linked to an account, lists the account's files and
// downloads each one. The downloaded bytes, read from n8n's binary data store as the execution left them (n8n 2.x
// keeps binary data in the filesystem), equal the bytes uploaded, and so do the bytes Salesforce (the emulator) keeps.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import {
	NODE_TYPE,
	appCredential,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	itemsNode,
	linearWorkflow,
	nodeBinaries,
	nodeOutput,
	preparedUserFolder,
} from './support.ts';

const CREDENTIAL = 'e2eFilesCred0001';
const WORKFLOW = 'e2eFilesUpDown01';
/** A binary file (every byte value, 300 KB) and a UTF-8 text with CRLF, which must both survive byte for byte. */
const FILES = [
	{ name: 'scan.pdf', mimeType: 'application/pdf', bytes: randomBytes(300_000) },
	{ name: 'notes.txt', mimeType: 'text/plain', bytes: Buffer.from('Grüße aus n8n ✓\r\nzweite Zeile\n', 'utf8') },
];
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let accountId: string;

const ours = (name: string, operation: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	name,
	type: NODE_TYPE,
	typeVersion: 2,
	parameters: { resource: 'file', operation, ...parameters },
	...extra,
});
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	accountId = emulator.store.all('Account').find((account) => account.Name === 'Acme Corp')!.Id as string;
	folder = await preparedUserFolder('n8n-e2e-files-');
	await importCredentials(folder.userFolder, [appCredential(CREDENTIAL, emulator.url)]);
	await importWorkflows(folder.userFolder, [
		linearWorkflow(
			WORKFLOW,
			[
				itemsNode('Files', FILES.map(({ name, mimeType, bytes }) => ({ name, mimeType, content: bytes.toString('base64') }))),
				{
					name: 'To File',
					type: 'n8n-nodes-base.convertToFile',
					typeVersion: 1.1,
					parameters: {
						operation: 'toBinary',
						sourceProperty: 'content',
						binaryPropertyName: 'data',
						options: { fileName: '={{ $json.name }}', mimeType: '={{ $json.mimeType }}' },
					},
				},
				ours('Upload', 'upload', { binaryPropertyName: 'data', linkedRecordId: byId(accountId), options: { description: 'From n8n' } }),
				ours('List', 'getAll', { recordId: byId(accountId) }, { executeOnce: true }),
				ours('Download', 'download', { fileId: byId('={{ $json.ContentDocumentId }}'), binaryPropertyName: 'data' }),
			],
			{ id: CREDENTIAL },
		),
	]);
}, 600_000);

afterAll(async () => {
	await emulator?.close();
	folder?.cleanup();
});

describe('File: upload, list and download through a workflow with binary data', () => {
	let run: Awaited<ReturnType<typeof executeWorkflow>>['run'];

	beforeAll(async () => {
		emulator.requests.reset();
		const result = await executeWorkflow(folder.userFolder, WORKFLOW);
		expect(result.error, result.stdout).toBeUndefined();
		run = result.run;
		console.log(`files workflow: n8n execute ${result.ms} ms; emulator API calls ${JSON.stringify(emulator.requests.counts())}`);
	}, 300_000);

	it('uploads each file as a Salesforce File linked to the account, the bytes Salesforce keeps equal to the input', () => {
		const uploaded = nodeOutput(run, 'Upload');
		expect(uploaded).toHaveLength(FILES.length);
		FILES.forEach(({ name, bytes }, i) => {
			expect(uploaded[i]).toMatchObject({
				Id: expect.stringMatching(/^068/),
				ContentDocumentId: expect.stringMatching(/^069/),
				PathOnClient: name,
				Title: name.replace(/\.[^.]+$/, ''),
				ContentSize: bytes.length,
				Checksum: md5(bytes),
				FirstPublishLocationId: accountId,
			});
			const version = emulator.store.get('ContentVersion', uploaded[i].Id)!;
			expect(Buffer.from(String(version.VersionData), 'base64').equals(bytes), `${name}: bytes in Salesforce`).toBe(true);
			expect(version.Description).toBe('From n8n');
		});
	});

	it("lists the account's files", () => {
		const uploaded = nodeOutput(run, 'Upload');
		const listed = nodeOutput(run, 'List');
		expect(listed.map((file) => file.ContentDocumentId).sort()).toEqual(uploaded.map((file) => file.ContentDocumentId).sort());
		for (const file of listed) expect(file).toMatchObject({ LinkedEntityId: accountId, Checksum: expect.stringMatching(/^[0-9a-f]{32}$/) });
	});

	it('downloads each file: the binary data the execution holds equals the bytes uploaded, with their name and type', () => {
		const listed = nodeOutput(run, 'List');
		const downloaded = nodeBinaries(folder.userFolder, run, 'Download');
		expect(downloaded).toHaveLength(FILES.length);
		downloaded.forEach(({ meta, bytes }, i) => {
			const file = FILES.find((candidate) => candidate.name === listed[i].PathOnClient)!;
			expect(file, `listed file ${listed[i].PathOnClient}`).toBeDefined();
			// n8n 2.x's default binary data mode: the bytes live in <userFolder>/.n8n/storage, the item holds their ID.
			expect(meta).toMatchObject({ id: expect.stringMatching(/^filesystem-v2:/), fileName: file.name, mimeType: expect.stringContaining(file.mimeType) });
			expect(bytes.length).toBe(file.bytes.length);
			expect(bytes.equals(file.bytes), `${file.name}: downloaded bytes`).toBe(true);
		});
	});
});
