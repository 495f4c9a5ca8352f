import type { Operation } from '../toolkit/operations';
import * as addNote from './addNote.operation';
import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as describe from './describe.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

/** The operations of a resource: those every sObject has plus its own, in the order the Operation list shows. */
export function resourceOperations(own: Record<string, Operation>): Record<string, Operation> {
	const all: Record<string, Operation> = { addNote, create, delete: deleteRecord, describe, get, getAll, update, upsert, ...own };
	return Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : 1)));
}
