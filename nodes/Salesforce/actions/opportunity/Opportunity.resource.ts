import { resourceOperations } from '../record';
import { operationParameter } from '../shared/operations';

export const operations = resourceOperations({});

export const operationProperty = operationParameter('opportunity', operations);
