// A custom object and SOSL through jsforce. Follows "Object Reference for the Salesforce Platform" → "Custom Objects"
// (API names end in __c, custom relationships in __r, key prefixes a0…), "SOQL and SOSL Reference" → "Relationship
// Queries" (child-to-parent `Account__r.Name`, parent-to-child subqueries on the child relationship name) and "FIND"
// / "RETURNING" (without RETURNING, every searchable object answers with its records' IDs).
import { describe, expect, it } from 'vitest';
import { onConnectedEmulator } from './helpers.ts';
import type { Connection } from 'jsforce';

let conn: Connection;

onConnectedEmulator((started) => ({ conn } = started));

describe('custom object Project__c', () => {
	it('describes its lookups with __r relationship names and lists it as custom in the global describe', async () => {
		const { sobjects } = await conn.describeGlobal();
		expect(sobjects.find((s) => s.name === 'Project__c')).toMatchObject({ custom: true, keyPrefix: 'a02', label: 'Project', createable: true });
		const { fields } = await conn.describe('Project__c');
		expect(fields.find((f) => f.name === 'Account__c')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account__r', custom: true });
		expect(fields.find((f) => f.name === 'Primary_Contact__c')).toMatchObject({ referenceTo: ['Contact'], relationshipName: 'Primary_Contact__r' });
		const { childRelationships } = await conn.describe('Account');
		expect(childRelationships).toContainEqual(expect.objectContaining({ childSObject: 'Project__c', field: 'Account__c', relationshipName: 'Projects__r' }));
	});

	it('queries parent fields through __r and children through the child relationship', async () => {
		const account = await conn.sobject('Account').create({ Name: 'Custom Parent' });
		const project = await conn.sobject('Project__c').create({ Name: 'Rollout', Account__c: account.id, Budget__c: 1200 });
		expect(project.id).toMatch(/^a02/);
		const { records } = await conn.query<Record<string, unknown>>(`SELECT Name, Account__r.Name, Status__c FROM Project__c WHERE Id = '${project.id}'`);
		expect(records[0]).toMatchObject({ Name: 'Rollout', Account__r: { Name: 'Custom Parent' }, Status__c: 'Planned' });
		const parents = await conn.query<Record<string, unknown>>(`SELECT Name, (SELECT Name FROM Projects__r) FROM Account WHERE Id = '${account.id}'`);
		expect(parents.records[0].Projects__r).toMatchObject({ totalSize: 1, records: [expect.objectContaining({ Name: 'Rollout' })] });
	});

	it('refuses a custom relationship named without __r', async () => {
		await expect(conn.query('SELECT Account__c.Name FROM Project__c')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
	});

	it('takes notes like other records', async () => {
		const project = await conn.sobject('Project__c').create({ Name: 'Noted' });
		const note = await conn.sobject('Note').create({ ParentId: project.id, Title: 'Kick-off' });
		expect(note.success).toBe(true);
	});
});

describe('SOSL', () => {
	it('searches every searchable object without RETURNING, custom objects and cases included, answering IDs', async () => {
		await conn.sobject('Project__c').create({ Name: 'Zanzibar rollout' });
		await conn.sobject('Case').create({ Subject: 'Zanzibar outage' });
		const { searchRecords } = await conn.search('FIND {Zanzibar}');
		expect(searchRecords.map((r) => r.attributes?.type).sort()).toEqual(['Case', 'Project__c']);
		for (const record of searchRecords) expect(Object.keys(record).sort()).toEqual(['Id', 'attributes']);
	});

	it('returns the fields asked for per object with RETURNING', async () => {
		const { searchRecords } = await conn.search('FIND {Zanzibar} IN ALL FIELDS RETURNING Project__c(Id, Name, Status__c)');
		expect(searchRecords).toEqual([expect.objectContaining({ Name: 'Zanzibar rollout', Status__c: 'Planned' })]);
	});
});
