import type { INodeProperties } from 'n8n-workflow';

import * as addNote from '../record/addNote.operation';
import * as addToCampaign from '../record/addToCampaign.operation';
import * as create from '../record/create.operation';
import * as deleteRecord from '../record/delete.operation';
import * as describe from '../record/describe.operation';
import * as get from '../record/get.operation';
import * as getAll from '../record/getAll.operation';
import * as update from '../record/update.operation';
import * as upsert from '../record/upsert.operation';
import { operationOptions, type Operation } from '../shared/operations';
import * as convert from './convert.operation';

export const operations: Record<string, Operation> = {
	addNote,
	addToCampaign,
	convert,
	create,
	delete: deleteRecord,
	describe,
	get,
	getAll,
	update,
	upsert,
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['lead'] } },
	options: operationOptions('lead', Object.keys(operations)),
	default: 'create',
};
