import { defineImportSuite } from './import.suite';

defineImportSuite('postgres');
