import { defineImportRunSuite } from './importRuns.suite';

defineImportRunSuite('sqlite');
