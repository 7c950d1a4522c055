import { defineImportRunSuite } from './importRuns.suite';

defineImportRunSuite('postgres');
