import type { Operation } from '../toolkit/operations';
import * as download from './download.operation';
import * as getAll from './getAll.operation';
import * as upload from './upload.operation';

/** The File resource's operations (Salesforce Files: ContentVersion, ContentDocument, ContentDocumentLink), by Operation value. */
export const fileOperations: Record<string, Operation> = { download, getAll, upload };
