import { defineImportSuite } from './import.suite';

defineImportSuite('sqlite');
