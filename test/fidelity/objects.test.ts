// The objects of issue 11 (service and activities) through jsforce. Follows "Object Reference for the Salesforce
// Platform": "Case" (CaseNumber auto-number, IsClosed and ClosedDate set by Salesforce), "CaseStatus" (which status
// values close a case), "CaseComment" (ParentId required, no Name), "Task" and "Event" (WhoId/WhatId polymorphic;
// an Event's EndDateTime and DurationInMinutes describe the same span, one of them is required for a timed event),
// "Account", "User"; "Status Codes and Error Responses" (REST API Developer Guide) for REQUIRED_FIELD_MISSING; and the
// FIELD_INTEGRITY_EXCEPTION "Duration must be between 0 and 1440 minutes: Duration" an org without multiday events
// answers (Riva support article "Duration Must be Between 0 and 1440 Minutes - Salesforce Error").
import { describe, expect, it } from 'vitest';
import { onConnectedEmulator } from './helpers.ts';
import type { Connection, DescribeSObjectResult } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));

type SalesforceFailure = Error & { errorCode: string; data?: Array<{ fields?: string[] }> };
const failure = (e: Error) => e as SalesforceFailure;
type Field = DescribeSObjectResult['fields'][number];

async function fieldsOf(sobject: string): Promise<{ describe: DescribeSObjectResult; byName: Record<string, Field> }> {
	const result = await conn.describe(sobject);
	return { describe: result, byName: Object.fromEntries(result.fields.map((f) => [f.name, f])) };
}
const values = (f: Field) => f.picklistValues?.map((p) => p.value);
const defaultOf = (f: Field) => f.picklistValues?.find((p) => p.defaultValue)?.value;

describe('describe', () => {
	it('lists the objects with their key prefixes', async () => {
		const { sobjects } = await conn.describeGlobal();
		const prefixes = Object.fromEntries(sobjects.map((s) => [s.name, s.keyPrefix]));
		expect(prefixes).toMatchObject({ Account: '001', User: '005', Case: '500', CaseComment: '00a', Task: '00T', Event: '00U' });
	});

	it('describes Case: auto-number CaseNumber, standard picklists, derived IsClosed and ClosedDate', async () => {
		const { describe: result, byName } = await fieldsOf('Case');
		expect(byName.CaseNumber).toMatchObject({ type: 'string', autoNumber: true, createable: false, updateable: false, nameField: true, idLookup: true, defaultedOnCreate: true });
		expect(defaultOf(byName.Status)).toBe('New');
		expect(values(byName.Priority)).toEqual(['High', 'Medium', 'Low']);
		expect(defaultOf(byName.Priority)).toBe('Medium');
		expect(values(byName.Origin)).toEqual(['Phone', 'Email', 'Web']);
		expect(byName.IsClosed).toMatchObject({ type: 'boolean', createable: false, updateable: false });
		expect(byName.ClosedDate).toMatchObject({ type: 'datetime', createable: false, nillable: true });
		expect(byName.Subject).toMatchObject({ type: 'string', length: 255, createable: true, updateable: true });
		expect(byName.Description.type).toBe('textarea');
		expect(byName.AccountId).toMatchObject({ referenceTo: ['Account'], relationshipName: 'Account' });
		expect(byName.ContactId).toMatchObject({ referenceTo: ['Contact'], relationshipName: 'Contact' });
		expect(byName.OwnerId).toMatchObject({ referenceTo: ['User'], relationshipName: 'Owner' });
		expect(result.childRelationships).toEqual(expect.arrayContaining([
			expect.objectContaining({ childSObject: 'CaseComment', field: 'ParentId', relationshipName: 'CaseComments', cascadeDelete: true }),
			expect.objectContaining({ childSObject: 'Task', field: 'WhatId', relationshipName: 'Tasks' }),
		]));
	});

	it('lists the case status values, the closed one marked', async () => {
		const statuses = await conn.query<Record<string, unknown>>('SELECT ApiName, IsClosed, IsDefault FROM CaseStatus ORDER BY SortOrder');
		expect(statuses.records.map((s) => [s.ApiName, s.IsClosed, s.IsDefault])).toEqual([
			['New', false, true], ['Working', false, false], ['Escalated', false, false], ['Closed', true, false],
		]);
		const { byName } = await fieldsOf('Case');
		expect(values(byName.Status)).toEqual(statuses.records.map((s) => s.ApiName));
	});

	it('describes CaseComment: a required, create-only ParentId to Case, no Name and no owner', async () => {
		const { byName } = await fieldsOf('CaseComment');
		expect(byName.ParentId).toMatchObject({ referenceTo: ['Case'], relationshipName: 'Parent', nillable: false, createable: true, updateable: false });
		expect(byName.CommentBody).toMatchObject({ type: 'textarea', length: 4000, nillable: true });
		expect(byName.IsPublished).toMatchObject({ type: 'boolean', defaultedOnCreate: true });
		expect(byName.Name).toBeUndefined();
		expect(byName.OwnerId).toBeUndefined();
	});

	it('describes Task and Event with polymorphic WhoId and WhatId', async () => {
		for (const sobject of ['Task', 'Event']) {
			const { byName } = await fieldsOf(sobject);
			expect(byName.WhoId).toMatchObject({ referenceTo: ['Contact', 'Lead'], relationshipName: 'Who', polymorphicForeignKey: true });
			expect(byName.WhatId.referenceTo).toEqual(expect.arrayContaining(['Account', 'Opportunity', 'Case']));
			expect(byName.WhatId).toMatchObject({ relationshipName: 'What', polymorphicForeignKey: true });
			expect(byName.Subject.type).toBe('string');
		}
		const task = (await fieldsOf('Task')).byName;
		expect(task.Status).toMatchObject({ nillable: false, defaultedOnCreate: true });
		expect(defaultOf(task.Status)).toBe('Not Started');
		expect(values(task.Priority)).toEqual(['High', 'Normal', 'Low']);
		expect(task.ActivityDate.type).toBe('date');
		expect(task.IsClosed).toMatchObject({ createable: false, updateable: false });
		const event = (await fieldsOf('Event')).byName;
		expect(event.StartDateTime.type).toBe('datetime');
		expect(event.EndDateTime.type).toBe('datetime');
		expect(event.ActivityDateTime.type).toBe('datetime');
		expect(event.DurationInMinutes).toMatchObject({ type: 'int', nillable: true, createable: true });
		expect(event.IsAllDayEvent).toMatchObject({ type: 'boolean', defaultedOnCreate: true, nillable: false });
	});

	it('describes Account (ParentId, Type, Industry, billing address) and User (owner assignment fields)', async () => {
		const account = (await fieldsOf('Account')).byName;
		expect(account.ParentId).toMatchObject({ referenceTo: ['Account'], relationshipName: 'Parent' });
		expect(values(account.Type)).toContain('Customer - Direct');
		expect(values(account.Industry)).toContain('Technology');
		expect(['BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry'].every((name) => account[name])).toBe(true);
		const user = (await fieldsOf('User')).byName;
		expect(user.Username).toMatchObject({ unique: true, idLookup: true, nillable: false });
		expect(user.IsActive).toMatchObject({ type: 'boolean', defaultValue: true });
		expect(user.Email).toMatchObject({ type: 'email', nillable: false });
	});
});

describe('records', () => {
	it('creates a case with a comment, a task and an event, and queries them back', async () => {
		const [account] = (await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Acme Corp'")).records;
		const [contact] = (await conn.query<{ Id: string }>('SELECT Id FROM Contact LIMIT 1')).records;
		const first = await conn.sobject('Case').create({ Subject: 'Printer on fire', Origin: 'Phone', AccountId: account.Id, ContactId: contact.Id });
		const second = await conn.sobject('Case').create({ Subject: 'Printer still on fire' });
		expect(first.id).toMatch(/^500[a-zA-Z0-9]{15}$/);
		const comment = await conn.sobject('CaseComment').create({ ParentId: first.id, CommentBody: 'Sent a technician.', IsPublished: true });
		expect(comment.id).toMatch(/^00a/);
		const task = await conn.sobject('Task').create({ Subject: 'Call back', WhoId: contact.Id, WhatId: first.id });
		const event = await conn.sobject('Event').create({
			Subject: 'On-site visit', WhoId: contact.Id, WhatId: first.id, StartDateTime: '2026-03-02T09:00:00.000Z', EndDateTime: '2026-03-02T10:30:00.000Z',
		});
		expect(event.id).toMatch(/^00U/);

		const cases = await conn.query<Record<string, unknown>>(
			`SELECT CaseNumber, Status, Priority, IsClosed, ClosedDate, Account.Name, (SELECT CommentBody, IsPublished FROM CaseComments) FROM Case WHERE Id IN ('${first.id}', '${second.id}') ORDER BY CaseNumber`,
		);
		const [one, two] = cases.records;
		expect(one).toMatchObject({ Status: 'New', Priority: 'Medium', IsClosed: false, ClosedDate: null, Account: { Name: 'Acme Corp' } });
		expect(one.CaseNumber).toMatch(/^\d{8}$/);
		expect(Number(two.CaseNumber)).toBe(Number(one.CaseNumber) + 1);
		expect((one.CaseComments as { records: unknown[] }).records).toEqual([expect.objectContaining({ CommentBody: 'Sent a technician.', IsPublished: true })]);

		const [savedTask] = (await conn.query<Record<string, unknown>>(`SELECT WhoId, WhatId, Status, IsClosed FROM Task WHERE Id = '${task.id}'`)).records;
		expect(savedTask).toMatchObject({ WhoId: contact.Id, WhatId: first.id, Status: 'Not Started', IsClosed: false });
		const [savedEvent] = (await conn.query<Record<string, unknown>>(
			`SELECT WhatId, ActivityDateTime, ActivityDate, DurationInMinutes, EndDateTime FROM Event WHERE Id = '${event.id}'`,
		)).records;
		expect(savedEvent).toMatchObject({
			WhatId: first.id, ActivityDateTime: '2026-03-02T09:00:00.000+0000', ActivityDate: '2026-03-02', DurationInMinutes: 90,
			EndDateTime: '2026-03-02T10:30:00.000+0000',
		});
	});

	it('closes a case: IsClosed follows Status, ClosedDate is set once and cleared on reopening', async () => {
		const created = await conn.sobject('Case').create({ Subject: 'Closing' });
		await conn.sobject('Case').update({ Id: created.id!, Status: 'Closed' });
		const closed = (await conn.sobject('Case').retrieve(created.id!)) as Record<string, unknown>;
		expect(closed).toMatchObject({ IsClosed: true, ClosedDate: closed.LastModifiedDate });
		emulator.clock.advance(60_000);
		await conn.sobject('Case').update({ Id: created.id!, Subject: 'Closed, renamed' });
		expect(((await conn.sobject('Case').retrieve(created.id!)) as Record<string, unknown>).ClosedDate).toBe(closed.ClosedDate);
		await conn.sobject('Case').update({ Id: created.id!, Status: 'Working' });
		expect((await conn.sobject('Case').retrieve(created.id!)) as Record<string, unknown>).toMatchObject({ IsClosed: false, ClosedDate: null });
	});

	it('refuses a CaseNumber written by the client', async () => {
		const error = await conn.sobject('Case').create({ Subject: 'Numbered', CaseNumber: '42' }).then(() => undefined, failure);
		expect(error?.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
	});

	it('deletes a case comment with its case', async () => {
		const parent = await conn.sobject('Case').create({ Subject: 'Short-lived' });
		const comment = await conn.sobject('CaseComment').create({ ParentId: parent.id, CommentBody: 'gone soon' });
		await conn.sobject('Case').destroy(parent.id!);
		expect(emulator.store.get('CaseComment', comment.id!)?.IsDeleted).toBe(true);
	});

	it('moves an event keeping its duration, and recomputes the duration from a new end', async () => {
		const event = await conn.sobject('Event').create({ Subject: 'Moved', ActivityDateTime: '2026-03-03T09:00:00Z', DurationInMinutes: 30 });
		await conn.sobject('Event').update({ Id: event.id!, StartDateTime: '2026-03-03T14:00:00Z' });
		expect(emulator.store.get('Event', event.id!)).toMatchObject({ EndDateTime: '2026-03-03T14:30:00.000+0000', DurationInMinutes: 30 });
		await conn.sobject('Event').update({ Id: event.id!, EndDateTime: '2026-03-03T15:00:00Z' });
		expect(emulator.store.get('Event', event.id!)).toMatchObject({ StartDateTime: '2026-03-03T14:00:00.000+0000', DurationInMinutes: 60 });
	});

	it('makes an all-day event last its day', async () => {
		const event = await conn.sobject('Event').create({ Subject: 'Offsite', IsAllDayEvent: true, ActivityDate: '2026-03-04' });
		expect(emulator.store.get('Event', event.id!)).toMatchObject({ DurationInMinutes: 1440, StartDateTime: '2026-03-04T00:00:00.000+0000', ActivityDateTime: null });
	});
});

describe('errors', () => {
	it('answers REQUIRED_FIELD_MISSING for a case comment without its case', async () => {
		const error = await conn.sobject('CaseComment').create({ CommentBody: 'orphan' }).then(() => undefined, failure);
		expect(error?.errorCode).toBe('REQUIRED_FIELD_MISSING');
		expect(error?.message).toBe('Required fields are missing: [ParentId]');
	});

	it('answers REQUIRED_FIELD_MISSING for a timed event with neither an end nor a duration', async () => {
		const error = await conn.sobject('Event').create({ Subject: 'Open-ended', StartDateTime: '2026-03-02T09:00:00Z' }).then(() => undefined, failure);
		expect(error?.errorCode).toBe('REQUIRED_FIELD_MISSING');
		expect(error?.message).toBe('Required fields are missing: [DurationInMinutes]');
	});

	it('answers FIELD_INTEGRITY_EXCEPTION for an event that ends before it starts, and saves nothing', async () => {
		const error = await conn.sobject('Event').create({
			Subject: 'Backwards', StartDateTime: '2026-03-02T10:00:00Z', EndDateTime: '2026-03-02T09:00:00Z',
		}).then(() => undefined, failure);
		expect(error?.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
		expect(error?.message).toBe('Duration must be between 0 and 1440 minutes: Duration');
		expect((await conn.query("SELECT Id FROM Event WHERE Subject = 'Backwards'")).totalSize).toBe(0);
	});

	it('answers FIELD_INTEGRITY_EXCEPTION for an end and a duration that disagree', async () => {
		const error = await conn.sobject('Event').create({
			Subject: 'Inconsistent', StartDateTime: '2026-03-02T10:00:00Z', EndDateTime: '2026-03-02T11:00:00Z', DurationInMinutes: 30,
		}).then(() => undefined, failure);
		expect(error?.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
	});
});
