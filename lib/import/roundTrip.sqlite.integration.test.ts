import { defineRoundTripSuite } from './roundTrip.suite';

defineRoundTripSuite('sqlite');
