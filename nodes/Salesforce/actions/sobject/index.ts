import type { SObjectOperation } from '../../helpers/resources';
import type { Operation } from '../toolkit/operations';
import * as addNote from './addNote.operation';
import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as describe from './describe.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

/** The operations every sObject has, by Operation value. */
export const sobjectOperations: Record<SObjectOperation, Operation> = {
	addNote,
	create,
	delete: deleteRecord,
	describe,
	get,
	getAll,
	update,
	upsert,
};
