import { defineRoundTripSuite } from './roundTrip.suite';

defineRoundTripSuite('postgres');
