// The engine demo (`npm start`, bin/demo.js): what the bin needs. Not part of the engine's public API.
export {
  DEMO_IN_FLIGHT_DEFAULT,
  DEMO_RATE_PER_SEC_DEFAULT,
  DEMO_USAGE,
  DemoUsageError,
  parseDemoArguments,
  randomSeed,
  type DemoArguments,
  type DemoFollower,
} from './demo-arguments.js';
export { runDemo, type DemoOptions, type DemoReport } from './run-demo.js';
